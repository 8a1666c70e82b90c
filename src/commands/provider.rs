//! Choosing and opening the provider a command runs against: the mock provider (default,
//! configured by `--mock-cloud` and `AMLPLAN_MOCK_OPTIONS`) or, with `--provider azure`, ARM
//! over HTTP (`--arm-endpoint`, `--auth`, `AMLPLAN_AZURE_OPTIONS`). The engine only ever sees
//! a `dyn Provider`.

use std::path::Path;
use std::sync::Arc;

use crate::cli::{AuthChoice, ProviderArgs, ProviderKind};
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;
use crate::provider::azure::credentials::{AuthMethod, ProcessEnvironment};
use crate::provider::azure::{AzureProvider, HttpOptions, OpenError};
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

/// The HTTP provider's knobs beyond its flags: `AMLPLAN_AZURE_OPTIONS` (JSON of
/// [`HttpOptions`]), so tests against the emulator can scale waits and buckets down.
fn http_options() -> Result<HttpOptions, Diagnostic> {
    match std::env::var("AMLPLAN_AZURE_OPTIONS") {
        Ok(text) if !text.trim().is_empty() => serde_json::from_str(&text).map_err(|e| {
            diag::azure_settings_invalid(&format!("AMLPLAN_AZURE_OPTIONS is not valid: {e}"))
        }),
        _ => Ok(HttpOptions::default()),
    }
}

pub fn auth_method(choice: AuthChoice) -> AuthMethod {
    match choice {
        AuthChoice::Auto => AuthMethod::Auto,
        AuthChoice::Cli => AuthMethod::Cli,
        AuthChoice::ManagedIdentity => AuthMethod::ManagedIdentity,
        AuthChoice::WorkloadIdentity => AuthMethod::WorkloadIdentity,
        AuthChoice::AzurePipelines => AuthMethod::AzurePipelines,
        AuthChoice::ClientSecret => AuthMethod::ClientSecret,
        AuthChoice::None => AuthMethod::None,
    }
}

/// Opens the provider for the manifest in `dir`. The Azure provider gets its first token
/// here, on the engine's runtime (the engine opens providers inside it).
pub fn open(dir: &Path, args: &ProviderArgs) -> Result<Arc<dyn Provider>, Diagnostic> {
    match args.kind {
        ProviderKind::Mock => {
            let path = args
                .mock_cloud
                .clone()
                .unwrap_or_else(|| dir.join(".amlplan/mock-cloud.json"));
            Ok(Arc::new(MockProvider::open(&path, mock_options()?)?))
        }
        ProviderKind::Azure => {
            let options = http_options()?;
            let opening = AzureProvider::open(
                &args.arm_endpoint,
                auth_method(args.auth),
                options,
                &ProcessEnvironment,
            );
            let opened = match tokio::runtime::Handle::try_current() {
                Ok(handle) => handle.block_on(opening),
                Err(_) => tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| diag::runtime_unavailable(&e))?
                    .block_on(opening),
            };
            match opened {
                Ok(p) => Ok(Arc::new(p)),
                Err(OpenError::Endpoint(what)) => Err(diag::azure_settings_invalid(&format!(
                    "--arm-endpoint {what}"
                ))),
                Err(OpenError::NoneNotLoopback(url)) => Err(diag::azure_settings_invalid(
                    &format!("--auth none is only for an emulator on loopback, not {url}"),
                )),
                Err(OpenError::NoCredential(tried)) => Err(diag::no_azure_credential(&tried)),
            }
        }
    }
}

/// The provider's defaults without opening it (commands that only lower, like `graph`).
pub fn defaults() -> ProviderDefaults {
    crate::provider::mock::defaults()
}
