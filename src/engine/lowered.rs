//! A compiled, checked and lowered manifest, and its re-evaluation with values known only
//! after apply: from the parsed files kept in memory and the file answers the compilation
//! got (var files, `file()` targets, conda files), never by reading files again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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
            last: Mutex::new(None),
            evaluations: AtomicUsize::new(0),
        })
    }
}

/// A compilation that does not lower, with the lowering errors.
pub struct LoweringFailed {
    pub compilation: Box<Compilation>,
    pub errors: Vec<Diagnostic>,
}

/// Evaluates the in-memory manifest again with the values now known and lowers it.
///
/// One evaluation serves every resource whose known values it already had: it keeps the
/// values it was given (those of every resource resolved so far) and the entries they gave.
/// A resource's entry depends only on the values of what it depends on, so when those are
/// the same, the kept entry is the one a fresh evaluation would give. The manifest is thus
/// evaluated again once per resource whose values become known (a workspace whose principal
/// ID its role assignments need), not once per operation.
struct Reevaluate {
    parsed: Arc<Vec<instantiate::ModuleDir>>,
    sources: Sources,
    files: Arc<crate::fs::Remembering>,
    inputs: Inputs,
    defaults: ProviderDefaults,
    last: Mutex<Option<Evaluated>>,
    evaluations: AtomicUsize,
}

/// One evaluation with known values: the values, and the entries by address.
struct Evaluated {
    known: Known,
    desired: HashMap<String, Desired>,
}

impl Evaluated {
    /// The entry at `address`, if this evaluation had exactly `known`'s values for
    /// everything it depends on.
    fn entry(&self, address: &str, known: &Known) -> Option<&Desired> {
        let d = self.desired.get(address)?;
        let same = |dep: &String| self.known.get(dep) == known.get(dep);
        (d.depends_on.iter().all(same) && known.keys().all(same)).then_some(d)
    }
}

impl Reevaluate {
    fn evaluate(&self, known: &Known) -> Result<HashMap<String, Desired>, String> {
        self.evaluations.fetch_add(1, Ordering::Relaxed);
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
        Ok(desired
            .into_iter()
            .map(|d| (d.address.clone(), d))
            .collect())
    }
}

impl Resolve for Reevaluate {
    fn resolve(&self, address: &str, known: &Known) -> Result<Desired, String> {
        // Held while evaluating: operations waiting on the same new values then find them.
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = last.as_ref().and_then(|e| e.entry(address, known)) {
            return Ok(d.clone());
        }
        // The values kept, but for this resource's dependencies exactly those given.
        let mut merged = Known::new();
        if let Some(kept) = last.as_ref() {
            let deps = kept.desired.get(address).map(|d| &d.depends_on);
            merged = kept
                .known
                .iter()
                .filter(|(a, _)| !deps.is_some_and(|deps| deps.contains(a)))
                .map(|(a, v)| (a.clone(), v.clone()))
                .collect();
        }
        merged.extend(known.iter().map(|(a, v)| (a.clone(), v.clone())));
        let desired = match self.evaluate(&merged) {
            Ok(desired) => desired,
            // Another resource's values may be what no longer evaluates: this one's alone.
            Err(_) if merged.len() > known.len() => {
                merged = known.clone();
                self.evaluate(&merged)?
            }
            Err(e) => return Err(e),
        };
        let found = desired
            .get(address)
            .cloned()
            .ok_or_else(|| format!("{address} is no longer in the manifest"));
        *last = Some(Evaluated {
            known: merged,
            desired,
        });
        found
    }

    fn evaluations(&self) -> usize {
        self.evaluations.load(Ordering::Relaxed)
    }
}
