//! Choosing and opening the provider a command runs against. Today that is the mock
//! provider, configured by `--mock-cloud` and `AMLPLAN_MOCK_OPTIONS`; the engine only ever
//! sees a `dyn Provider`.

use std::path::Path;
use std::sync::Arc;

use crate::cli::ProviderArgs;
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;
use crate::provider::emulator::EmulatorOptions;
use crate::provider::mock::MockProvider;
use crate::provider::{Provider, ProviderDefaults};

/// The mock provider's knobs: defaults, overridden by `AMLPLAN_MOCK_OPTIONS` (JSON of
/// [`EmulatorOptions`]) so tests can add latency and faults to the real binary.
fn mock_options() -> Result<EmulatorOptions, Diagnostic> {
    match std::env::var("AMLPLAN_MOCK_OPTIONS") {
        Ok(text) if !text.trim().is_empty() => {
            serde_json::from_str(&text).map_err(|e| diag::mock_options_invalid(&e))
        }
        _ => Ok(EmulatorOptions::default()),
    }
}

/// Opens the provider for the manifest in `dir`.
pub fn open(dir: &Path, args: &ProviderArgs) -> Result<Arc<dyn Provider>, Diagnostic> {
    let path = args
        .mock_cloud
        .clone()
        .unwrap_or_else(|| dir.join(".amlplan/mock-cloud.json"));
    Ok(Arc::new(MockProvider::open(&path, mock_options()?)?))
}

/// The provider's defaults without opening it (commands that only lower, like `graph`).
pub fn defaults() -> ProviderDefaults {
    crate::provider::mock::defaults()
}
