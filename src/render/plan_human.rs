//! The plan for people: Terraform's symbols and layout, each change named after the manifest
//! attribute behind it (`~ max_nodes = 4 -> 6`, `~ schedule["nightly-stop"].time_zone = ...`,
//! `~ tags["owner"] = ...`) with its value in the manifest's form, and by its ARM path only
//! where nothing in the manifest maps to it (see [`super::plan_names`]). A change that forces
//! the replacement says `# forces replacement` on its line; the header says why.

use std::fmt::Write;

use serde_json::Value;

use super::plan_names;
use crate::plan::outputs::OutputChange;
use crate::plan::{Action, Drift, OldVersion, Plan, ResourceChange};

const SENSITIVE: &str = "(sensitive)";

/// A JSON value as the plan shows it: compact JSON, with the sensitive marker unquoted.
pub fn show(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "null".into(),
        Some(Value::String(s)) if s == SENSITIVE => s.clone(),
        Some(v) => serde_json::to_string(v).unwrap_or_default(),
    }
}

/// A change's new value: `(known after apply)` unquoted only for a value that is unknown (a
/// string that reads the same is shown quoted, as the string it is).
fn show_after(change: &plan_names::Named) -> String {
    match change.after_unknown {
        true => crate::arm::UNKNOWN_TEXT.to_string(),
        false => show(change.after.as_ref()),
    }
}

fn header(change: &ResourceChange) -> String {
    let what = match (change.action, &change.old_version) {
        (Action::Delete, Some(OldVersion::Archive)) => "will be archived",
        (Action::Delete, Some(OldVersion::Keep { .. })) => "will be kept and forgotten",
        (Action::Create, _) if change.recovers.is_some() => "will be recovered",
        (Action::Create, _) => "will be created",
        (Action::Update, _) => "will be updated in-place",
        (Action::DeleteThenCreate | Action::CreateThenDelete, _) => "must be replaced",
        (Action::Delete, None) => "will be destroyed",
        (Action::NoOp, _) => "is unchanged",
    };
    let mut line = format!("  # {} {what}", change.address);
    if let Some(via) = change.via_actions() {
        let _ = write!(line, " {via}");
    }
    // A creation needs no reason, but a new asset version says what becomes of the old one.
    if let Some(reason) = &change.reason
        && (change.action != Action::Create
            || change.old_version.is_some()
            || change.recovers.is_some())
    {
        let _ = write!(line, " ({reason})");
    }
    line
}

fn render_change(out: &mut String, change: &ResourceChange) {
    let _ = writeln!(out, "{}", header(change));
    let symbol = match (change.action, &change.old_version) {
        (Action::Delete, Some(_)) => "~",
        (action, _) => action.symbol(),
    };
    let _ = writeln!(out, "{symbol:>3} {} {{", change.address);
    if let Some(d) = &change.desired
        && matches!(
            change.action,
            Action::Create | Action::DeleteThenCreate | Action::CreateThenDelete
        )
    {
        match &change.prior {
            // The name (or parent, group, location) changed: the new ID is the replacement.
            Some(p) if change.action.is_replace() && !p.id.eq_ignore_ascii_case(&d.id) => {
                let _ = writeln!(
                    out,
                    "      ~ id = {:?} -> {:?} # forces replacement",
                    p.id, d.id
                );
            }
            _ => {
                let _ = writeln!(out, "      + id = {:?}", d.id);
            }
        }
        if let Some(upload) = &d.upload {
            let files = match upload.files.len() {
                1 => "1 file".to_string(),
                n => format!("{n} files"),
            };
            let _ = writeln!(
                out,
                "      # uploads {files} ({} bytes) before the version is registered",
                upload.bytes()
            );
        }
    }
    match change.action {
        Action::Delete => match (&change.prior, &change.old_version) {
            (Some(p), Some(OldVersion::Archive)) => {
                let _ = writeln!(out, "        id = {:?}", p.id);
                let _ = writeln!(out, "      ~ properties.isArchived = false -> true");
            }
            (Some(p), Some(OldVersion::Keep { .. })) => {
                let _ = writeln!(out, "        id = {:?}", p.id);
            }
            (Some(p), None) => {
                let _ = writeln!(out, "      - id = {:?}", p.id);
            }
            (None, _) => {}
        },
        _ => {
            let lines = match &change.desired {
                Some(d) => plan_names::lines(&d.origins, &d.behavior, &d.unknown, &change.changes),
                None => plan_names::lines(&[], &Default::default(), &[], &change.changes),
            };
            let width = lines.iter().map(|l| l.name.len()).max().unwrap_or(0);
            for line in &lines {
                // (A new asset version names what made it new, but replaces nothing.)
                let forces = change.action.is_replace()
                    && change.replace_paths.iter().any(|r| {
                        line.arm_path == r.path
                            || line.arm_path.starts_with(&format!("{}.", r.path))
                    });
                let (sym, text) = match (&line.before, &line.after) {
                    (None, Some(_)) => ("+", show_after(line)),
                    (Some(b), None) => ("-", format!("{} -> null", show(Some(b)))),
                    (Some(b), Some(_)) => {
                        ("~", format!("{} -> {}", show(Some(b)), show_after(line)))
                    }
                    (None, None) => continue,
                };
                let suffix = if forces { " # forces replacement" } else { "" };
                let _ = writeln!(out, "      {sym} {:<width$} = {text}{suffix}", line.name);
            }
            match (&change.prior, &change.old_version) {
                (Some(p), Some(OldVersion::Archive)) => {
                    let _ = writeln!(out, "      # then archives {:?}", p.id);
                }
                (Some(p), Some(OldVersion::Keep { used_by })) => {
                    let _ = writeln!(out, "      # keeps {:?} ({used_by} uses it)", p.id);
                }
                _ => {}
            }
        }
    }
    let _ = writeln!(out, "    }}\n");
}

