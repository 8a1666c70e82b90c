//! The plan as Markdown, for a pull-request comment.

use std::fmt::Write;

use crate::plan::outputs::OutputChange;
use crate::plan::{Action, Plan};

pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let s = plan.summary();
    out.push_str("### amlplan plan\n\n");
    if !plan.drift.is_empty() {
        let _ = writeln!(
            out,
            "> **Drift:** {} resource(s) changed outside of amlplan.\n",
            plan.drift.len()
        );
    }
    if !plan.has_changes() {
        out.push_str("**No changes.** The infrastructure matches the manifest.\n");
        return out;
    }
    out.push_str("| add | change | replace | destroy |\n|---:|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n",
        s.add, s.change, s.replace, s.destroy
    );
    out.push_str("| action | resource | why |\n|---|---|---|\n");
    for c in plan.changes.iter().filter(|c| c.action != Action::NoOp) {
        let action = match c.action {
            Action::Create if c.recovers.is_some() => "recover (from soft delete)",
            Action::Create => "create",
            Action::Update => "update",
            Action::DeleteThenCreate => "replace (delete first)",
            Action::CreateThenDelete => "replace (create first)",
            Action::Delete if c.old_version.is_some() => "archive",
            Action::Delete => "**destroy**",
            Action::NoOp => "",
        };
        let why = c.reason.clone().unwrap_or_default().replace('|', "\\|");
        let action = match c.via_actions() {
            Some(via) => format!("{action} {via}"),
            None => action.to_string(),
        };
        let _ = writeln!(out, "| {action} | `{}` | {why} |", c.address);
    }
    out.push_str("\n<details><summary>Full plan</summary>\n\n```diff\n");
    for line in super::plan_human::render(plan).lines() {
        // The diff highlighter keys on the first character.
        let trimmed = line.trim_start();
        let prefixed = if trimmed.starts_with("-/+") || trimmed.starts_with("+/-") {
            format!("!{line}")
        } else if trimmed.starts_with('+') {
            format!("+{line}")
        } else if trimmed.starts_with('-') {
            format!("-{line}")
        } else if trimmed.starts_with('~') {
            format!("!{line}")
        } else {
            format!(" {line}")
        };
        let _ = writeln!(out, "{prefixed}");
    }
    out.push_str("```\n\n</details>\n");
    out
}

/// The outputs that change, by name (their values are in the full plan's `Changes to
/// Outputs`); nothing when none does.
pub fn outputs_section(changes: &[OutputChange]) -> String {
    let changed = crate::plan::outputs::changed(changes);
    if changed.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n#### Changes to outputs\n\n| action | output |\n|---|---|\n");
    for c in changed {
        let action = match c.action {
            Action::Create => "add",
            Action::Delete => "remove",
            _ => "change",
        };
        let _ = writeln!(out, "| {action} | `{}` |", c.name);
    }
    out
}
