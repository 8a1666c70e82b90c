//! Diagnostics as JSON (`--format json`).
//!
//! Format (version 1):
//! `{"format_version":1,"diagnostics":[{"code","severity","message","file","line","column",
//! "end_line","end_column","help"}],"summary":{"errors","warnings"}}`. Lines and columns are
//! 1-based and belong to the primary span; `file` and the positions are `null` for a
//! diagnostic with no place in a file.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::source::Sources;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub help: Option<String>,
}

#[derive(Debug, Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
}

#[derive(Debug, Serialize)]
struct Document {
    format_version: u32,
    diagnostics: Vec<JsonDiagnostic>,
    summary: Summary,
}

pub fn to_json(diagnostic: &Diagnostic, sources: &Sources) -> JsonDiagnostic {
    let place = diagnostic.span().map(|span| {
        let file = sources.get(span.file);
        let (line, column) = file.line_col(span.start as usize);
        let (end_line, end_column) = file.line_col(span.end as usize);
        (
            file.display_path.clone(),
            line,
            column,
            end_line,
            end_column,
        )
    });
    JsonDiagnostic {
        code: diagnostic.code.as_str(),
        severity: diagnostic.severity.as_str(),
        message: diagnostic.message.clone(),
        file: place.as_ref().map(|p| p.0.clone()),
        line: place.as_ref().map(|p| p.1),
        column: place.as_ref().map(|p| p.2),
        end_line: place.as_ref().map(|p| p.3),
        end_column: place.as_ref().map(|p| p.4),
        help: diagnostic.help.clone(),
    }
}

pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let doc = Document {
        format_version: FORMAT_VERSION,
        diagnostics: diagnostics.iter().map(|d| to_json(d, sources)).collect(),
        summary: Summary {
            errors,
            warnings: diagnostics.len() - errors,
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}
