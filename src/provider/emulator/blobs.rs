//! The mock cloud's blob storage: blobs written through the SAS URIs `startPendingUpload`
//! handed out (`families::code`), kept in the cloud file (hex) by URL.

use super::Emulator;
use super::response::{err, error_response, respond};
use crate::provider::{ArmResponse, BlobRequest};

impl Emulator {
    /// A blob PUT: allowed under a handed-out directory with its signature, as a SAS allows.
    pub fn put_blob(&mut self, request: &BlobRequest) -> ArmResponse {
        let (base, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
        let allowed = self.state.uploads.iter().any(|(dir, sig)| {
            base.starts_with(&format!("{dir}/"))
                && query.split('&').any(|kv| kv == format!("sig={sig}"))
        });
        if !allowed {
            return error_response(&err(
                403,
                "AuthenticationFailed",
                "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
            ));
        }
        self.state
            .blobs
            .insert(base.to_string(), crate::state::hex_of(&request.body));
        self.touch();
        respond(201, Vec::new(), None)
    }

    /// The blobs stored under a URL prefix, with their sizes in bytes (for tests and checks).
    pub fn blobs_under(&self, prefix: &str) -> Vec<(String, usize)> {
        self.state
            .blobs
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.len() / 2))
            .collect()
    }
}
