//! The compiler pipeline from a directory to a checked manifest: load, evaluate, check.
//!
//! The parsed files are kept with the result, so the manifest can be evaluated again with new
//! inputs (values known only after apply) without reading or parsing any file again:
//! [`Compilation::reevaluate`].

use std::path::Path;
use std::sync::Arc;

use crate::fs::Remembering;

use crate::check;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::lang::instantiate::{self, Inputs};
use crate::model::Manifest;
use crate::source::Sources;

/// Everything a command needs after compiling a manifest directory.
#[derive(Debug)]
pub struct Compilation {
    pub sources: Sources,
    pub manifest: Manifest,
    /// Sorted by position, de-duplicated.
    pub diagnostics: Vec<Diagnostic>,
    /// The parsed files, kept for re-evaluation; shared, so a re-evaluation (on another
    /// thread, mid-apply) needs no copy. Freeing them is the caller's choice (the CLI exits
    /// without freeing: on a large manifest that is tens of milliseconds saved).
    pub parsed: Arc<Vec<instantiate::ModuleDir>>,
    /// Every file answer the compilation got (manifest files, var files, `file()` targets,
    /// conda files): re-evaluating and lowering it again reads these, not the disk.
    pub files: Arc<Remembering>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Evaluates and checks the already parsed manifest again with `inputs`, reading no
    /// manifest file. The result's sources extend this compilation's, so spans stay valid.
    pub fn reevaluate(&self, inputs: &Inputs) -> Compilation {
        evaluate_parsed(
            self.parsed.clone(),
            self.sources.clone(),
            self.files.clone(),
            inputs,
        )
    }

    /// Runs `f` reading files as this compilation did (see [`Compilation::files`]).
    pub fn reading<T>(&self, f: impl FnOnce() -> T) -> T {
        crate::fs::with(self.files.clone(), f)
    }
}

pub fn compile(dir: &Path, inputs: &Inputs) -> Compilation {
    let files = Arc::new(Remembering::over(crate::fs::current()));
    crate::fs::with(files.clone(), || {
        let mut sources = Sources::new();
        let mut diags = Diagnostics::new();
        let modules = instantiate::load_modules(dir, dir, &mut sources, &mut diags);
        let root_has_files = modules.first().is_some_and(|m| !m.files.is_empty());
        if !root_has_files && !diags.has_errors() {
            diags.push(crate::diagnostics::load::no_manifest_files(
                &dir.display().to_string(),
            ));
        }
        finish(Arc::new(modules), sources, diags, inputs, files.clone())
    })
}

/// [`Compilation::reevaluate`] without a compilation: the parsed modules, the sources they
/// were parsed from and the file answers the first evaluation got.
pub fn evaluate_parsed(
    modules: Arc<Vec<instantiate::ModuleDir>>,
    sources: Sources,
    files: Arc<Remembering>,
    inputs: &Inputs,
) -> Compilation {
    crate::fs::with(files.clone(), || {
        finish(modules, sources, Diagnostics::new(), inputs, files.clone())
    })
}

fn finish(
    modules: Arc<Vec<instantiate::ModuleDir>>,
    mut sources: Sources,
    mut diags: Diagnostics,
    inputs: &Inputs,
    files: Arc<Remembering>,
) -> Compilation {
    // After a syntax error the declarations are incomplete, and evaluating them would only
    // add confusing follow-on errors (references to blocks in the broken file).
    let root_has_files =
        modules.first().is_some_and(|m| !m.files.is_empty()) && !diags.has_errors();
    let manifest = if root_has_files {
        instantiate::evaluate(&modules, inputs, &mut sources, &mut diags)
    } else {
        Manifest::default()
    };
    if root_has_files {
        check::documents::load(&manifest, &mut sources);
        check::check(&manifest, &sources, &mut diags);
    }
    Compilation {
        sources,
        manifest,
        diagnostics: diags.sorted(),
        parsed: modules,
        files,
    }
}
