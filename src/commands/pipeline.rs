//! Steps shared by the commands that plan: compile, check, lower to ARM.

use std::path::{Path, PathBuf};

use crate::arm::Desired;
use crate::cli::{ManifestArgs, ProviderArgs};
use crate::compile::{Compilation, compile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::render::human::{self, Style};

/// A compiled, checked and lowered manifest.
pub struct Lowered {
    /// The manifest directory and the variable inputs it was compiled with (apply compiles
    /// again when values known only after apply become known).
    pub dir: PathBuf,
    pub inputs: crate::lang::instantiate::Inputs,
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
    let dir = args.dir.clone();
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
    provider_defaults(&mut compilation.manifest);
    match crate::arm::lower::lower(&compilation.manifest, &compilation.sources) {
        Ok(desired) => Some(Lowered {
            dir,
            inputs,
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

/// Fills in what the provider knows and the manifest may leave out: the Entra tenant (a key
/// vault needs it). The mock provider's tenant is fixed; the real provider will take it from
/// the credential.
pub fn provider_defaults(manifest: &mut crate::model::Manifest) {
    let Some(azure) = manifest.azure.as_mut() else {
        return;
    };
    if azure.body.attrs.contains_key("tenant_id") {
        return;
    }
    let span = azure.span;
    azure.body.attrs.insert(
        "tenant_id".into(),
        crate::model::Attr {
            name: "tenant_id".into(),
            value: crate::lang::value::Value::String(crate::provider::emulator::tenant_id()),
            key_span: span,
            span,
            sensitive: false,
            deps: Vec::new(),
        },
    );
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
