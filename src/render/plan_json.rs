//! The plan as JSON (`--format json`), format version [`crate::plan::FORMAT_VERSION`].
//!
//! ```text
//! {"format_version": "1.1",
//!  "resource_changes": [{"address", "kind", "actions", "reason", "before", "after",
//!                        "replace_paths", "after_unknown", "arm": {"id", "id_unknown",
//!                        "api_version", "body"}}],
//!  "drift": [{"address", "kind", "deleted", "changes": [{"path", "before", "after"}]}],
//!  "summary": {"add", "change", "replace", "destroy"},
//!  "errors": [diagnostics as in `validate --format json`]}
//! ```
//! `actions` are Terraform's (`["create"]`, `["update"]`, `["delete","create"]`,
//! `["create","delete"]`, `["delete"]`, `["no-op"]`); `arm.body` is exactly the request
//! apply sends. Sensitive values are `"(sensitive)"` everywhere; values known only after
//! apply read `"(known after apply)"` in `after` and `arm.body`, and `after_unknown` lists
//! their paths (1.1): only those are unknown, a string that reads the same elsewhere is the
//! user's. `arm.id_unknown` says the ID itself is not known yet.

use serde_json::{Value, json};

use crate::plan::{Drift, FORMAT_VERSION, Plan, ResourceChange};
use crate::source::Sources;

fn change_json(c: &ResourceChange) -> Value {
    let after = c.desired.as_ref().map(|d| d.shown_body());
    let arm = match (&c.desired, &c.prior) {
        (Some(d), _) => {
            json!({"id": d.id, "id_unknown": d.id_unknown, "api_version": d.api_version, "body": after})
        }
        (None, Some(p)) => {
            json!({"id": p.id, "id_unknown": false, "api_version": p.api_version, "body": Value::Null})
        }
        (None, None) => Value::Null,
    };
    json!({
        "address": c.address,
        "kind": c.kind,
        "actions": c.action.terraform_actions(),
        "reason": c.reason,
        "before": c.before,
        "after": after,
        "replace_paths": c.replace_paths.iter().map(|r| json!({"path": r.path, "attribute": r.attribute})).collect::<Vec<_>>(),
        "changed_paths": c.changes.iter().map(|l| l.path.clone()).collect::<Vec<_>>(),
        "after_unknown": c.desired.as_ref().map_or(&[][..], |d| &d.unknown[..]),
        "arm": arm,
    })
}

fn drift_json(d: &Drift) -> Value {
    json!({
        "address": d.address,
        "kind": d.kind,
        "deleted": d.deleted,
        "changes": d.changes.iter().map(|c| json!({"path": c.path, "before": c.after, "after": c.before})).collect::<Vec<_>>(),
    })
}

pub fn to_value(plan: &Plan, sources: &Sources) -> Value {
    let s = plan.summary();
    json!({
        "format_version": FORMAT_VERSION,
        "refresh_only": plan.refresh_only,
        "resource_changes": plan.changes.iter().map(change_json).collect::<Vec<_>>(),
        "drift": plan.drift.iter().map(drift_json).collect::<Vec<_>>(),
        "summary": {"add": s.add, "change": s.change, "replace": s.replace, "destroy": s.destroy},
        "errors": plan.errors.iter().map(|d| crate::render::json::to_json(d, sources)).collect::<Vec<_>>(),
    })
}

pub fn render(plan: &Plan, sources: &Sources) -> String {
    let mut out = serde_json::to_string_pretty(&to_value(plan, sources)).unwrap_or_default();
    out.push('\n');
    out
}
