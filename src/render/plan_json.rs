//! The plan as JSON (`--format json`), format version [`crate::plan::FORMAT_VERSION`].
//!
//! ```text
//! {"format_version": "1.2",
//!  "resource_changes": [{"address", "kind", "actions", "reason", "before", "after",
//!                        "replace_paths", "changed_paths", "after_unknown",
//!                        "changes": [{"path", "manifest_path", "location", "before", "after",
//!                                     "after_unknown"}],
//!                        "arm": {"id", "id_unknown", "api_version", "body"},
//!                        "old_version": {"id", "action", "used_by"} (only where one is left),
//!                        "recover": {"deleted_id"} (only on a create that recovers)}],
//!  "drift": [{"address", "kind", "deleted",
//!             "changes": [{"path", "manifest_path", "location", "before", "after"}]}],
//!  "output_changes": {NAME: {"actions", "before", "after", "after_unknown", "sensitive"}},
//!  "summary": {"add", "change", "replace", "destroy", "archive"},
//!  "errors": [diagnostics as in `validate --format json`]}
//! ```
//! `actions` are Terraform's (`["create"]`, `["update"]`, `["delete","create"]`,
//! `["create","delete"]`, `["delete"]`, `["no-op"]`); `arm.body` is exactly the request
//! apply sends. An update ARM makes through POST actions instead of a PUT (a compute
//! instance's `resize`) also lists them, `"update_actions": ["resize"]`. Each change's `path` is its ARM path and its values are ARM's;
//! `manifest_path` (new in 1.1) is the manifest attribute behind it as the human plan names
//! it (`schedule["nightly-stop"].time_zone`), and `location` (new in 1.1,
//! `{"file", "line", "column"}`, 1-based) where the manifest sets it (the attribute, or its
//! block where the attribute is defaulted); both are `null` where nothing in the manifest maps
//! to the path. Sensitive values are `"(sensitive)"` everywhere. Values known only after
//! apply read `"(known after apply)"` in `after` and `arm.body`; `after_unknown` (new in 1.1)
//! lists their paths, and a change's own `after_unknown` says its new value is one: only those
//! are unknown, a string that reads the same elsewhere is the user's. `arm.id_unknown` (new in
//! 1.1) says the ID itself is not known yet. `output_changes` (new in 1.2, see
//! [`outputs_value`]) is present when the run planned.

use serde_json::{Value, json};

use super::plan_names::manifest_path;
use crate::arm::Origin;
use crate::plan::outputs::OutputChange;
use crate::plan::{Drift, FORMAT_VERSION, LeafChange, Plan, ResourceChange};
use crate::source::Sources;

/// One changed leaf with the manifest attribute behind it and where the manifest sets it.
/// (Drift passes its values swapped: its `before` is what ARM holds now.)
fn leaf_json(
    origins: &[Origin],
    path: &str,
    before: &Option<Value>,
    after: &Option<Value>,
    after_unknown: bool,
    sources: &Sources,
) -> Value {
    let named = manifest_path(origins, path);
    let location = named.as_ref().map(|(_, span)| {
        let file = sources.get(span.file);
        let (line, column) = file.line_col(span.start as usize);
        json!({"file": file.display_path, "line": line, "column": column})
    });
    json!({
        "path": path,
        "manifest_path": named.map(|(name, _)| name),
        "location": location,
        "before": before,
        "after": after,
        "after_unknown": after_unknown,
    })
}

fn leaves_json(origins: &[Origin], changes: &[LeafChange], sources: &Sources) -> Vec<Value> {
    changes
        .iter()
        .map(|l| {
            leaf_json(
                origins,
                &l.path,
                &l.before,
                &l.after,
                l.after_unknown,
                sources,
            )
        })
        .collect()
}

