//! Files an entry's resource is made from, uploaded before the resource is written.

use std::sync::Arc;

/// A directory to upload before an entry is written (a code asset's scoring code): the
/// entry's ID hands out a blob SAS URL through `action` (`startPendingUpload`), every file is
/// written under it, and the blob URI it returned goes into the body at `uri_path`.
///
/// The files were read (and hashed into the entry's ID) when the manifest was lowered, so an
/// apply uploads exactly what the plan showed, whatever happened to the directory since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The POST action on the entry's ID that returns the blob reference.
    pub action: &'static str,
    /// Where the blob URI goes in the body (`properties.codeUri`).
    pub uri_path: &'static str,
    /// The content hash of the files (their paths and bytes), lower-case hex.
    pub hash: String,
    /// The files, by path relative to the directory (`/`-separated), sorted.
    pub files: Vec<UploadFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadFile {
    /// Relative to the uploaded directory, `/`-separated (`lib/features.py`).
    pub path: String,
    pub content: Arc<[u8]>,
}

impl Upload {
    /// The body of the `action` POST that asks for the blob reference.
    pub fn request_body(&self) -> serde_json::Value {
        serde_json::json!({
            "pendingUploadId": self.hash,
            "pendingUploadType": "TemporaryBlobReference",
        })
    }

    /// The total size of the files in bytes.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|f| f.content.len()).sum()
    }
}
