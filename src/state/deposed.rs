//! Deposed objects: the old object of a create-before-destroy replacement, kept in the state
//! from the moment its replacement is recorded until its DELETE is confirmed.
//!
//! A deposed object is recorded under its own address, the resource's address plus a tag
//! derived from the old ARM ID (`role_assignment.r (deposed 1a2b3c4d)`), so the plan shows
//! it as a delete of its own and a kill or a failed DELETE never forgets it.

use sha2::{Digest, Sha256};

const OPEN: &str = " (deposed ";

/// The address a deposed object of `address` with ARM ID `id` is recorded under.
pub fn deposed_address(address: &str, id: &str) -> String {
    let digest = Sha256::digest(id.to_ascii_lowercase().as_bytes());
    let tag = super::canonical::hex(&digest[..4]);
    format!("{}{OPEN}{tag})", deposed_base(address).unwrap_or(address))
}

/// For the address of a deposed object, the address of the resource it was deposed by.
pub fn deposed_base(address: &str) -> Option<&str> {
    let (base, tag) = address.strip_suffix(')')?.rsplit_once(OPEN)?;
    (tag.len() == 8 && tag.bytes().all(|b| b.is_ascii_hexdigit())).then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deposed_address_names_its_base_and_differs_by_id() {
        let a = deposed_address("role_assignment.r", "/subscriptions/s/x/1");
        let b = deposed_address("role_assignment.r", "/subscriptions/s/x/2");
        assert_ne!(a, b);
        assert_eq!(deposed_base(&a), Some("role_assignment.r"));
        assert_eq!(deposed_address(&a, "/subscriptions/s/x/1"), a);
        assert_eq!(deposed_base("role_assignment.r"), None);
        assert_eq!(deposed_base("x (deposed nothex!)"), None);
    }
}
