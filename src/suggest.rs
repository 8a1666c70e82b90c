//! The gate every "did you mean" search goes through before comparing strings.
//!
//! String distances cost the product of the two lengths, so comparing a megabyte-long value
//! against every known VM size, role or attribute name takes seconds. A word cannot be a
//! misspelling of a name much shorter or longer than itself, and no name amlplan suggests is
//! longer than [`MAX_WORD`], so such pairs are skipped without measuring them.

/// Longer input is never a typo of a known name (Azure names and HCL identifiers are shorter).
pub const MAX_WORD: usize = 256;

/// Whether `word` and `candidate` are close enough in length to be worth measuring.
pub fn comparable(word: &str, candidate: &str) -> bool {
    let (a, b) = (word.len(), candidate.len());
    a <= MAX_WORD && b <= MAX_WORD && a.abs_diff(b) <= a.max(b) * 3 / 4 + 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_lengths_compare_and_far_ones_do_not() {
        assert!(comparable("Standrd_DS3_v2", "Standard_DS3_v2"));
        assert!(comparable("e8s", "e8s_v3"));
        assert!(comparable("x", "abcd"));
        assert!(comparable("env", "environment"));
        assert!(!comparable("x", "abcdefghijklmnopqrst"));
        assert!(!comparable(&"a".repeat(2_000_000), "Standard_DS3_v2"));
        assert!(!comparable(&"a".repeat(300), &"a".repeat(300)));
    }
}
