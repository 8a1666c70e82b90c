//! The security review for people: `amlplan review`, the review section of `amlplan plan`
//! and `amlplan explain RULE`. Findings show their place as `file:line:column`, never a
//! source excerpt (the line may hold the secret a finding is about).

use std::fmt::Write as _;

use crate::review::{Finding, Review, Rule, Severity};

fn counts(review: &Review) -> String {
    let mut parts = Vec::new();
    for s in Severity::ALL.iter().rev() {
        let n = review.unsuppressed().filter(|f| f.severity() == *s).count();
        if n > 0 {
            parts.push(format!("{n} {s}"));
        }
    }
    let suppressed = review.findings.iter().filter(|f| f.suppressed).count();
    if suppressed > 0 {
        parts.push(format!("{suppressed} suppressed"));
    }
    if parts.is_empty() {
        "no findings".into()
    } else {
        parts.join(", ")
    }
}

fn finding(out: &mut String, f: &Finding) {
    let _ = writeln!(
        out,
        "  {:<8} {}  {}:{}:{}  {}",
        f.severity().as_str(),
        f.rule.id,
        f.file,
        f.line,
        f.column,
        f.address
    );
    let _ = writeln!(out, "           {}", f.message);
    if let Some(reason) = f.reason.as_deref().filter(|_| f.suppressed) {
        let _ = writeln!(out, "           suppressed: {reason}");
    }
}

/// The whole report: findings (suppressed ones last), then the egress report.
pub fn render(review: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Review: {}", counts(review));
    let (open, accepted): (Vec<&Finding>, Vec<&Finding>) =
        review.findings.iter().partition(|f| !f.suppressed);
    let mut ordered = open;
    ordered.sort_by_key(|f| std::cmp::Reverse(f.severity()));
    if !ordered.is_empty() {
        out.push('\n');
    }
    for f in ordered {
        finding(&mut out, f);
    }
    if !accepted.is_empty() {
        out.push_str("\nSuppressed:\n");
        for f in accepted {
            finding(&mut out, f);
        }
    }
    for e in &review.egress {
        let _ = writeln!(
            out,
            "\nEgress of {} (isolation: {})",
            e.workspace, e.isolation_mode
        );
        let _ = writeln!(out, "  verdict: {}", e.verdict);
        let list = |out: &mut String, title: &str, list: &[crate::review::egress::Allowed]| {
            if list.is_empty() {
                return;
            }
            let _ = writeln!(out, "  {title}:");
            for a in list {
                let ports = a
                    .ports
                    .as_deref()
                    .map_or(String::new(), |p| format!(" port {p}"));
                let _ = writeln!(
                    out,
                    "    {:<17} {}{ports}  ({})",
                    a.kind, a.destination, a.rule
                );
            }
        };
        list(&mut out, "allowed out", &e.allowed);
        list(&mut out, "added by the service", &e.required);
        if e.inbound.is_empty() {
            let _ = writeln!(out, "  inbound: none");
        } else {
            let _ = writeln!(out, "  inbound:");
            for i in &e.inbound {
                let dns = if i.dns_zones.is_empty() {
                    String::new()
                } else {
                    format!("  dns: {}", i.dns_zones.join(", "))
                };
                let _ = writeln!(out, "    {:<17} {}{dns}", i.path, i.via);
            }
        }
    }
    out
}

/// The section a plan ends with: the unsuppressed findings and each workspace's verdict.
pub fn plan_section(review: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nSecurity review: {}", counts(review));
    let mut open: Vec<&Finding> = review.unsuppressed().collect();
    open.sort_by_key(|f| std::cmp::Reverse(f.severity()));
    for f in open {
        finding(&mut out, f);
    }
    for e in &review.egress {
        let _ = writeln!(out, "  egress of {}: {}", e.workspace, e.verdict);
    }
    out
}

/// `amlplan explain RULE`.
pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}\n", rule.id, rule.title);
    let _ = writeln!(
        out,
        "Area: {}. Severity: {}. Applies to: {}.\n",
        rule.area.as_str(),
        rule.severity,
        match rule.kinds() {
            k if k.is_empty() => "suppressions".to_string(),
            k => k.join(", "),
        }
    );
    let _ = writeln!(out, "## Why\n\n{}\n", rule.rationale);
    let _ = writeln!(out, "## Fix\n\n{}\n", rule.remediation);
    if !rule.policy.is_empty() || !rule.checkov.is_empty() {
        let _ = writeln!(out, "## References\n");
        for p in rule.policy {
            let _ = writeln!(out, "- Azure Policy built-in: {p}");
        }
        for c in rule.checkov {
            let _ = writeln!(out, "- Checkov: {c}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Accept a finding with `ignore \"{}\" {{ address = \"...\", reason = \"...\" }}` in the `review` block, or `# amlplan:ignore {} reason` on the line above the block.",
        rule.id, rule.id
    );
    out
}
