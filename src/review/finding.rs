//! A finding as every renderer shows it: a rule's hit with its place in the source and
//! whether it was accepted.

use sha2::{Digest, Sha256};

use super::Rule;
use super::hit::Hit;
use crate::source::Sources;

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub message: String,
    pub address: String,
    /// The file's display path (relative to the manifest directory).
    pub file: String,
    /// 1-based line and column of the span's start, and of its end.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Accepted by an `ignore` block or an inline `# amlplan:ignore` comment.
    pub suppressed: bool,
    /// The suppression's reason.
    pub reason: Option<String>,
    /// Suppressed by a comment in the source (else by an `ignore` block).
    pub inline: bool,
    /// Stable across runs and unrelated edits: a hash of rule, address and attribute path
    /// (never of the line), so moving a block does not make a new finding.
    pub fingerprint: String,
}

impl Finding {
    pub fn new(rule: &'static Rule, hit: Hit, sources: &Sources) -> Finding {
        let file = sources.get(hit.span.file);
        let (line, column) = file.line_col(hit.span.start as usize);
        let (end_line, end_column) = file.line_col(hit.span.end as usize);
        Finding {
            rule,
            fingerprint: fingerprint(rule.id, &hit.address, &hit.path),
            message: hit.message,
            address: hit.address,
            file: file.display_path.clone(),
            line,
            column,
            end_line,
            end_column,
            suppressed: false,
            reason: None,
            inline: false,
        }
    }

    pub fn severity(&self) -> super::Severity {
        self.rule.severity
    }
}

/// The first 16 bytes of SHA-256 over `rule`, `address` and `path`, in hex.
pub fn fingerprint(rule: &str, address: &str, path: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [rule, address, path] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
