//! Number literals beyond `f64`'s range (`1e500`). Terraform reads them (its numbers are
//! arbitrary precision), but hcl-edit converts every literal to an `f64` and stops with a
//! syntax error at one that overflows. Such a literal is parsed as zeros of the same length,
//! so that every span in the file stays where it was, and its node is then replaced by
//! `tonumber("<the literal>")`, which the evaluator reads at full precision.

use std::ops::Range;
use std::sync::LazyLock;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, FuncArgs, FuncCall};
use hcl_edit::structure::Body;
use hcl_edit::visit_mut::{VisitMut, visit_expr_mut};
use regex::Regex;

/// More overflowing literals than this in one file is not a manifest anyone writes; the
/// bound keeps a hostile file from costing a parse per literal without end.
const MAX_LITERALS: usize = 256;

static LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+").expect("the literal pattern is valid")
});

/// Parses a file's text as hcl-edit does, also when it holds number literals beyond `f64`.
pub fn parse_body(text: &str) -> Result<Body, hcl_edit::parser::Error> {
    let first = match hcl_edit::parser::parse_body(text) {
        Ok(body) => return Ok(body),
        Err(e) => e,
    };
    let mut patched = text.to_string();
    let mut literals: Vec<Range<usize>> = Vec::new();
    let mut error = first.clone();
    while literals.len() < MAX_LITERALS {
        let Some(range) = overflowing_literal_at(&patched, error.location().offset()) else {
            // A syntax error of another kind: the same place in the original text.
            return Err(error);
        };
        // Digits become zeros: the same length, and a literal hcl-edit reads.
        let zeros: String = patched[range.clone()]
            .chars()
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect();
        patched.replace_range(range.clone(), &zeros);
        literals.push(range);
        match hcl_edit::parser::parse_body(&patched) {
            Ok(mut body) => {
                Restore { text, literals }.visit_body_mut(&mut body);
                return Ok(body);
            }
            Err(e) => error = e,
        }
    }
    Err(first)
}

/// The literal beyond `f64`'s range at (or just before) the place the parser stopped.
fn overflowing_literal_at(text: &str, offset: usize) -> Option<Range<usize>> {
    LITERAL
        .find_iter(text)
        .take_while(|m| m.start() <= offset)
        .filter(|m| offset <= m.end())
        .find(|m| {
            // Not the tail of a name (`x1e500`) or of another number.
            let before = text[..m.start()].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                && m.as_str().parse::<f64>().is_ok_and(f64::is_infinite)
        })
        .map(|m| m.range())
}

struct Restore<'a> {
    text: &'a str,
    literals: Vec<Range<usize>>,
}

impl VisitMut for Restore<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expression) {
        if let Expression::Number(n) = expr
            && let Some(span) = n.span()
            && let Some(literal) = self.literals.iter().find(|r| r.end == span.end)
        {
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
