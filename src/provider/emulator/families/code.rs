//! Code versions (`workspaces/codes/{name}/versions/{version}`) and the code deployments run:
//! `startPendingUpload` hands out a blob directory and a SAS URI for it (before the version
//! exists, as ARM's create-or-get does), a version's `codeUri` in the mock's storage must
//! hold uploaded files, and a deployment's `codeConfiguration` must name an existing code
//! version by `codeId`.

use serde_json::{Value, json};

use super::super::path::ArmPath;
use super::super::response::{err, respond};
use super::super::{Emulator, Outcome};
use crate::provider::ArmError;

/// The blob host of the mock cloud's storage (one account serves every workspace).
pub(crate) const BLOB_HOST: &str = "https://mockmlstorage.blob.core.windows.net";

/// Where the emulator on loopback serves its storage, under its own address (path-style, as
/// Azurite does): `http://127.0.0.1:PORT/blob/mockmlstorage`.
pub(crate) const LOOPBACK_BLOB_PATH: &str = "/blob/mockmlstorage";

impl Emulator {
    /// The storage the SAS URIs point at: the mock's own account in process, the server's
    /// own address when it is served over HTTP (no upload may leave the machine).
    fn blob_host(&self) -> String {
        let base = self.options.base_url.trim_end_matches('/');
        if base.starts_with("http://") {
            format!("{base}{LOOPBACK_BLOB_PATH}")
        } else {
            BLOB_HOST.to_string()
        }
    }

    /// `POST {version}/startPendingUpload`: a blob directory for the version (the same one
    /// every time, so an upload that is repeated writes the same blobs) and its SAS URI.
    pub(crate) fn start_pending_upload(
        &mut self,
        version: &ArmPath,
        body: Option<&Value>,
    ) -> Outcome {
        let upload_type = body
            .and_then(|b| b.get("pendingUploadType"))
            .and_then(Value::as_str)
            .unwrap_or("None");
        if !upload_type.eq_ignore_ascii_case("TemporaryBlobReference") {
            return Err(err(
                400,
                "UserError",
                &format!(
                    "pendingUploadType '{upload_type}' is not supported; use 'TemporaryBlobReference'."
                ),
            ));
        }
        let workspace = version
            .parent()
            .and_then(|c| c.parent())
            .map(|w| w.key())
            .unwrap_or_default();
        let container = format!(
            "azureml-blobstore-{}",
            &crate::state::sha256_hex(workspace.as_bytes())[..12]
        );
        let dir = &crate::state::sha256_hex(version.key().as_bytes())[..32];
        let blob_uri = format!("{}/{container}/LocalUpload/{dir}", self.blob_host());
        let sig = crate::state::sha256_hex(format!("{blob_uri}#sas").as_bytes());
        let sas_uri = format!(
            "{blob_uri}?sv=2024-11-04&sr=d&sp=racwl&sdd=2&sig={}",
            &sig[..32]
        );
        self.state
            .uploads
            .insert(blob_uri.clone(), sig[..32].to_string());
        self.touch();
        let pending_id = body
            .and_then(|b| b.get("pendingUploadId"))
            .cloned()
            .unwrap_or(Value::Null);
        Ok(respond(
            200,
            Vec::new(),
            Some(json!({
                "blobReferenceForConsumption": {
                    "blobUri": blob_uri,
                    "storageAccountArmId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mock/providers/Microsoft.Storage/storageAccounts/mockmlstorage",
                    "credential": {"credentialType": "SAS", "sasUri": sas_uri},
                },
                "pendingUploadId": pending_id,
                "pendingUploadType": "TemporaryBlobReference",
            })),
        ))
    }

    /// A code version whose `codeUri` is in the mock's storage must name a directory that was
    /// handed out and holds uploaded files (a version registered before its upload would
    /// leave its deployments nothing to run).
    pub(super) fn check_code_version(&self, body: &Value) -> Result<(), ArmError> {
        let Some(uri) = body.pointer("/properties/codeUri").and_then(Value::as_str) else {
            return Err(err(
                400,
                "UserError",
                "A code version needs a codeUri: the blob directory its files were uploaded to.",
            ));
        };
        if !uri.starts_with(BLOB_HOST) && !uri.starts_with(&self.blob_host()) {
            return Ok(());
        }
        let prefix = format!("{}/", uri.trim_end_matches('/'));
        let uploaded = self.state.uploads.contains_key(uri.trim_end_matches('/'))
            && self
                .state
                .blobs
                .range(prefix.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&prefix));
        if uploaded {
            Ok(())
        } else {
            Err(err(
                400,
                "UserError",
                &format!("The code URI '{uri}' holds no uploaded files."),
            ))
        }
    }

    /// A deployment's `codeConfiguration` runs its scoring script from a code version: the
    /// version must exist.
    pub(super) fn check_code_reference(&self, body: &Value) -> Result<(), ArmError> {
        let Some(code) = body.pointer("/properties/codeConfiguration") else {
            return Ok(());
        };
        let Some(code_id) = code.get("codeId").and_then(Value::as_str) else {
            return Err(err(
                400,
                "UserError",
                "codeConfiguration needs a codeId: the code version the scoring script is run from.",
            ));
        };
        let exists =
            ArmPath::parse(code_id).is_some_and(|p| self.state.resources.contains_key(&p.key()));
        if exists {
            Ok(())
        } else {
            Err(err(
                404,
                "UserError",
                &format!("The code asset '{code_id}' was not found."),
            ))
        }
    }
}