fn render_drift(out: &mut String, drift: &[Drift]) {
    out.push_str("Note: objects have changed outside of amlplan\n\n");
    out.push_str(
        "amlplan detected the following changes made outside of amlplan since the last apply:\n\n",
    );
    for d in drift {
        if d.deleted {
            let _ = writeln!(out, "  # {} has been deleted\n", d.address);
            continue;
        }
        let _ = writeln!(out, "  # {} has changed", d.address);
        let _ = writeln!(out, "  ~ {} {{", d.address);
        // Named after the manifest where the resource is still in it; a drifted property
        // nothing in the manifest sets (ARM's own) keeps its ARM path.
        let lines = plan_names::lines(&d.origins, &Default::default(), &[], &d.changes);
        let width = lines.iter().map(|l| l.name.len()).max().unwrap_or(0);
        for line in &lines {
            // A drift change's `after` is what was applied, `before` what ARM holds now.
            let _ = writeln!(
                out,
                "      ~ {:<width$} = {} -> {}",
                line.name,
                show(line.after.as_ref()),
                show(line.before.as_ref())
            );
        }
        let _ = writeln!(out, "    }}\n");
    }
}

pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    if !plan.drift.is_empty() {
        render_drift(&mut out, &plan.drift);
    }
    if plan.refresh_only {
        if plan.drift.is_empty() {
            out.push_str("No changes. No objects have changed outside of amlplan.\n");
        }
        return out;
    }
    let changes: Vec<&ResourceChange> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    if changes.is_empty() {
        out.push_str("No changes. Your infrastructure matches the manifest.\n");
        return out;
    }
    out.push_str("Resource actions are indicated with the following symbols:\n");
    let mut used: Vec<Action> = changes.iter().map(|c| c.action).collect();
    used.sort();
    used.dedup();
    for a in used {
        let text = match a {
            Action::Create => "create",
            Action::Update => "update in-place",
            Action::DeleteThenCreate => "destroy and then create replacement",
            Action::CreateThenDelete => "create replacement and then destroy",
            Action::Delete => "destroy",
            Action::NoOp => continue,
        };
        let _ = writeln!(out, "{:>5} {text}", a.symbol());
    }
    out.push_str("\namlplan will perform the following actions:\n\n");
    for c in changes {
        render_change(&mut out, c);
    }
    let s = plan.summary();
    let archive = match s.archive {
        0 => String::new(),
        n => format!(", {n} to archive"),
    };
    let _ = writeln!(
        out,
        "Plan: {} to add, {} to change, {} to replace, {} to destroy{archive}.",
        s.add, s.change, s.replace, s.destroy
    );
    out
}

/// `Changes to Outputs:` as Terraform lists them: only the outputs that change; nothing when
/// none does.
pub fn outputs_section(changes: &[OutputChange]) -> String {
    let changed = crate::plan::outputs::changed(changes);
    if changed.is_empty() {
        return String::new();
    }
    let width = changed.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::from("\nChanges to Outputs:\n");
    for c in changed {
        let shown = |value: Option<&Value>, unknown: bool| {
            if c.sensitive {
                "(sensitive value)".to_string()
            } else if unknown {
                crate::arm::UNKNOWN_TEXT.to_string()
            } else {
                show(value)
            }
        };
        let after = shown(c.after.as_ref(), c.after_unknown);
        let line = match c.action {
            Action::Create => format!("  + {:<width$} = {after}", c.name),
            Action::Delete => {
                format!(
                    "  - {:<width$} = {} -> null",
                    c.name,
                    shown(c.before.as_ref(), false)
                )
            }
            _ => format!(
                "  ~ {:<width$} = {} -> {after}",
                c.name,
                shown(c.before.as_ref(), false)
            ),
        };
        let _ = writeln!(out, "{line}");
    }
    out
}
