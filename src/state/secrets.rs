//! Secrets in the state without the secrets: write-only values (a cluster's admin password,
//! which ARM never returns) are compared through a salted digest per path, and the state's
//! request hash is taken over the body with every secret replaced by its digest.
//!
//! The salt is the state file's lineage (a random UUID fixed when the state was created), so
//! the same password hashes differently in every state file and a digest found in one
//! reveals nothing about another; the digest is SHA-256 over a domain tag, the salt, the path
//! and the value's canonical JSON. Nothing in the state, journal or plan is the secret or an
//! unsalted hash of it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::canonical::{canonical_json, sha256_hex};
use crate::arm::Desired;

const DOMAIN: &str = "amlplan-secret-v1";

/// The salted digest of the value at `path`.
pub fn secret_digest(salt: &str, path: &str, value: &Value) -> String {
    let text = format!("{DOMAIN}\0{salt}\0{path}\0{}", canonical_json(value));
    sha256_hex(text.as_bytes())
}

/// The digests of the write-only paths (`KindBehavior::server_paths`) the body sets, by path:
/// what the next plan compares the manifest's value with, since ARM never returns it.
pub fn write_only_digests(d: &Desired, salt: &str) -> BTreeMap<String, String> {
    d.behavior
        .server_paths
        .iter()
        .filter_map(|path| {
            let value = crate::json_path::get(&d.body, path)?;
            Some((path.clone(), secret_digest(salt, path, value)))
        })
        .collect()
}

/// The request hash the state records for `d`: over its body with each sensitive or
/// write-only value replaced by its salted digest (a change of a secret still changes it).
pub fn salted_request_hash(d: &Desired, salt: &str) -> String {
    let mut body = d.body.clone();
    for path in d.sensitive.iter().chain(&d.behavior.server_paths) {
        if let Some(value) = crate::json_path::get(&body, path).cloned() {
            crate::json_path::replace(
                &mut body,
                path,
                Value::String(secret_digest(salt, path, &value)),
            );
        }
    }
    super::request_hash(&body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn digests_depend_on_salt_path_and_value_and_show_no_secret() {
        let a = secret_digest("lineage-1", "p", &json!("hunter2"));
        assert_eq!(a, secret_digest("lineage-1", "p", &json!("hunter2")));
        assert_ne!(a, secret_digest("lineage-2", "p", &json!("hunter2")));
        assert_ne!(a, secret_digest("lineage-1", "q", &json!("hunter2")));
        assert_ne!(a, secret_digest("lineage-1", "p", &json!("hunter3")));
        // Not the unsalted hash of the value either.
        assert_ne!(a, sha256_hex(b"hunter2"));
        assert_ne!(a, sha256_hex(b"\"hunter2\""));
        assert!(!a.contains("hunter2"));
    }
}
