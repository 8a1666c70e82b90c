//! The one diagnostic type.
//!
//! Every problem amlplan reports — a syntax error, a bad reference, a type error, a warning
//! about a deprecated VM priority — is a [`Diagnostic`]: a stable [`Code`], a severity, a
//! message, a primary labelled span, secondary labelled spans and an optional help line.
//! The wording of each code lives in the per-stage catalogues under `src/diagnostics/`; this
//! file only defines the shape. Rendering (human via miette, JSON) is in `src/render/`.

use crate::source::Span;

pub use crate::diagnostics::codes::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span with the text shown next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is. Absent only for problems with no place in any file (for example
    /// a directory that does not exist).
    pub primary: Option<Label>,
    /// Other places that explain the problem (the other declaration of a duplicate, each edge
    /// of a cycle, the variable whose validation failed, ...).
    pub secondary: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: shorten(message.into()),
            primary: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn at(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label {
            span,
            message: shorten(label.into()),
        });
        self
    }

    /// Sets the primary span only if none is set yet. Used by callers that know a span for
    /// an error raised by a helper that knew none (an evaluator error inside a function, say).
    pub fn or_at(self, span: Span, label: impl Into<String>) -> Diagnostic {
        if self.primary.is_some() {
            self
        } else {
            self.at(span, label)
        }
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: shorten(label.into()),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(shorten(help.into()));
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn span(&self) -> Option<Span> {
        self.primary.as_ref().map(|l| l.span)
    }
}

/// Texts up to this many bytes are shown whole.
const MAX_TEXT: usize = 1_000;
/// Longest run of non-blank characters shown whole in a longer text.
const MAX_RUN: usize = 120;

/// A diagnostic's text as it is shown: a value quoted into a message can be megabytes long
/// (a hostile or generated manifest), and a message that size is noise, not help. Long runs of
/// non-blank characters keep their start and end around an ellipsis; a text still too long
/// keeps its start and says how much was left out.
fn shorten(text: String) -> String {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut out = String::with_capacity(MAX_TEXT * 2);
    for (i, piece) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let chars = piece.chars().count();
        if chars <= MAX_RUN {
            out.push_str(piece);
        } else {
            out.extend(piece.chars().take(MAX_RUN / 2));
            out.push('…');
            out.extend(piece.chars().skip(chars - MAX_RUN / 4));
        }
    }
    if out.len() > MAX_TEXT * 2 {
        let cut = (0..=MAX_TEXT)
            .rev()
            .find(|&i| out.is_char_boundary(i))
            .unwrap_or(0);
        let left = out.len() - cut;
        out.truncate(cut);
        out.push_str(&format!("… ({left} more bytes not shown)"));
    }
    out
}

/// Diagnostics collected by a stage. Stages keep going after an error so one run reports as
/// much as it can; the caller decides whether to continue to the next stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file, position, then code, with exact duplicates removed, so output does not
    /// depend on the order in which stages or hash maps produced them.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let ka = a.span().map(|s| (s.file, s.start, s.end));
            let kb = b.span().map(|s| (s.file, s.start, s.end));
            ka.cmp(&kb)
                .then(a.code.cmp(&b.code))
                .then(a.message.cmp(&b.message))
        });
        self.items.dedup();
        self.items
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.items.extend(iter);
    }
}

/// Names from `candidates` close to `name`, best first, for "did you mean" help.
pub fn similar_names<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let lower = name.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != name && crate::suggest::comparable(name, c))
        .map(|c| {
            let score = strsim::jaro_winkler(&lower, &c.to_ascii_lowercase());
            (score, c)
        })
        .filter(|(score, c)| {
            *score >= 0.8
                || c.eq_ignore_ascii_case(name)
                || strsim::levenshtein(&lower, &c.to_ascii_lowercase()) <= 2
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().map(|(_, c)| c).take(3).collect()
}

/// "did you mean `x`?" for the best candidate, if any.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    similar_names(name, candidates)
        .first()
        .map(|best| format!("did you mean `{best}`?"))
}

#[cfg(test)]
mod shorten_tests {
    use super::*;

    #[test]
    fn short_texts_are_kept_and_long_values_are_cut() {
        assert_eq!(shorten("unknown `x`".into()), "unknown `x`");
        let long = format!("`{}` is not a VM size", "x".repeat(2_000_000));
        let shown = shorten(long);
        assert!(shown.len() < 200, "{}", shown.len());
        assert!(shown.starts_with("`xxx") && shown.ends_with("xx` is not a VM size"));
        let spaced = "ab ".repeat(100_000);
        assert!(shorten(spaced).len() < 1_100);
    }
}
