//! Human-readable diagnostics through miette's graphical handler.
//!
//! miette draws one source per report, so labels in the primary span's file are drawn in
//! place and labels in other files are listed after the help as `file:line:col: message`.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::excerpt;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Sources, Span};

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Terminal width to wrap at.
    pub width: usize,
    /// Diagnostics drawn by [`render_all`]; the rest are only counted.
    pub max_shown: usize,
}

impl Style {
    /// Fixed settings for snapshots and tests: no colour, 100 columns.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
            max_shown: usize::MAX,
        }
    }
}

struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<Shown>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// The source miette draws from: only the lines around the labels (miette scans its source
/// from the start to place a span, so handing it the whole file made each diagnostic cost the
/// file's size), with long lines cut ([`excerpt`]). Line numbers are the file's: the window's
/// first line is added back. For a cut line the column miette would print in the
/// `file:line:col` header is the excerpt's, so the primary label's column is answered from the
/// original text.
struct Shown {
    text: NamedSource<String>,
    /// The 0-based file line the window starts at.
    first_line: usize,
    /// Excerpt offset of the primary label and its 0-based column in the original line.
    primary_column: Option<(usize, usize)>,
}

impl miette::SourceCode for Shown {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.text.read_span(span, before, after)?;
        let column = match self.primary_column {
            Some((offset, column)) if before == 0 && after == 0 && span.offset() == offset => {
                column
            }
            _ => contents.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            contents.name().unwrap_or_default().to_string(),
            contents.data(),
            *contents.span(),
            contents.line() + self.first_line,
            column,
            // miette counts these from the start of its source (they decide how snippets
            // merge and how wide the gutter is): counted from the file's start, as before.
            contents.line_count() + self.first_line,
        )))
    }
}

/// Lines of source shown before and after a label.
const CONTEXT_LINES: usize = 1;

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

/// Renders one diagnostic.
pub fn render(diagnostic: &Diagnostic, sources: &Sources, style: Style) -> String {
    let primary_file = diagnostic.span().map(|s| s.file);
    // Labels drawn in place: (span, message, primary).
    let mut here: Vec<(Span, Option<String>, bool)> = Vec::new();
    let mut elsewhere = Vec::new();
    if let Some(p) = &diagnostic.primary {
        here.push((
            p.span,
            Some(p.message.clone()).filter(|m| !m.is_empty()),
            true,
        ));
    }
    for l in &diagnostic.secondary {
        if Some(l.span.file) == primary_file {
            here.push((l.span, Some(l.message.clone()), false));
        } else {
            let file = sources.get(l.span.file);
            let (line, col) = file.line_col(l.span.start as usize);
            elsewhere.push(format!("{}:{line}:{col}: {}", file.display_path, l.message));
        }
    }
    let mut help = diagnostic.help.clone();
    if !elsewhere.is_empty() {
        let extra = elsewhere.join("\n");
        help = Some(match help {
            Some(h) => format!("{h}\n{extra}"),
            None => extra,
        });
    }
    let mut source = None;
    let mut spans: Vec<SourceSpan> = here.iter().map(|(s, _, _)| source_span(*s)).collect();
    if let Some(f) = primary_file {
        let file = sources.get(f);
        let offsets: Vec<usize> = here
            .iter()
            .flat_map(|(s, _, _)| [s.start as usize, s.end as usize])
            .map(|o| o.min(file.text.len()))
            .collect();
        // The labelled lines and one line of context either side (the handler's setting).
        let lo = offsets.iter().copied().min().unwrap_or(0);
        let hi = offsets.iter().copied().max().unwrap_or(0);
        let first_line = file.line_index(lo).saturating_sub(CONTEXT_LINES);
        let window = file.line_range(first_line, file.line_index(hi) + CONTEXT_LINES);
        let window_text = &file.text[window.clone()];
        let local: Vec<usize> = offsets.iter().map(|o| o - window.start).collect();
        let (text, mapped, primary_column) = match excerpt::excerpt(window_text, &local) {
            Some((text, mapped)) => {
                // The column as miette counts it, from the start of the primary's own line.
                let primary = diagnostic.primary.as_ref().and_then(|p| {
                    let start = (p.span.start as usize).min(file.text.len());
                    let line = file.line_range(file.line_index(start), file.line_index(start));
                    let in_line = SourceSpan::new((start - line.start).into(), 0);
                    let column = miette::SourceCode::read_span(&file.text[line], &in_line, 0, 0)
                        .ok()?
                        .column();
                    Some((mapped[0], column))
                });
                (text, mapped, primary)
            }
            None => (window_text.to_string(), local, None),
        };
        spans = mapped
            .chunks(2)
            .map(|pair| SourceSpan::new(pair[0].into(), pair[1].saturating_sub(pair[0])))
            .collect();
        source = Some(Shown {
            text: NamedSource::new(file.display_path.clone(), text),
            first_line,
            primary_column,
        });
    }
    let labels = here
        .into_iter()
        .zip(spans)
        .map(|((_, message, primary), span)| {
            if primary {
                LabeledSpan::new_primary_with_span(message, span)
            } else {
                LabeledSpan::new_with_span(message, span)
            }
        })
        .collect();
    let report = Report {
        diagnostic,
        source,
        labels,
        help,
    };
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(CONTEXT_LINES);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = format!("{}: {}\n", diagnostic.code, diagnostic.message);
    }
    out
}

/// Renders the diagnostics, at most `style.max_shown` of them (errors before warnings when
/// some must be left out), then a line counting the ones left out.
pub fn render_all(diagnostics: &[Diagnostic], sources: &Sources, style: Style) -> String {
    let mut out = String::new();
    // Which to draw: all, or the first errors then the first warnings up to the limit.
    let mut shown = vec![diagnostics.len() <= style.max_shown; diagnostics.len()];
    if diagnostics.len() > style.max_shown {
        let errors = (0..diagnostics.len()).filter(|&i| diagnostics[i].is_error());
        let warnings = (0..diagnostics.len()).filter(|&i| !diagnostics[i].is_error());
        for i in errors.chain(warnings).take(style.max_shown) {
            shown[i] = true;
        }
    }
    let (mut left_errors, mut left_warnings) = (0, 0);
    for (d, show) in diagnostics.iter().zip(shown) {
        match (show, d.is_error()) {
            (true, _) => {
                out.push_str(&render(d, sources, style));
                out.push('\n');
            }
            (false, true) => left_errors += 1,
            (false, false) => left_warnings += 1,
        }
    }
    if left_errors + left_warnings > 0 {
        out.push_str(&format!(
            "... and {} more not shown ({}); `--max-errors 0` shows them all\n\n",
            left_errors + left_warnings,
            counts(left_errors, left_warnings)
        ));
    }
    out
}

/// "2 errors, 1 warning".
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    counts(errors, diagnostics.len() - errors)
}

fn counts(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
