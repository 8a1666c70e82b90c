//! Steps shared by the commands that plan: compile and check, open the provider, lower to
//! ARM with the provider's defaults, start the engine. Errors are printed here (through the
//! human renderer) and the caller only learns that it must stop.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::{ManifestArgs, ProviderArgs};
use crate::compile::{Compilation, compile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::lowered::Lowered;
use crate::engine::{Engine, StateConfig};
use crate::lang::instantiate::Inputs;
use crate::provider::{Provider, ProviderDefaults};
use crate::render::human::{self, Style};
use crate::source::Sources;

/// Prints diagnostics to stderr (human form).
pub fn report(diagnostics: &[Diagnostic], compilation: &Compilation, style: Style) {
    Reporter::Human(style).fail(diagnostics, &compilation.sources, None);
}

/// Where the diagnostics that end a command go: drawn for people on stderr, or, for
/// `plan --format json`, as the `errors` of a JSON plan on stdout, so whatever reads the JSON
/// sees every failure (a state, lock, file or provider error as well as the manifest's).
#[derive(Debug, Clone, Copy)]
pub enum Reporter {
    Human(Style),
    JsonPlan(Style),
}

impl Reporter {
    pub fn style(self) -> Style {
        match self {
            Reporter::Human(s) | Reporter::JsonPlan(s) => s,
        }
    }

    /// Reports the diagnostics a command ends with; `summary` is the closing line people see.
    pub fn fail(self, diagnostics: &[Diagnostic], sources: &Sources, summary: Option<String>) {
        match self {
            Reporter::Human(style) => {
                crate::render::stderr::print(format_args!(
                    "{}",
                    human::render_all(diagnostics, sources, style)
                ));
                if let Some(line) = summary {
                    crate::render::stderr::println(format_args!("{line}"));
                }
            }
            Reporter::JsonPlan(_) => {
                crate::render::stdout::print(&crate::render::plan_json::render_errors(
                    diagnostics,
                    sources,
                ));
            }
        }
    }
}

/// Compiles and checks; prints the diagnostics and returns `None` when there are errors.
/// The warnings are returned for the caller to print where it prints them.
fn compile_checked(
    args: &ManifestArgs,
    reporter: Reporter,
) -> Option<(Inputs, Compilation, Vec<Diagnostic>)> {
    let inputs = match super::inputs(args) {
        Ok(i) => i,
        Err(d) => {
            reporter.fail(&[d], &Sources::new(), None);
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
        let summary = format!(
            "error: the manifest has errors: {}",
            human::summary(&diagnostics)
        );
        reporter.fail(&diagnostics, &compilation.sources, Some(summary));
        return None;
    }
    Some((inputs, compilation, diagnostics))
}

/// Compiles and checks without lowering or opening the provider (`output` before the first
/// apply); prints what went wrong and returns `None` on any error.
pub fn compile_only(args: &ManifestArgs, reporter: Reporter) -> Option<Compilation> {
    compile_checked(args, reporter).map(|(_, compilation, _)| compilation)
}

fn lower(
    args: &ManifestArgs,
    checked: (Inputs, Compilation, Vec<Diagnostic>),
    defaults: ProviderDefaults,
    reporter: Reporter,
) -> Option<Lowered> {
    let (inputs, compilation, warnings) = checked;
    match Lowered::lower(args.dir.clone(), inputs, compilation, warnings, defaults) {
        Ok(lowered) => Some(lowered),
        Err(failed) => {
            reporter.fail(&failed.errors, &failed.compilation.sources, None);
            None
        }
    }
}

/// Compiles and lowers with the provider's defaults, without opening the provider (commands
/// that only look at the manifest, like `graph`).
pub fn compile_and_lower(args: &ManifestArgs, style: Style) -> Option<Lowered> {
    let reporter = Reporter::Human(style);
    let checked = compile_checked(args, reporter)?;
    lower(args, checked, super::provider::defaults(), reporter)
}

/// A lowered manifest and the engine over its provider and state.
pub struct Opened {
    pub lowered: Lowered,
    pub engine: Engine,
}

/// Compiles, opens the provider, lowers with its defaults and starts the engine (taking the
/// state lock for `lock_for`). Prints what went wrong and returns `None` on any error.
pub fn open(
    args: &ManifestArgs,
    provider_args: &ProviderArgs,
    lock_for: Option<&str>,
    reporter: Reporter,
) -> Option<Opened> {
    let checked = compile_checked(args, reporter)?;
    let backend = match super::backend::open(
        &args.dir,
        provider_args,
        checked.1.manifest.backend.as_ref(),
    ) {
        Ok(backend) => backend,
        Err(d) => {
            reporter.fail(&[d], &checked.1.sources, None);
            return None;
        }
    };
    // The lock first, then the provider: what the provider reads is what this run plans
    // against, so it must not be read while another run may still be writing it.
    let engine = Engine::open_on(
        || super::provider::open(&args.dir, provider_args),
        backend,
        lock_for,
    );
    let engine = match engine {
        Ok(engine) => engine,
        Err(d) => {
            reporter.fail(&[d], &checked.1.sources, None);
            return None;
        }
    };
    if !engine.warnings().is_empty() {
        report(engine.warnings(), &checked.1, reporter.style());
    }
    let lowered = lower(args, checked, engine.provider().defaults(), reporter)?;
    Some(Opened { lowered, engine })
}

/// Starts the engine over `provider` with the state of the manifest in `dir`.
pub fn open_engine(
    dir: &Path,
    provider_args: &ProviderArgs,
    backend_path: Option<&str>,
    lock_for: Option<&str>,
    provider: Arc<dyn Provider>,
) -> Result<Engine, Diagnostic> {
    Engine::open(
        provider,
        &state_config(dir, provider_args, backend_path, lock_for),
    )
}

/// Where the state of the manifest in `dir` is, and which command locks it.
fn state_config(
    dir: &Path,
    provider_args: &ProviderArgs,
    backend_path: Option<&str>,
    lock_for: Option<&str>,
) -> StateConfig {
    StateConfig {
        path: state_path(dir, provider_args, backend_path),
        lock_for: lock_for.map(str::to_string),
    }
}

/// Where the state lives for a manifest directory: `--state`, else the `backend "local"`
/// block's path, else `.amlplan/state.json`.
pub fn state_path(dir: &Path, provider: &ProviderArgs, backend_path: Option<&str>) -> PathBuf {
    provider
        .state
        .clone()
        .unwrap_or_else(|| match backend_path {
            Some(p) => dir.join(p),
            None => dir.join(".amlplan/state.json"),
        })
}
