//! E1001–E1002 (review gating), W0110–W0111 (suppressions that name nothing).
//!
//! Findings themselves are not diagnostics (they have rule IDs); these are about the review's
//! configuration and about runs the review fails.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;

/// W0110: an `ignore` block or `# amlplan:ignore` comment names a rule that does not exist.
pub fn unknown_rule(rule: &str, span: Span, known: &[&str]) -> Diagnostic {
    let mut help = vec!["`amlplan explain list` lists every review rule".to_string()];
    if let Some(hint) = did_you_mean(&rule.to_ascii_uppercase(), known.iter().copied()) {
        help.insert(0, hint);
    }
    Diagnostic::new(
        Code::W0110,
        format!("`{rule}` is not a review rule, so this suppression accepts nothing"),
    )
    .at(span, "unknown rule")
    .with_help(help.join("\n"))
}

/// W0111: an `ignore` block whose address is no resource or outbound rule of the manifest.
pub fn ignore_matches_nothing(address: &str, span: Span, known: &[String]) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::W0111,
        format!("`{address}` is not a resource or outbound rule of this manifest, so the ignore block accepts nothing"),
    )
    .at(span, "no such address");
    if let Some(hint) = did_you_mean(address, known.iter().map(String::as_str)) {
        d = d.with_help(hint);
    }
    d
}

/// E1001: unsuppressed findings at or above the `fail_on` level (exit 3).
pub fn findings_fail(count: usize, level: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E1001,
        format!("{count} unsuppressed review finding(s) at or above `{level}`"),
    )
    .with_help("fix them, or accept each with an `ignore` block (with a reason) in `review`; `amlplan review` lists them")
}

/// E1002: apply was given a plan with findings at or above `fail_on` without `--allow-findings`.
pub fn apply_with_findings(count: usize, level: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E1002,
        format!("refusing to apply: {count} unsuppressed review finding(s) at or above `{level}`"),
    )
    .with_help("fix or accept the findings (`amlplan review` lists them), or pass --allow-findings to apply anyway")
}
