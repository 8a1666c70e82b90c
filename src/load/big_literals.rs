//! Number literals beyond `f64`'s range (`1e500`, or a whole number of more than 308 digits).
//! Terraform reads them (its numbers are arbitrary precision), but hcl-edit converts every
//! literal to an `f64` and stops with a syntax error at one that overflows. Such a literal is
//! parsed as zeros of the same length, so that every span in the file stays where it was, and
//! its node is then replaced by `tonumber("<the literal>")`, which the evaluator reads at full
//! precision. `amlplan fmt` formats the zeroed text and puts the literals back
//! ([`parse_zeroed`]), so it reads the same files the loader does.

use std::ops::Range;
use std::sync::LazyLock;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, FuncArgs, FuncCall};
use hcl_edit::structure::Body;
use hcl_edit::visit::{Visit, visit_expr};
use hcl_edit::visit_mut::{VisitMut, visit_expr_mut};
use regex::Regex;

static LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?").expect("the literal pattern is valid")
});

/// Parses a file's text as hcl-edit does, also when it holds number literals beyond `f64`.
pub fn parse_body(text: &str) -> Result<Body, hcl_edit::parser::Error> {
    let zeroed = parse_zeroed(text)?;
    let mut body = zeroed.body;
    if !zeroed.literals.is_empty() {
        Restore {
            text,
            literals: &zeroed.literals,
        }
        .visit_body_mut(&mut body);
    }
    Ok(body)
}

/// A file's text with its number literals beyond `f64` turned into zeros, and its parse.
pub struct Zeroed {
    /// The text, each such literal's digits replaced by `0` (so every byte offset is kept).
    pub text: String,
    /// The literals' byte ranges in the text, in order; empty when there were none.
    pub literals: Vec<Range<usize>>,
    /// The parse of `text` (the literals read as zeros).
    pub body: Body,
}

/// Parses `text`, reading each number literal beyond `f64` as zeros of its length. A syntax
/// error of another kind is returned at its place in `text`.
pub fn parse_zeroed(text: &str) -> Result<Zeroed, hcl_edit::parser::Error> {
    let first = match hcl_edit::parser::parse_body(text) {
        Ok(body) => {
            return Ok(Zeroed {
                text: text.to_string(),
                literals: Vec::new(),
                body,
            });
        }
        Err(e) => e,
    };
    // Every text that looks like such a literal, also inside strings and comments: the parse
    // of the zeroed text tells which ones are number literals.
    let candidates: Vec<Range<usize>> = LITERAL
        .find_iter(text)
        .filter(|m| {
            // Not the tail of a name (`x1e500`) or of another number.
            let before = text[..m.start()].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                && m.as_str().parse::<f64>().is_ok_and(f64::is_infinite)
        })
        .map(|m| m.range())
        .collect();
    if candidates.is_empty() {
        return Err(first);
    }
    let patched = zeroed(text, &candidates);
    // Zeroing digits makes no other text invalid: an error now is one of another kind, at
    // the same offset in `text`.
    let body = hcl_edit::parser::parse_body(&patched)?;
    let mut ends = NumberEnds(Vec::new());
    ends.visit_body(&body);
    ends.0.sort_unstable();
    let literals: Vec<Range<usize>> = candidates
        .iter()
        .filter(|r| ends.0.binary_search(&r.end).is_ok())
        .cloned()
        .collect();
    if literals.len() == candidates.len() {
        return Ok(Zeroed {
            text: patched,
            literals,
            body,
        });
    }
    // Some were inside strings or comments: those keep their text.
    let patched = zeroed(text, &literals);
    let body = hcl_edit::parser::parse_body(&patched)?;
    Ok(Zeroed {
        text: patched,
        literals,
        body,
    })
}

/// `text` with the digits in `ranges` replaced by `0`: the same length, and a literal
/// hcl-edit reads.
fn zeroed(text: &str, ranges: &[Range<usize>]) -> String {
    let mut patched = text.to_string();
    for range in ranges {
        let zeros: String = text[range.clone()]
            .chars()
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect();
        patched.replace_range(range.clone(), &zeros);
    }
    patched
}

