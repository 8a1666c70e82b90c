//! A compiled, checked and lowered manifest, and its re-evaluation with values known only
//! after apply: from the parsed files kept in memory and the file answers the compilation
//! got (var files, `file()` targets, conda files), never by reading files again.

use std::path::PathBuf;
use std::sync::Arc;

use crate::apply::{Known, Resolve};
use crate::arm::Desired;
use crate::compile::{Compilation, evaluate_parsed};
use crate::diagnostic::Diagnostic;
use crate::lang::instantiate::{self, Inputs};
use crate::provider::ProviderDefaults;
use crate::source::Sources;

pub struct Lowered {
    /// The manifest directory and the variable inputs it was compiled with.
    pub dir: PathBuf,
    pub inputs: Inputs,
    pub compilation: Compilation,
    pub desired: Vec<Desired>,
    /// Warnings, to print with the plan.
    pub warnings: Vec<Diagnostic>,
    /// The provider's defaults the manifest was lowered with.
    pub defaults: ProviderDefaults,
}

impl Lowered {
    /// Lowers a compilation without errors with the provider's defaults; the lowering
    /// errors otherwise (the compilation is given back with them, for rendering).
    pub fn lower(
        dir: PathBuf,
        inputs: Inputs,
        compilation: Compilation,
        warnings: Vec<Diagnostic>,
        defaults: ProviderDefaults,
    ) -> Result<Lowered, LoweringFailed> {
        let lowered = compilation.reading(|| {
            crate::arm::lower::lower_with(&compilation.manifest, &compilation.sources, &defaults)
        });
        match lowered {
            Ok(desired) => Ok(Lowered {
                dir,
                inputs,
                compilation,
                desired,
                warnings,
                defaults,
            }),
            Err(errors) => Err(LoweringFailed {
                compilation: Box::new(compilation),
                errors,
            }),
        }
    }

    /// The desired resources with `known` values, and the inputs that give them, if the
    /// manifest still compiles and lowers with them.
    pub fn with_known(&self, known: Known) -> Option<(Vec<Desired>, Inputs)> {
        let mut inputs = self.inputs.clone();
        inputs.known = known;
        let compilation = self.compilation.reevaluate(&inputs);
        if compilation.has_errors() {
            return None;
        }
        let desired = compilation
            .reading(|| {
                crate::arm::lower::lower_with(
                    &compilation.manifest,
                    &compilation.sources,
                    &self.defaults,
                )
            })
            .ok()?;
        Some((desired, inputs))
    }

    /// What apply uses to evaluate one resource again once values it needs are known.
    pub fn resolver(&self) -> Arc<dyn Resolve> {
        Arc::new(Reevaluate {
            parsed: self.compilation.parsed.clone(),
            sources: self.compilation.sources.clone(),
            files: self.compilation.files.clone(),
            inputs: self.inputs.clone(),
            defaults: self.defaults.clone(),
        })
    }
}

/// A compilation that does not lower, with the lowering errors.
pub struct LoweringFailed {
    pub compilation: Box<Compilation>,
    pub errors: Vec<Diagnostic>,
}

/// Evaluates the in-memory manifest again with the values now known and lowers it.
struct Reevaluate {
    parsed: Arc<Vec<instantiate::ModuleDir>>,
    sources: Sources,
    files: Arc<crate::fs::Remembering>,
    inputs: Inputs,
    defaults: ProviderDefaults,
}

impl Resolve for Reevaluate {
    fn resolve(&self, address: &str, known: &Known) -> Result<Desired, String> {
        let mut inputs = self.inputs.clone();
        inputs.known = known.clone();
        let compilation = evaluate_parsed(
            self.parsed.clone(),
            self.sources.clone(),
            self.files.clone(),
            &inputs,
        );
        if compilation.has_errors() {
            return Err("the manifest no longer compiles".into());
        }
        let desired = compilation
            .reading(|| {
                crate::arm::lower::lower_with(
                    &compilation.manifest,
                    &compilation.sources,
                    &self.defaults,
                )
            })
            .map_err(|_| "the manifest no longer lowers".to_string())?;
        desired
            .into_iter()
            .find(|d| d.address == address)
            .ok_or_else(|| format!("{address} is no longer in the manifest"))
    }
}
