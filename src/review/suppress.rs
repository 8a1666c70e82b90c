//! Accepted findings: `ignore "RULE" { address, reason }` blocks inside `review`, and
//! `# amlplan:ignore RULE reason` comments on the line above a block. A suppression needs a
//! reason: one without is not applied, and is a finding of its own (AML-REV-001).

use std::collections::HashMap;

use crate::model::Manifest;
use crate::source::{FileId, Sources, Span};

/// The comment marker, after `#` or `//`.
pub const MARKER: &str = "amlplan:ignore";

/// One suppression as written.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The rule IDs it accepts.
    pub rules: Vec<(String, Span)>,
    /// `ignore` blocks name the address; an inline comment accepts the block below it.
    pub address: Option<String>,
    /// Empty or blank reasons are `None`.
    pub reason: Option<String>,
    /// The `ignore` block's header, or the comment line.
    pub span: Span,
}

/// Every suppression of a manifest: `ignore` blocks, and inline comments by the file and
/// 0-based line of the block below them.
#[derive(Debug, Default)]
pub struct Suppressions {
    pub blocks: Vec<Suppression>,
    pub inline: HashMap<(FileId, usize), Suppression>,
}

impl Suppressions {
    pub fn of(manifest: &Manifest, sources: &Sources) -> Suppressions {
        let mut out = Suppressions::default();
        for review in manifest.settings.iter().filter(|b| b.kind == "review") {
            for ignore in review.body.blocks("ignore") {
                let Some((rule, rule_span)) = ignore.labels.first() else {
                    continue;
                };
                out.blocks.push(Suppression {
                    rules: vec![(rule.clone(), *rule_span)],
                    address: ignore.body.str("address").map(str::to_string),
                    reason: reason(ignore.body.str("reason")),
                    span: ignore.header_span(),
                });
            }
        }
        for (id, file) in sources.iter() {
            if !file.text.contains(MARKER) {
                continue;
            }
            let mut offset = 0;
            for (index, line) in file.text.split_inclusive('\n').enumerate() {
                if let Some(s) = parse_comment(line, Span::new(id, offset..offset + line.len())) {
                    out.inline.insert((id, index + 1), s);
                }
                offset += line.len();
            }
        }
        out
    }

    /// The suppression that accepts rule `rule` for a hit at `address` whose block header is
    /// `anchor`, if any (applied or not: the caller looks at its reason).
    pub fn find(
        &self,
        rule: &str,
        address: &str,
        anchor: Span,
        sources: &Sources,
    ) -> Option<&Suppression> {
        let names = |s: &&Suppression| s.rules.iter().any(|(r, _)| r.eq_ignore_ascii_case(rule));
        let line = sources.get(anchor.file).line_index(anchor.start as usize);
        self.inline
            .get(&(anchor.file, line))
            .filter(names)
            .or_else(|| {
                self.blocks
                    .iter()
                    .filter(names)
                    .find(|s| s.address.as_deref() == Some(address))
            })
    }

    pub fn all(&self) -> impl Iterator<Item = &Suppression> {
        let mut inline: Vec<&Suppression> = self.inline.values().collect();
        inline.sort_by_key(|s| (s.span.file.0, s.span.start));
        self.blocks.iter().chain(inline)
    }
}

fn reason(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// `# amlplan:ignore AML-NET-004,AML-NET-003 approved by sec-ops` (or `//`), the whole line.
fn parse_comment(line: &str, span: Span) -> Option<Suppression> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let body = trimmed
        .strip_prefix('#')
        .or_else(|| trimmed.strip_prefix("//"))?;
    let after_hash = lead + (trimmed.len() - body.len());
    let spaced = body.trim_start();
    let rest = spaced.strip_prefix(MARKER)?;
    let ids_at = after_hash + (body.len() - spaced.len()) + MARKER.len();
    let ids_text = rest.trim_start();
    let ids_start = ids_at + (rest.len() - ids_text.len());
    let ids_len = ids_text.find(char::is_whitespace).unwrap_or(ids_text.len());
    let mut rules = Vec::new();
    let mut at = ids_start;
    for id in ids_text[..ids_len].split(',') {
        if !id.is_empty() {
            rules.push((id.to_string(), span.sub(at..at + id.len())));
        }
        at += id.len() + 1;
    }
    if rules.is_empty() {
        return None;
    }
    let line_span = span.sub(lead..line.trim_end().len());
    Some(Suppression {
        rules,
        address: None,
        reason: reason(Some(&ids_text[ids_len..])),
        span: line_span,
    })
}

/// The check stage's part: suppressions naming an unknown rule (W0110) and `ignore` blocks
/// whose address is no resource or outbound rule of the manifest (W0111).
pub fn check(manifest: &Manifest, sources: &Sources, diags: &mut crate::diagnostic::Diagnostics) {
    let suppressions = Suppressions::of(manifest, sources);
    let ids: Vec<&str> = super::rules::RULES.iter().map(|r| r.id).collect();
    for s in suppressions.all() {
        for (rule, span) in &s.rules {
            if !ids.iter().any(|id| id.eq_ignore_ascii_case(rule)) {
                diags.push(crate::diagnostics::review::unknown_rule(rule, *span, &ids));
            }
        }
    }
    for review in manifest.settings.iter().filter(|b| b.kind == "review") {
        for ignore in review.body.blocks("ignore") {
            let Some(attr) = ignore.body.attr("address") else {
                continue;
            };
            let Some(address) = attr.value.as_str() else {
                continue;
            };
            if !names_something(manifest, address) {
                let known: Vec<String> = manifest
                    .resources
                    .iter()
                    .flat_map(|r| {
                        std::iter::once(r.address.clone()).chain(
                            super::ctx::outbound_rules(r)
                                .into_iter()
                                .map(|(_, address, _)| address),
                        )
                    })
                    .collect();
                diags.push(crate::diagnostics::review::ignore_matches_nothing(
                    address, attr.span, &known,
                ));
            }
        }
    }
}

/// A resource's address, or one of a workspace's outbound rules (`ADDRESS.outbound_rule.NAME`).
fn names_something(manifest: &Manifest, address: &str) -> bool {
    manifest.resources.iter().any(|r| {
        r.address == address
            || address
                .strip_prefix(r.address.as_str())
                .and_then(|rest| rest.strip_prefix(".outbound_rule."))
                .is_some_and(|label| {
                    super::ctx::outbound_rules(r)
                        .iter()
                        .any(|(b, _, _)| b.label() == Some(label))
                })
    })
}

#[cfg(test)]
mod tests {
    use super::parse_comment;
    use crate::source::{FileId, Span};

    fn span(len: usize) -> Span {
        Span::new(FileId(0), 0..len)
    }

    #[test]
    fn an_inline_comment_names_rules_and_a_reason() {
        let line = "  # amlplan:ignore AML-NET-004,AML-NET-003 approved, ticket 12\n";
        let s = parse_comment(line, span(line.len())).expect("a suppression");
        let ids: Vec<&str> = s.rules.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(ids, ["AML-NET-004", "AML-NET-003"]);
        assert_eq!(s.reason.as_deref(), Some("approved, ticket 12"));
        assert_eq!(&line[s.rules[1].1.range()], "AML-NET-003");
        let bare = "// amlplan:ignore AML-NET-004\n";
        let s = parse_comment(bare, span(bare.len())).expect("a suppression");
        assert_eq!(s.reason, None);
        assert!(parse_comment("# amlplan:ignore\n", span(17)).is_none());
        assert!(parse_comment("x = 1 # amlplan:ignore AML-NET-004 r\n", span(36)).is_none());
    }
}
