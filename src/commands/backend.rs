//! Which state backend a command uses: `--state` (a local file), else the manifest's
//! `backend` block (`local` with its `path`, or `azure_blob`), else `.amlplan/state.json`.
//! The `azure_blob` backend's credential is chosen here, where the environment is read:
//! `AMLPLAN_STORAGE_ACCESS_KEY` (a Shared Key), else the `--auth` credential chain's Entra ID
//! token for storage.

use std::path::Path;

use azure_core::credentials::Secret;

use crate::cli::{AuthChoice, ProviderArgs};
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;
use crate::model::Block;
use crate::provider::azure::credentials::{self, AuthMethod, ProcessEnvironment};
use crate::state::{Backend, BlobAuth, BlobBackend, BlobSettings, LocalBackend, StateError};

/// The environment variable holding the storage account key (never in the manifest).
pub const ACCESS_KEY_VARIABLE: &str = "AMLPLAN_STORAGE_ACCESS_KEY";

const STORAGE_SCOPE: &str = "https://storage.azure.com/.default";

/// The `azure_blob` settings of a `backend` block, if it is one.
pub fn blob_settings(block: Option<&Block>) -> Option<BlobSettings> {
    let block = block?;
    if block.label() != Some("azure_blob") {
        return None;
    }
    let text = |name: &str| block.body.str(name).map(str::to_string);
    Some(BlobSettings {
        storage_account: text("storage_account")?,
        container: text("container")?,
        key: text("key")?,
        endpoint: text("endpoint"),
    })
}

/// The backend for the manifest in `dir` whose `backend` block is `block`.
pub fn open(
    dir: &Path,
    provider: &ProviderArgs,
    block: Option<&Block>,
) -> Result<Backend, Diagnostic> {
    if provider.state.is_none()
        && let Some(settings) = blob_settings(block)
    {
        let auth = blob_auth(&settings, provider.auth)?;
        return BlobBackend::open(&settings, auth)
            .map(Backend::from)
            .map_err(|e| diag::state(&e));
    }
    let local_path = block
        .filter(|b| b.label() == Some("local"))
        .and_then(|b| b.body.str("path"));
    Ok(Backend::from(LocalBackend::new(
        super::pipeline::state_path(dir, provider, local_path),
    )))
}

/// The backend of the state commands (`state`, `output`, `force-unlock`), which do not
/// compile the manifest to run: its `backend "azure_blob"` block is read from a quiet
/// compile; any other manifest keeps the local file they always read.
pub fn for_state_commands(dir: &Path, provider: &ProviderArgs) -> Result<Backend, Diagnostic> {
    let block = if provider.state.is_none() {
        let inputs = crate::lang::instantiate::Inputs {
            env: crate::lang::instantiate::Inputs::from_env(),
            ..Default::default()
        };
        crate::compile::compile(dir, &inputs)
            .manifest
            .backend
            .filter(|b| b.label() == Some("azure_blob"))
    } else {
        None
    };
    match block {
        Some(_) => open(dir, provider, block.as_ref()),
        None => Ok(Backend::from(LocalBackend::new(
            provider
                .state
                .clone()
                .unwrap_or_else(|| LocalBackend::default_path(dir)),
        ))),
    }
}

fn blob_auth(settings: &BlobSettings, choice: AuthChoice) -> Result<BlobAuth, Diagnostic> {
    if let Some(key) = std::env::var(ACCESS_KEY_VARIABLE)
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        return Ok(BlobAuth::SharedKey(Secret::new(key)));
    }
    let unusable = |message: String| {
        diag::state(&StateError::BackendSettings {
            path: settings.display_url().into(),
            message,
        })
    };
    let method = super::provider::auth_method(choice);
    if method == AuthMethod::None {
        return Err(unusable(format!(
            "--auth none gives no credential for storage; set {ACCESS_KEY_VARIABLE}"
        )));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| diag::runtime_unavailable(&e))?;
    let opened = runtime.block_on(credentials::open(
        method,
        &ProcessEnvironment,
        STORAGE_SCOPE,
    ));
    match opened {
        Ok(credential) => Ok(BlobAuth::Token(credential.token_credential())),
        Err(tried) => Err(unusable(format!(
            "no credential could get a storage token (tried: {}); sign in, or set {ACCESS_KEY_VARIABLE}",
            tried.join("; ")
        ))),
    }
}
