//! The emulator's persistent state and its file format.
//!
//! ```json
//! {"format_version": 1, "clock": 1234, "seq": 17,
//!  "resources": {"<lower-cased id>": {"id": "...", "created_ms": 1, "modified_ms": 2, "body": {...}}},
//!  "soft_deleted": {"<lower-cased id>": {...}},
//!  "operations": {"<operation id>": {...}}}
//! ```
//! Maps are `BTreeMap`s so the file is deterministic; it is written atomically (temporary
//! file in the same directory, fsync, rename, fsync of the directory).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) const FORMAT_VERSION: u64 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredResource {
    /// The ID with the casing it was created with.
    pub id: String,
    pub created_ms: u64,
    pub modified_ms: u64,
    /// What GET returns, but for the parts computed on read (a workspace's outbound rules,
    /// a zone's record counts, ...): the last PUT body merged with the service's fields.
    pub body: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_ms: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum OpStatus {
    InProgress,
    Succeeded,
    Failed,
}

impl OpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OpStatus::InProgress => "InProgress",
            OpStatus::Succeeded => "Succeeded",
            OpStatus::Failed => "Failed",
        }
    }
}

/// What an operation does when it completes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum OpAction {
    Put,
    Delete {
        purge: bool,
    },
    /// A POST action (`provisionManagedNetwork`, `start`, ...).
    Action {
        name: String,
        #[serde(default)]
        body: Option<Value>,
    },
    /// Nothing left to do (a purge of a soft-deleted workspace).
    Noop,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct OpError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Operation {
    pub id: String,
    pub seq: u64,
    pub resource_id: String,
    pub action: OpAction,
    /// Path of the `Azure-AsyncOperation` URL and of the `Location` URL.
    pub async_path: String,
    pub location_path: String,
    pub api_version: String,
    pub status: OpStatus,
    pub polls: u32,
    pub polls_needed: u32,
    /// Decided when the operation starts: it will end `Failed` with this error.
    #[serde(default)]
    pub fails_with: Option<OpError>,
    #[serde(default)]
    pub error: Option<OpError>,
    pub started_ms: u64,
    #[serde(default)]
    pub ended_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CloudState {
    pub format_version: u64,
    pub clock: u64,
    #[serde(default)]
    pub seq: u64,
    #[serde(default)]
    pub resources: BTreeMap<String, StoredResource>,
    #[serde(default)]
    pub soft_deleted: BTreeMap<String, StoredResource>,
    #[serde(default)]
    pub operations: BTreeMap<String, Operation>,
    /// Blob directories `startPendingUpload` handed out: blob URI → its SAS signature.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub uploads: BTreeMap<String, String>,
    /// Blobs written through those SAS URIs: URL (no query) → content, hex.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub blobs: BTreeMap<String, String>,
}

impl Default for CloudState {
    fn default() -> Self {
        CloudState {
            format_version: FORMAT_VERSION,
            clock: 0,
            seq: 0,
            resources: BTreeMap::new(),
            soft_deleted: BTreeMap::new(),
            operations: BTreeMap::new(),
            uploads: BTreeMap::new(),
            blobs: BTreeMap::new(),
        }
    }
}

/// The mock cloud file could not be read, understood or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockCloudError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for MockCloudError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "mock cloud file {}: {}",
            self.path.display(),
            self.message
        )
    }
}

impl std::error::Error for MockCloudError {}

impl CloudState {
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Parses a mock cloud file; a corrupt file or another format version is an error.
    pub fn from_json(text: &str, path: &Path) -> Result<CloudState, MockCloudError> {
        let err = |message: String| MockCloudError {
            path: path.to_path_buf(),
            message,
        };
        // The common case parses once, straight into the store; only a file that does not
        // load goes through a generic value to say why.
        if let Ok(state) = serde_json::from_str::<CloudState>(text)
            && state.format_version == FORMAT_VERSION
        {
            return Ok(state);
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            err(format!(
                "is not valid JSON ({e}); it was left untouched: fix or delete it"
            ))
        })?;
        match value.get("format_version").and_then(Value::as_u64) {
            Some(FORMAT_VERSION) => {}
            Some(v) => {
                return Err(err(format!(
                    "has format_version {v}, but this amlplan reads only version {FORMAT_VERSION}; it was left untouched"
                )));
            }
            None => {
                return Err(err(
                    "has no numeric \"format_version\"; it is not a mock cloud file, and it was left untouched".into(),
                ));
            }
        }
        serde_json::from_value(value).map_err(|e| {
            err(format!(
                "is not a valid mock cloud file ({e}); it was left untouched"
            ))
        })
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, fsync, rename, then
/// fsync of the directory. Creates the directory if needed.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "mock-cloud.json".into());
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| {
        // The mock cloud holds what ARM would hold, secrets included: owner-only, like the state.
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    #[cfg(unix)]
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
