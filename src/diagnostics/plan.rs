//! E0901–E0902: what the planner refuses. (Engine, state, lock, plan-file and provider codes
//! are in `engine.rs`.)
//!
//! All call sites use these constructors.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

/// E0901: an asset version whose content changed. `paths` are the changed ARM paths; `span`
/// is the block, when known.
pub fn asset_version_changed(address: &str, paths: &[&str], span: Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0901,
        format!(
            "`{address}` changes the content of a registered version ({})",
            paths.join(", ")
        ),
    )
    .with_help("asset versions are immutable: bump `version`, or set lifecycle { replace_versions = true } to delete and re-create it");
    match span {
        Some(span) => d.at(
            span,
            "this version is already registered with other content",
        ),
        None => d,
    }
}

/// E0902: the plan would replace a resource with `prevent_destroy`. `reason` says what
/// forces the replacement.
pub fn protected_replacement(address: &str, reason: &str, span: Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0902,
        format!("`{address}` has prevent_destroy set, but the plan would replace it ({reason})"),
    )
    .with_help(
        "undo the change that forces replacement, or remove prevent_destroy in a reviewed change",
    );
    match span {
        Some(span) => d.at(span, "protected by lifecycle.prevent_destroy"),
        None => d,
    }
}

/// E0716: the plan would delete and re-create a purge-protected resource at the same name
/// (a Key Vault), which ARM keeps reserved for the deleted copy's retention period.
pub fn purge_protected_replacement(
    address: &str,
    reason: &str,
    retention_days: Option<u64>,
    span: Option<Span>,
) -> Diagnostic {
    let kept = match retention_days {
        Some(days) => format!("for {days} days"),
        None => "for its retention period".to_string(),
    };
    let d = Diagnostic::new(
        Code::E0716,
        format!(
            "`{address}` is a purge-protected key vault: the plan would replace it ({reason}), but Azure keeps a deleted vault's name reserved {kept}, so re-creating it would fail"
        ),
    )
    .with_help(
        "undo the change that forces the replacement (for a workspace's own key vault, its region), or name a key vault of your own in the workspace's `key_vault`",
    );
    match span {
        Some(span) => d.at(span, "its key vault cannot be replaced"),
        None => d,
    }
}
