//! Talking to Azure Resource Manager.
//!
//! [`Transport`] sends one HTTP-shaped ARM request and returns the response; it is the only
//! thing that differs between the mock provider (the in-process [`emulator`]) and the real
//! provider (HTTP through `azure_core`, a later issue). [`client::ArmClient`] sits on top of
//! any transport and does what ARM clients do: long-running-operation polling
//! (`Azure-AsyncOperation` / `Location`), retries on 429 and 5xx honouring `Retry-After`,
//! and turning ARM error bodies into [`ArmError`]s. One code path, whatever the transport.
//!
//! [`Provider`] is the seam the engine runs over: an ARM client (over the provider's
//! transport), what the provider knows that a manifest may leave out ([`ProviderDefaults`]),
//! and what it must do when a run ends. [`mock::MockProvider`] (the emulator) is one; the
//! HTTP provider will be another, built from the same [`client::ArmClient`].

pub mod azure;
pub mod client;
pub mod emulator;
pub mod mock;
pub mod pacing;
pub mod retry;
pub mod token_bucket;
pub mod upload;

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    Get,
    Put,
    Patch,
    Delete,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Post => "POST",
        }
    }
}

/// One ARM request. `path` is an ARM resource ID, an action under one
/// (`.../computes/x/stop`), a list path, or an operation-status URL path that an earlier
/// response returned. `query` holds everything but `api-version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmRequest {
    pub method: Method,
    pub path: String,
    pub api_version: String,
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
}

impl ArmResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A failure to exchange a request at all (connection refused, the mock cloud file
/// unreadable), as opposed to an ARM error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    pub message: String,
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {}

pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ArmResponse, TransportError>> + Send + 'a>>;

/// One blob written to Azure Storage through a SAS URL an ARM action handed out (an asset
/// upload, `startPendingUpload`): `url` is the blob's full URL with the SAS query. The HTTP
/// transport sends it as `PUT` with `x-ms-blob-type: BlockBlob`; the response's status says
/// how it went (201 created, 403 a SAS that does not allow it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRequest {
    pub url: String,
    pub body: Vec<u8>,
}

/// Sends ARM requests. Implementations must be safe to call concurrently.
pub trait Transport: Send + Sync {
    fn send(&self, request: ArmRequest) -> TransportFuture<'_>;

    /// Writes one blob through a SAS URL (uploads are requests the transport performs, never
    /// file copies elsewhere). A transport that cannot reach storage says so.
    fn put_blob(&self, request: BlobRequest) -> TransportFuture<'_> {
        let _ = request;
        Box::pin(async {
            Err(TransportError {
                message: "this provider cannot upload blobs yet".into(),
            })
        })
    }
}

/// An ARM error as the user sees it: the HTTP status and ARM's `error.code` and
/// `error.message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArmError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for ArmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ArmError {}

/// What a provider knows that a manifest may leave out; lowering uses these where the
/// manifest sets nothing (the manifest itself is never changed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderDefaults {
    /// The Entra tenant (a key vault needs it): the mock's fixed tenant; for the real
    /// provider, the credential's.
    pub tenant_id: Option<String>,
}

/// The cloud the engine plans against and applies to.
pub trait Provider: Send + Sync {
    /// The ARM client over this provider's transport: requests by ID and api-version,
    /// long-running operations, retries and error mapping.
    fn client(&self) -> &client::ArmClient;

    fn defaults(&self) -> ProviderDefaults;

    /// Called once when a run that may have written ends: the mock provider saves its cloud
    /// file; a real provider has nothing to do.
    fn finish(&self) -> Result<(), crate::diagnostic::Diagnostic>;
}
