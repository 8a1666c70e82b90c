//! The security review as Markdown (for pull-request comments): a findings table and the
//! egress report, and the section a Markdown plan ends with.

use std::fmt::Write as _;

use crate::review::{Finding, Review};

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn table(out: &mut String, findings: &[&Finding], with_reason: bool) {
    if with_reason {
        out.push_str(
            "| severity | rule | address | where | finding | reason |\n|---|---|---|---|---|---|\n",
        );
    } else {
        out.push_str("| severity | rule | address | where | finding |\n|---|---|---|---|---|\n");
    }
    for f in findings {
        let _ = write!(
            out,
            "| {} | `{}` | `{}` | `{}:{}:{}` | {} |",
            f.severity(),
            f.rule.id,
            cell(&f.address),
            cell(&f.file),
            f.line,
            f.column,
            cell(&f.message)
        );
        if with_reason {
            let _ = write!(out, " {} |", cell(f.reason.as_deref().unwrap_or("")));
        }
        out.push('\n');
    }
}

fn open_sorted(review: &Review) -> Vec<&Finding> {
    let mut open: Vec<&Finding> = review.unsuppressed().collect();
    open.sort_by_key(|f| std::cmp::Reverse(f.severity()));
    open
}

pub fn render(review: &Review) -> String {
    let mut out = String::from("## Security review\n\n");
    let open = open_sorted(review);
    if open.is_empty() {
        out.push_str("No unsuppressed findings.\n");
    } else {
        table(&mut out, &open, false);
    }
    let accepted: Vec<&Finding> = review.findings.iter().filter(|f| f.suppressed).collect();
    if !accepted.is_empty() {
        out.push_str("\n### Suppressed\n\n");
        table(&mut out, &accepted, true);
    }
    for e in &review.egress {
        let _ = writeln!(
            out,
            "\n### Egress of `{}` (isolation: `{}`)\n\n**{}**\n",
            e.workspace,
            e.isolation_mode,
            cell(&e.verdict)
        );
        out.push_str("| | type | destination | ports | allowed by |\n|---|---|---|---|---|\n");
        for (who, list) in [("manifest", &e.allowed), ("service", &e.required)] {
            for a in list {
                let _ = writeln!(
                    out,
                    "| {who} | {} | `{}` | {} | `{}` |",
                    a.kind,
                    cell(&a.destination),
                    a.ports.as_deref().unwrap_or(""),
                    cell(&a.rule)
                );
            }
        }
        if !e.inbound.is_empty() {
            out.push_str("\nInbound:\n\n");
            for i in &e.inbound {
                let dns = if i.dns_zones.is_empty() {
                    String::new()
                } else {
                    format!(" (DNS: {})", i.dns_zones.join(", "))
                };
                let _ = writeln!(out, "- {} `{}`{dns}", i.path, i.via);
            }
        }
    }
    out
}

/// The section a Markdown plan ends with.
pub fn plan_section(review: &Review) -> String {
    let open = open_sorted(review);
    let mut out = String::from("\n### Security review\n\n");
    if open.is_empty() {
        out.push_str("No unsuppressed findings.\n");
    } else {
        table(&mut out, &open, false);
    }
    for e in &review.egress {
        let _ = writeln!(out, "\nEgress of `{}`: {}", e.workspace, cell(&e.verdict));
    }
    out
}
