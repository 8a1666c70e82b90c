//! The security review: findings about network isolation, egress, access, data protection,
//! compute exposure and lineage, with exact source locations, before anything is provisioned.
//!
//! Each rule is a file of its own under [`rules`] (ID, area, severity, title, rationale,
//! remediation, references, the kinds it applies to and its check). A rule selects kinds by
//! the facts their descriptors declare (`KindSchema::review`, `schema::descriptor::ReviewFact`),
//! and reads the checked manifest and its lowered entries ([`Ctx`]). This module runs them,
//! applies suppressions ([`suppress`]) and builds the egress report ([`egress`]). Findings are
//! not diagnostics: they have rule IDs, and `fail_on` decides which fail a run.

pub mod ctx;
pub mod egress;
pub mod finding;
pub mod hit;
pub mod rule;
pub mod rules;
pub mod secrets;
pub mod severity;
pub mod suppress;

use crate::arm::Desired;
use crate::model::Manifest;
use crate::source::Sources;

pub use ctx::Ctx;
pub use egress::Egress;
pub use finding::Finding;
pub use rule::{Area, Rule};
pub use severity::Severity;

/// The review of one manifest.
#[derive(Debug, Clone)]
pub struct Review {
    /// Sorted by file, line, column and rule; suppressed ones included, marked.
    pub findings: Vec<Finding>,
    pub egress: Vec<Egress>,
    /// The manifest's `review { fail_on }` (its default when the block has none); `None`
    /// without a `review` block.
    pub fail_on: Option<Severity>,
}

impl Review {
    /// Unsuppressed findings at or above `level`.
    pub fn failing(&self, level: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| !f.suppressed && f.severity() >= level)
            .count()
    }

    /// The level that fails the run: `--fail-on` over the manifest's `fail_on`.
    pub fn gate(&self, flag: Option<Severity>) -> Option<Severity> {
        flag.or(self.fail_on)
    }

    /// The count of findings that fail the run at the gate, with the gate; `None` when
    /// nothing fails it.
    pub fn failed(&self, flag: Option<Severity>) -> Option<(usize, Severity)> {
        let level = self.gate(flag)?;
        let n = self.failing(level);
        (n > 0).then_some((n, level))
    }

    pub fn unsuppressed(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.suppressed)
    }
}

/// Reviews a checked manifest and its lowered entries (sorted by address, as
/// `arm::lower` returns them).
pub fn review(manifest: &Manifest, desired: &[Desired], sources: &Sources) -> Review {
    let ctx = Ctx::new(manifest, desired);
    let suppressions = suppress::Suppressions::of(manifest, sources);
    let mut findings = Vec::new();
    let mut hits = Vec::new();
    let mut applicable: Vec<(&'static crate::schema::KindSchema, Vec<&'static Rule>)> = Vec::new();
    for r in &manifest.resources {
        let rules = match applicable.iter().find(|(k, _)| std::ptr::eq(*k, r.schema)) {
            Some((_, rules)) => rules,
            None => {
                let rules = rules::RULES
                    .iter()
                    .copied()
                    .filter(|rule| (rule.applies)(r.schema))
                    .collect();
                applicable.push((r.schema, rules));
                &applicable[applicable.len() - 1].1
            }
        };
        for rule in rules {
            (rule.check)(r, &ctx, &mut hits);
            for hit in hits.drain(..) {
                // A comment above the nested block at fault, else above the resource (which
                // accepts the rule for everything inside it).
                let accepted = suppressions
                    .find(rule.id, &hit.address, hit.anchor, sources)
                    .or_else(|| suppressions.find(rule.id, &hit.address, r.header_span(), sources));
                let mut finding = Finding::new(rule, hit, sources);
                if let Some(s) = accepted
                    && s.reason.is_some()
                {
                    finding.suppressed = true;
                    finding.reason = s.reason.clone();
                    finding.inline = s.address.is_none();
                }
                findings.push(finding);
            }
        }
    }
    for s in suppressions.all().filter(|s| s.reason.is_none()) {
        let hit = hit::Hit {
            address: s.address.clone().unwrap_or_default(),
            message: format!(
                "the suppression of {} gives no reason, so it is not applied",
                s.rules
                    .iter()
                    .map(|(r, _)| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            span: s.span,
            anchor: s.span,
            // A block is named by its rule and address; a comment by its own text.
            path: match &s.address {
                Some(_) => "ignore".to_string(),
                None => sources.snippet(s.span).to_string(),
            },
        };
        findings.push(Finding::new(
            &rules::suppression_without_reason::RULE,
            hit,
            sources,
        ));
    }
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule.id, &a.address)
            .cmp(&(&b.file, b.line, b.column, b.rule.id, &b.address))
    });
    Review {
        findings,
        egress: egress::report(&ctx),
        fail_on: fail_on(manifest),
    }
}

fn fail_on(manifest: &Manifest) -> Option<Severity> {
    let block = manifest.settings.iter().find(|b| b.kind == "review")?;
    let level = ctx::str_attr(&block.body, &crate::schema::settings::REVIEW, "fail_on")?;
    Severity::parse(level)
}

/// The rule with this ID (any case).
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules::RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id.trim()))
}

/// The check stage's part: suppressions that name an unknown rule or no resource.
pub fn check(manifest: &Manifest, sources: &Sources, diags: &mut crate::diagnostic::Diagnostics) {
    suppress::check(manifest, sources, diags);
}
