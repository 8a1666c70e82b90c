//! Keeping sensitive values out of diagnostics.
//!
//! Plans and state hide sensitive values by path (see `plan::compare::redact`); a diagnostic
//! has no paths, only text a stage wrote about a value. The stages that know a value is
//! sensitive (the evaluator, the schema checker, variable binding) pass their diagnostic and
//! the value through [`scrub`], which replaces every way the value may have been quoted with
//! `(sensitive value)`, and drop hints that would describe it (the closest VM sizes, the
//! keys of a sensitive map).

use crate::diagnostic::Diagnostic;
use crate::lang::value::{Value, format_number};

/// How a sensitive value reads in a diagnostic.
pub const SHOWN: &str = "(sensitive value)";

/// Shortest secret replaced where it appears unquoted: a shorter one would also match
/// ordinary words of the message (a secret `"on"` inside "condition").
const MIN_UNQUOTED: usize = 4;

/// The texts a value may appear as in a message: its strings (and the first 40 characters
/// of long ones, as type errors quote them), numbers, and map keys, at any depth.
pub fn texts_of(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(value, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => push_text(s, out),
        Value::Number(n) => out.push(format_number(n)),
        Value::List(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Map(map) => {
            for (k, v) in map {
                push_text(k, out);
                collect(v, out);
            }
        }
        _ => {}
    }
}

fn push_text(s: &str, out: &mut Vec<String>) {
    if s.is_empty() {
        return;
    }
    out.push(s.to_string());
    let prefix: String = s.chars().take(40).collect();
    if prefix.len() < s.len() {
        out.push(prefix);
    }
}

/// `text` with every quoted occurrence of a secret (`"s"`, `` `s` ``, `'s'`, compared ignoring
/// case) replaced by [`SHOWN`], and unquoted ones too where the secret is long enough not to
/// be an ordinary word.
pub fn scrub_text(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    // Longest first, so a secret that contains another is replaced whole.
    let mut ordered: Vec<&String> = secrets.iter().filter(|s| !s.is_empty()).collect();
    ordered.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in ordered {
        for quoted in [
            format!("{secret:?}"),
            format!("\"{secret}\""),
            format!("`{secret}`"),
            format!("'{secret}'"),
        ] {
            out = replace_ignoring_case(&out, &quoted, SHOWN);
        }
        if secret.chars().count() >= MIN_UNQUOTED {
            out = replace_ignoring_case(&out, secret, SHOWN);
        }
    }
    out
}

fn replace_ignoring_case(haystack: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() || haystack.len() < needle.len() {
        return haystack.to_string();
    }
    let lower_hay = haystack.to_lowercase();
    let lower_needle = needle.to_lowercase();
    // Lower-casing may change byte lengths outside ASCII; fall back to an exact replace then.
    if lower_hay.len() != haystack.len() || lower_needle.len() != needle.len() {
        return haystack.replace(needle, with);
    }
    let mut out = String::with_capacity(haystack.len());
    let mut last = 0;
    for (start, _) in lower_hay.match_indices(&lower_needle) {
        if start < last {
            continue;
        }
        out.push_str(&haystack[last..start]);
        out.push_str(with);
        last = start + needle.len();
    }
    out.push_str(&haystack[last..]);
    out
}

/// The diagnostic with `secrets` scrubbed from its message, labels and help.
pub fn scrub(mut d: Diagnostic, secrets: &[String]) -> Diagnostic {
    if secrets.is_empty() {
        return d;
    }
    d.message = scrub_text(&d.message, secrets);
    if let Some(label) = d.primary.as_mut() {
        label.message = scrub_text(&label.message, secrets);
    }
    for label in &mut d.secondary {
        label.message = scrub_text(&label.message, secrets);
    }
    d.help = d.help.map(|h| scrub_text(&h, secrets));
    d
}

/// [`scrub`] by the texts of one sensitive value.
pub fn hide(d: Diagnostic, value: &Value) -> Diagnostic {
    scrub(d, &texts_of(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn quoted_and_long_unquoted_secrets_are_replaced() {
        let secrets = vec!["hunter22".to_string(), "on".to_string()];
        assert_eq!(
            scrub_text("\"HUNTER22\" is not allowed for `x`", &secrets),
            "(sensitive value) is not allowed for `x`"
        );
        assert_eq!(
            scrub_text("`Standard_hunter22` is unknown", &secrets),
            "`Standard_(sensitive value)` is unknown"
        );
        // A short secret is replaced only where quoted.
        assert_eq!(
            scrub_text("the condition \"on\" failed", &secrets),
            "the condition (sensitive value) failed"
        );
    }

    #[test]
    fn texts_cover_map_keys_numbers_and_prefixes() {
        let mut map = std::collections::BTreeMap::new();
        map.insert("secretkey".to_string(), Value::int(4242));
        let texts = texts_of(&Value::Map(map));
        assert!(texts.contains(&"secretkey".to_string()));
        assert!(texts.contains(&"4242".to_string()));
        let long = "x".repeat(50);
        assert!(texts_of(&Value::string(long.clone())).contains(&"x".repeat(40)));
    }

    #[test]
    fn every_text_of_a_diagnostic_is_scrubbed() {
        let span = crate::source::Span::new(crate::source::FileId(0), 0..1);
        let d = Diagnostic::new(Code::E0502, "\"s3cr3t!\" is not allowed")
            .at(span, "got s3cr3t!")
            .with_secondary(span, "from s3cr3t!")
            .with_help("did you mean s3cr3t?");
        let d = hide(d, &Value::string("s3cr3t!"));
        let all = format!("{d:?}");
        assert!(!all.contains("s3cr3t!"), "{all}");
    }
}