/// Where each number literal of a body ends.
struct NumberEnds(Vec<usize>);

impl Visit for NumberEnds {
    fn visit_expr(&mut self, expr: &Expression) {
        if let Expression::Number(n) = expr
            && let Some(span) = n.span()
        {
            self.0.push(span.end);
        }
        visit_expr(self, expr);
    }
}

struct Restore<'a> {
    text: &'a str,
    literals: &'a [Range<usize>],
}

impl VisitMut for Restore<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expression) {
        if let Expression::Number(n) = expr
            && let Some(span) = n.span()
            && let Ok(i) = self.literals.binary_search_by_key(&span.end, |r| r.end)
        {
            let literal = self.literals[i].clone();
            // A negative literal's node starts at its `-`.
            let negative = self.text[span.start..literal.start].trim().starts_with('-');
            let digits = &self.text[literal.clone()];
            let text = if negative {
                format!("-{digits}")
            } else {
                digits.to_string()
            };
            let mut args = FuncArgs::new();
            args.push(Expression::from(text));
            *expr = Expression::FuncCall(Box::new(FuncCall::new(
                hcl_edit::Ident::new("tonumber"),
                args,
            )));
            return;
        }
        visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_beyond_f64_parse_as_tonumber_calls() {
        let text = "a = 1e500\nb = [1.5E+400, -2e999]\nc = \"1e500\"\nd = 1e5\n";
        let body = parse_body(text).expect("parses");
        let shown: Vec<String> = body
            .attributes()
            .map(|a| a.value.to_string().trim().to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "tonumber(\"1e500\")",
                "[tonumber(\"1.5E+400\"), tonumber(\"-2e999\")]",
                "\"1e500\"",
                "1e5"
            ]
        );
    }

    #[test]
    fn whole_numbers_beyond_f64_and_lookalikes_in_strings_and_comments() {
        let long = "7".repeat(320);
        let text = format!(
            "# 1e500 in a comment\na = {long}\nb = \"1e500 ${{1e600}}\"\nc = -{long} /* {long} */\n"
        );
        let zeroed = parse_zeroed(&text).expect("parses");
        // Only the number literals are zeroed; the comments and the string keep their text.
        let ranges: Vec<&str> = zeroed.literals.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(ranges, [long.as_str(), "1e600", long.as_str()]);
        assert_eq!(zeroed.text.len(), text.len());
        assert!(zeroed.text.starts_with("# 1e500 in a comment\n"));
        assert!(
            zeroed.text.contains("\"1e500 ${0e000}\""),
            "{}",
            zeroed.text
        );
        let body = parse_body(&text).expect("parses");
        let shown: Vec<String> = body
            .attributes()
            .map(|a| a.value.to_string().trim().to_string())
            .collect();
        assert_eq!(
            shown,
            [
                format!("tonumber(\"{long}\")"),
                "\"1e500 ${ tonumber(\"1e600\") }\"".to_string(),
                format!("tonumber(\"-{long}\")"),
            ]
        );
        // Within f64 nothing is zeroed.
        assert!(
            parse_zeroed("a = 12345678901234567890\n")
                .expect("parses")
                .literals
                .is_empty()
        );
    }

    #[test]
    fn other_syntax_errors_stay_as_they_were() {
        let text = "a = 1e500\nb = = 2\n";
        let err = parse_body(text).expect_err("a syntax error");
        assert!(
            err.location().offset() >= text.find("= 2").unwrap_or(0),
            "{err}"
        );
        let plain = hcl_edit::parser::parse_body("b = = 2\n").expect_err("a syntax error");
        assert_eq!(err.message(), plain.message());
        assert!(parse_body("x = 1e500e").is_err());
        assert!(parse_body("x = \"${1e500\"").is_err());
    }
}
