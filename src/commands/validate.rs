//! `amlplan validate`: compile and check a manifest, print the diagnostics.

use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::compile::compile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::render::human::{self, Style};
use crate::render::json;

use super::{EXIT_ERROR, EXIT_OK};

pub fn run(args: &ValidateArgs, style: Style) -> u8 {
    let manifest = &args.manifest;
    let inputs = match super::inputs(manifest) {
        Ok(i) => i,
        Err(d) => {
            match args.format {
                DiagnosticFormat::Json => crate::render::stdout::print(&json::render(
                    &[d],
                    &crate::source::Sources::new(),
                )),
                DiagnosticFormat::Human => crate::render::stderr::print(format_args!(
                    "{}",
                    human::render_all(&[d], &crate::source::Sources::new(), style)
                )),
            }
            return EXIT_ERROR;
        }
    };
    let mut compilation = compile(&manifest.dir, &inputs);
    let mut diagnostics = std::mem::take(&mut compilation.diagnostics);
    if manifest.deny_warnings {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    match args.format {
        DiagnosticFormat::Json => {
            crate::render::stdout::print(&json::render(&diagnostics, &compilation.sources))
        }
        DiagnosticFormat::Human => {
            crate::render::stderr::print(format_args!(
                "{}",
                human::render_all(&diagnostics, &compilation.sources, style)
            ));
            if failed {
                crate::render::stderr::println(format_args!(
                    "validation failed: {}",
                    human::summary(&diagnostics)
                ));
            } else {
                let n = compilation.manifest.resources.len();
                let warnings = if diagnostics.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", human::summary(&diagnostics))
                };
                crate::render::stdout::println(&format!(
                    "The manifest is valid: {n} resource{}{warnings}.",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
    }
    // The process exits next: freeing the parsed files and the manifest would only cost
    // time on a large manifest.
    std::mem::forget(compilation.parsed);
    std::mem::forget(compilation.manifest);
    if failed { EXIT_ERROR } else { EXIT_OK }
}