fn change_json(c: &ResourceChange, sources: &Sources) -> Value {
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
    let mut out = json!({
        "address": c.address,
        "kind": c.kind,
        "actions": c.action.terraform_actions(),
        "reason": c.reason,
        "before": c.before,
        "after": after,
        "replace_paths": c.replace_paths.iter().map(|r| json!({"path": r.path, "attribute": r.attribute})).collect::<Vec<_>>(),
        "changed_paths": c.changes.iter().map(|l| l.path.clone()).collect::<Vec<_>>(),
        "after_unknown": c.desired.as_ref().map_or(&[][..], |d| &d.unknown[..]),
        "changes": leaves_json(c.desired.as_ref().map_or(&[], |d| d.origins.as_slice()), &c.changes, sources),
        "arm": arm,
    });
    if let (Some(old), Some(p), Some(map)) = (&c.old_version, &c.prior, out.as_object_mut()) {
        let (action, used_by) = match old {
            crate::plan::OldVersion::Archive => ("archive", None),
            crate::plan::OldVersion::Keep { used_by } => ("keep", Some(used_by)),
        };
        map.insert(
            "old_version".into(),
            json!({"id": p.id, "action": action, "used_by": used_by}),
        );
    }
    // Only on a create that recovers a soft-deleted resource instead.
    if let Some(deleted) = &c.recovers {
        out["recover"] = json!({"deleted_id": deleted});
    }
    // Only on updates that run ARM actions instead of (or before) a PUT.
    let via: Vec<&str> = c.update_actions().iter().map(|a| a.action).collect();
    if !via.is_empty() {
        out["update_actions"] = json!(via);
    }
    out
}

fn drift_json(d: &Drift, sources: &Sources) -> Value {
    json!({
        "address": d.address,
        "kind": d.kind,
        "deleted": d.deleted,
        "changes": d.changes.iter().map(|c| leaf_json(&d.origins, &c.path, &c.after, &c.before, false, sources)).collect::<Vec<_>>(),
    })
}

pub fn to_value(plan: &Plan, sources: &Sources) -> Value {
    let s = plan.summary();
    json!({
        "format_version": FORMAT_VERSION,
        "refresh_only": plan.refresh_only,
        "resource_changes": plan.changes.iter().map(|c| change_json(c, sources)).collect::<Vec<_>>(),
        "drift": plan.drift.iter().map(|d| drift_json(d, sources)).collect::<Vec<_>>(),
        "summary": {"add": s.add, "change": s.change, "replace": s.replace, "destroy": s.destroy, "archive": s.archive},
        "errors": plan.errors.iter().map(|d| crate::render::json::to_json(d, sources)).collect::<Vec<_>>(),
    })
}

/// `output_changes` (new in 1.2): each root output by name, as Terraform's, with
/// `{"actions", "before", "after", "after_unknown", "sensitive"}`; a sensitive output's values
/// are always `null`.
pub fn outputs_value(changes: &[OutputChange]) -> Value {
    Value::Object(
        changes
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    json!({
                        "actions": c.action.terraform_actions(),
                        "before": c.before,
                        "after": c.after,
                        "after_unknown": c.after_unknown,
                        "sensitive": c.sensitive,
                    }),
                )
            })
            .collect(),
    )
}

/// The JSON plan of a run that could not plan at all (the manifest has errors, the state is
/// locked or corrupt, the provider failed): no changes, and the diagnostics as `errors`.
pub fn render_errors(errors: &[crate::diagnostic::Diagnostic], sources: &Sources) -> String {
    let value = json!({
        "format_version": FORMAT_VERSION,
        "refresh_only": false,
        "resource_changes": [],
        "drift": [],
        "summary": {"add": 0, "change": 0, "replace": 0, "destroy": 0},
        "errors": errors.iter().map(|d| crate::render::json::to_json(d, sources)).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

pub fn render(plan: &Plan, sources: &Sources) -> String {
    let mut out = serde_json::to_string_pretty(&to_value(plan, sources)).unwrap_or_default();
    out.push('\n');
    out
}
