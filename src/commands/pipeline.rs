//! Steps shared by the commands that plan: compile, check, lower to ARM.

use std::path::{Path, PathBuf};

use crate::arm::Desired;
use crate::cli::{ManifestArgs, ProviderArgs};
use crate::compile::{Compilation, compile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::render::human::{self, Style};

/// A compiled, checked and lowered manifest.
pub struct Lowered {
    pub compilation: Compilation,
    pub desired: Vec<Desired>,
    /// Warnings, to print with the plan.
    pub warnings: Vec<Diagnostic>,
}

/// Prints diagnostics to stderr (human form).
pub fn report(diagnostics: &[Diagnostic], compilation: &Compilation, style: Style) {
    eprint!(
        "{}",
        human::render_all(diagnostics, &compilation.sources, style)
    );
}

/// Compiles and lowers; prints diagnostics and returns `None` when there are errors.
pub fn compile_and_lower(args: &ManifestArgs, style: Style) -> Option<Lowered> {
    let inputs = match super::inputs(args) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    let mut compilation = compile(&args.dir, &inputs);
    let mut diagnostics = std::mem::take(&mut compilation.diagnostics);
    if args.deny_warnings {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        report(&diagnostics, &compilation, style);
        eprintln!(
            "error: the manifest has errors: {}",
            human::summary(&diagnostics)
        );
        return None;
    }
    match crate::arm::lower::lower(&compilation.manifest, &compilation.sources) {
        Ok(desired) => Some(Lowered {
            compilation,
            desired,
            warnings: diagnostics,
        }),
        Err(errors) => {
            report(&errors, &compilation, style);
            None
        }
    }
}

/// Where the state and the mock cloud live for a manifest directory.
pub struct Paths {
    pub state: PathBuf,
    pub mock_cloud: PathBuf,
}

pub fn paths(dir: &Path, provider: &ProviderArgs, backend_path: Option<&str>) -> Paths {
    let state = provider
        .state
        .clone()
        .unwrap_or_else(|| match backend_path {
            Some(p) => dir.join(p),
            None => dir.join(".amlplan/state.json"),
        });
    let mock_cloud = provider
        .mock_cloud
        .clone()
        .unwrap_or_else(|| dir.join(".amlplan/mock-cloud.json"));
    Paths { state, mock_cloud }
}
