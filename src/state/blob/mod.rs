//! The `azure_blob` backend: the state in a block blob, through `azure_storage_blob`.
//!
//! Blobs, for a state at `CONTAINER/KEY`:
//! - `KEY`: the state document, written whole (a snapshot) with `If-Match` on the ETag this
//!   backend last saw, so a blob changed by anyone else is never overwritten (E0930); while a
//!   run holds the lock, every write also names its lease;
//! - `KEY.journal`: an append blob, the same write-ahead journal as the local backend's
//!   (`journal.rs`: header naming the snapshot's SHA-256, then framed, CRC-checked records),
//!   one Append Block per group commit, deleted when the journal is compacted into a new
//!   snapshot. A journal whose header names another snapshot is stale and ignored, so a crash
//!   between the snapshot and the delete loses nothing and replays nothing twice;
//! - snapshots of `KEY` (Snapshot Blob): the state as it was before each run's first save,
//!   the remote counterpart of `state.json.backup` (restore one by copying it over the base
//!   blob; `docs/state.md`).
//!
//! The lock is a 60-second lease on `KEY` itself ([`lease`]), renewed while held, its
//! holder's details written as the blob's metadata. A missing state blob is created empty
//! (`If-None-Match: *`) so it can be leased; an empty blob reads as no state.
//!
//! The HTTP calls run on a small runtime of the backend's own, so the synchronous backend
//! interface works from any thread, inside the engine's runtime or not.

mod lease;
pub mod shared_key;

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use azure_core::Bytes;
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::{ClientOptions, Etag, RequestContent, StatusCode, Url};
use azure_storage_blob::models::{
    AppendBlobClientAppendBlockOptions, BlobClientCreateSnapshotOptions, BlobClientDeleteOptions,
    BlockBlobClientUploadOptions,
};
use azure_storage_blob::{BlobClient, BlobContainerClient, BlobContainerClientOptions};
use sha2::{Digest, Sha256};

use super::error::StateError;
use super::journal::{self, Damage, JOURNAL_VERSION};
use super::{FORMAT_VERSION, FormatError, State};

pub use lease::BlobLock;
pub use shared_key::SharedKeyPolicy;

/// A journal shorter than this is not compacted however small the snapshot (as locally).
const MIN_COMPACTION: u64 = 64 << 10;
/// Append Block's limit on one block.
const MAX_APPEND_BLOCK: usize = 4 << 20;

/// Where the state blob is: the `backend "azure_blob"` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobSettings {
    pub storage_account: String,
    pub container: String,
    pub key: String,
    /// The blob service URL (`http://127.0.0.1:10000/devstoreaccount1` for Azurite); else
    /// `https://ACCOUNT.blob.core.windows.net`.
    pub endpoint: Option<String>,
}

impl BlobSettings {
    /// The blob service URL.
    pub fn service_url(&self) -> String {
        match &self.endpoint {
            Some(e) => e.trim_end_matches('/').to_string(),
            None => format!("https://{}.blob.core.windows.net", self.storage_account),
        }
    }

    /// The state blob's URL, as messages name it.
    pub fn display_url(&self) -> String {
        format!("{}/{}/{}", self.service_url(), self.container, self.key)
    }
}

/// How the backend authenticates to storage.
#[derive(Clone)]
pub enum BlobAuth {
    /// The account key (`AMLPLAN_STORAGE_ACCESS_KEY`): Shared Key signing.
    SharedKey(Secret),
    /// Entra ID tokens for `https://storage.azure.com` from the credential chain.
    Token(Arc<dyn TokenCredential>),
}

impl std::fmt::Debug for BlobAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BlobAuth::SharedKey(_) => "SharedKey",
            BlobAuth::Token(_) => "Token",
        })
    }
}

/// What the backend shares with its lock: the clients, the runtime and the lease.
pub(crate) struct Shared {
    runtime: Option<tokio::runtime::Runtime>,
    container: Arc<BlobContainerClient>,
    state: Arc<BlobClient>,
    journal: Arc<BlobClient>,
    /// The state blob's URL, for messages.
    url: String,
    container_name: String,
    /// The lease ID while this process holds the lock.
    lease: Mutex<Option<String>>,
    /// The holder's details while this process holds the lock (every write carries them).
    holder_info: Mutex<Option<super::LockInfo>>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        // May be dropped on a runtime thread, where dropping a runtime would panic.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Shared {
    /// Runs `future` on the backend's runtime and waits for it.
    fn block<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, StateError> {
        let (tx, rx) = std::sync::mpsc::channel();
        if let Some(runtime) = &self.runtime {
            runtime.spawn(async move {
                let _ = tx.send(future.await);
            });
        }
        rx.recv()
            .map_err(|_| self.failed("run a request", "the runtime stopped"))
    }

    fn path(&self) -> PathBuf {
        PathBuf::from(&self.url)
    }

    fn failed(&self, action: &str, message: impl std::fmt::Display) -> StateError {
        StateError::Remote {
            path: self.path(),
            action: action.to_string(),
            message: message.to_string(),
        }
    }

    fn lease_id(&self) -> Option<String> {
        self.lease.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The error for a storage answer to `action`: a missing container, an ETag that moved,
    /// a lease lost or held by another, or the service's code and message.
    fn storage_error(&self, action: &str, e: &azure_core::Error) -> StateError {
        let code = error_code(e).unwrap_or_default();
        match (e.http_status(), code.as_str()) {
            (Some(StatusCode::NotFound), "ContainerNotFound") => StateError::ContainerMissing {
                path: self.path(),
                container: self.container_name.clone(),
            },
            (Some(StatusCode::PreconditionFailed), "ConditionNotMet") => {
                // A run whose lease was broken finds the ETag moved by the next holder:
                // say which happened.
                let ours = self.lease_id();
                let holder = ours.as_ref().and_then(|_| {
                    self.block(Shared::holder(self.state.clone()))
                        .ok()
                        .flatten()
                });
                match (ours, holder) {
                    (Some(ours), holder)
                        if holder
                            .as_ref()
                            .is_none_or(|h| h.id.hyphenated().to_string() != ours) =>
                    {
                        StateError::LeaseLost { path: self.path() }
                    }
                    _ => StateError::BlobChanged { path: self.path() },
                }
            }
            (_, c) if c.starts_with("Lease") => {
                if self.lease_id().is_some() {
                    StateError::LeaseLost { path: self.path() }
                } else {
                    StateError::Locked {
                        path: self.path(),
                        holder: self
                            .block(Shared::holder(self.state.clone()))
                            .ok()
                            .flatten()
                            .map(Box::new),
                    }
                }
            }
            _ => self.failed(action, one_line(&e.to_string())),
        }
    }

    /// The lock holder, while the state blob is leased (read from its metadata).
    async fn holder(state: Arc<BlobClient>) -> Option<super::LockInfo> {
        use azure_storage_blob::models::{BlobClientGetPropertiesResultHeaders, LeaseState};
        let props = state.get_properties(None).await.ok()?;
        if props.lease_state().ok()?? != LeaseState::Leased {
            return None;
        }
        lease::holder_from_metadata(&props.metadata().ok()?)
    }
}

/// The service's error code (`x-ms-error-code`), if the answer had one.
fn error_code(e: &azure_core::Error) -> Option<String> {
    match e.kind() {
        azure_core::error::ErrorKind::HttpResponse { error_code, .. } => error_code.clone(),
        _ => None,
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A state stored in an Azure Storage blob. One per command run, like [`super::LocalBackend`]:
/// it remembers the ETag and what it found, and snapshots the previous state on its first
/// save only.
pub struct BlobBackend {
    shared: Arc<Shared>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for BlobBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobBackend")
            .field("url", &self.shared.url)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default)]
struct Inner {
    /// The state blob's ETag as last read or written; `None` while it does not exist.
    etag: Option<Etag>,
    /// A valid state read or written: lineage, serial, digest and length (the journal
    /// names the snapshot by its digest).
    valid: Option<(String, u64, [u8; 32], u64)>,
    /// Why the blob read could not be loaded (never saved over).
    invalid: Option<String>,
    snapshotted: bool,
    saved: bool,
    /// Whether `KEY.journal` may exist (found on load, or created by this backend).
    journal_exists: bool,
    /// Whether this backend created the journal it appends to (after its snapshot).
    journal_open: bool,
    journal_len: u64,
    damage: Option<Damage>,
}

impl BlobBackend {
    /// Opens the backend: builds the clients and checks that the container exists (a
    /// missing one is an error, never created).
    pub fn open(settings: &BlobSettings, auth: BlobAuth) -> Result<BlobBackend, StateError> {
        let url = settings.display_url();
        let config = |message: String| StateError::BackendSettings {
            path: PathBuf::from(&url),
            message,
        };
        let container_url = Url::parse(&format!(
            "{}/{}",
            settings.service_url(),
            settings.container
        ))
        .map_err(|e| config(format!("the endpoint is not a URL: {e}")))?;
        let mut client_options = ClientOptions::default();
        let credential = match auth {
            BlobAuth::SharedKey(key) => {
                let policy =
                    SharedKeyPolicy::new(&settings.storage_account, key).ok_or_else(|| {
                        config("AMLPLAN_STORAGE_ACCESS_KEY is not a base64 account key".into())
                    })?;
                client_options.per_try_policies.push(Arc::new(policy));
                None
            }
            BlobAuth::Token(credential) => Some(credential),
        };
        let options = BlobContainerClientOptions {
            client_options,
            ..Default::default()
        };
        let container = BlobContainerClient::new(container_url, credential, Some(options))
            .map_err(|e| config(one_line(&e.to_string())))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("amlplan-blob")
            .enable_all()
            .build()
            .map_err(|e| config(format!("cannot start the storage client's runtime: {e}")))?;
        let shared = Arc::new(Shared {
            runtime: Some(runtime),
            state: Arc::new(container.blob_client(&settings.key)),
            journal: Arc::new(container.blob_client(&format!("{}.journal", settings.key))),
            container: Arc::new(container),
            url,
            container_name: settings.container.clone(),
            lease: Mutex::new(None),
            holder_info: Mutex::new(None),
        });
        let backend = BlobBackend {
            shared,
            inner: Mutex::new(Inner::default()),
        };
        backend.check_container()?;
        Ok(backend)
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The state blob's URL.
    pub fn url(&self) -> &str {
        &self.shared.url
    }

    /// The journal blob's URL, for messages.
    pub fn journal_url(&self) -> String {
        format!("{}.journal", self.shared.url)
    }

    fn check_container(&self) -> Result<(), StateError> {
        let container = self.shared.container.clone();
        match self
            .shared
            .block(async move { container.get_properties(None).await.map(|_| ()) })?
        {
            Ok(()) => Ok(()),
            Err(e) if e.http_status() == Some(StatusCode::NotFound) => {
                Err(StateError::ContainerMissing {
                    path: self.shared.path(),
                    container: self.shared.container_name.clone(),
                })
            }
            Err(e) => Err(self.shared.storage_error("read the container", &e)),
        }
    }

    /// Downloads a blob: `None` when it does not exist.
    fn download(
        &self,
        blob: &Arc<BlobClient>,
    ) -> Result<Option<(Bytes, Option<Etag>)>, StateError> {
        let blob = blob.clone();
        let answer = self.shared.block(async move {
            let result = blob.download(None).await?;
            let etag = result.properties.etag.clone();
            let body = result.body.collect().await?;
            Ok::<_, azure_core::Error>((body, etag))
        })?;
        match answer {
            Ok(found) => Ok(Some(found)),
            Err(e)
                if e.http_status() == Some(StatusCode::NotFound)
                    && error_code(&e).as_deref() != Some("ContainerNotFound") =>
            {
                Ok(None)
            }
            Err(e) => Err(self.shared.storage_error("read the state", &e)),
        }
    }

    /// Loads the state, replaying the journal blob onto it; `None` if there is none (no
    /// blob, or the empty blob a lock created).
    pub fn load(&self) -> Result<Option<State>, StateError> {
        let mut inner = self.inner();
        inner.damage = None;
        inner.valid = None;
        inner.invalid = None;
        let Some((bytes, etag)) = self.download(&self.shared.state)? else {
            inner.etag = None;
            return Ok(None);
        };
        inner.etag = etag;
        if bytes.is_empty() {
            return Ok(None);
        }
        let path = self.shared.path();
        let mut state = match State::from_json_slice(&bytes) {
            Ok(state) => state,
            Err(FormatError::Newer(found)) => {
                inner.invalid = Some(format!(
                    "it was written by a newer amlplan (format {found})"
                ));
                return Err(StateError::NewerFormat {
                    path,
                    found,
                    supported: FORMAT_VERSION,
                });
            }
            Err(FormatError::Corrupt(reason)) => {
                inner.invalid = Some(format!("it is corrupt: {reason}"));
                return Err(StateError::Corrupt {
                    path,
                    reason,
                    backup: None,
                });
            }
        };
        let digest: [u8; 32] = Sha256::digest(&bytes).into();
        inner.valid = Some((
            state.lineage().to_string(),
            state.serial(),
            digest,
            bytes.len() as u64,
        ));
        let Some((journal_bytes, _)) = self.download(&self.shared.journal)? else {
            inner.journal_exists = false;
            return Ok(Some(state));
        };
        inner.journal_exists = true;
        if journal_bytes.is_empty() {
            // Created, and the run stopped before its header was appended: no steps.
            return Ok(Some(state));
        }
        match journal::replay_onto(&mut state, &journal_bytes, &digest) {
            Ok(damage) => inner.damage = damage,
            Err(refused) => {
                inner.invalid = Some(refused.reason());
                return Err(match refused {
                    journal::Unreplayable::Newer(found) => StateError::NewerFormat {
                        path: PathBuf::from(self.journal_url()),
                        found: u64::from(found),
                        supported: JOURNAL_VERSION,
                    },
                    // The previous state lives as a blob snapshot, not a file: `amlplan
                    // state` cannot name it as a path, so no backup is offered here.
                    journal::Unreplayable::Broken(broken) => StateError::JournalBroken {
                        path: PathBuf::from(self.journal_url()),
                        snapshot: PathBuf::from(self.url()),
                        backup: None,
                        broken,
                    },
                });
            }
        }
        Ok(Some(state))
    }

    /// What the last [`load`](Self::load) ignored at the end of the journal, if anything.
    pub fn journal_damage(&self) -> Option<Damage> {
        self.inner().damage.clone()
    }

    /// Writes `state` as the new snapshot, conditional on the ETag last seen, and drops the
    /// journal. The first save of this backend snapshots the previous blob first.
    pub fn save(&self, state: &mut State) -> Result<(), StateError> {
        let mut inner = self.inner();
        let path = self.shared.path();
        if let Some(reason) = &inner.invalid {
            return Err(StateError::RefuseOverwrite {
                path,
                reason: reason.clone(),
            });
        }
        if let Some((lineage, serial, _, _)) = &inner.valid {
            if lineage != state.lineage() {
                return Err(StateError::LineageMismatch {
                    path,
                    on_disk: lineage.clone(),
                    in_memory: state.lineage().to_string(),
                });
            }
            if *serial > state.serial() {
                return Err(StateError::SerialRegression {
                    path,
                    on_disk: *serial,
                    in_memory: state.serial(),
                });
            }
        }
        if state.serial() == u64::MAX && state.resources_changed() {
            return Err(StateError::SerialExhausted { path });
        }
        let lease_id = self.shared.lease_id();
        if !inner.snapshotted {
            if inner.valid.is_some() {
                self.snapshot(inner.etag.clone(), lease_id.clone())?;
            }
            inner.snapshotted = true;
        }
        state.bump_serial_if_changed();
        let bytes = state.to_json_bytes();
        let blob = self.shared.state.clone();
        let metadata = lease::current_metadata(&self.shared);
        let options = BlockBlobClientUploadOptions {
            if_match: inner.etag.clone(),
            if_none_match: inner.etag.is_none().then(|| Etag::from("*")),
            lease_id,
            metadata,
            blob_content_type: Some("application/json".to_string()),
            ..Default::default()
        };
        let body = bytes.clone();
        let answer = self.shared.block(async move {
            blob.block_blob_client()
                .upload(RequestContent::from(body), Some(options))
                .await
                .map(|r| r.etag)
        })?;
        let etag = match answer {
            Ok(etag) => etag,
            Err(e) if e.http_status() == Some(StatusCode::Conflict) && inner.etag.is_none() => {
                // `If-None-Match: *` on a blob someone else created meanwhile.
                return Err(StateError::BlobChanged { path });
            }
            Err(e) => return Err(self.shared.storage_error("write the state", &e)),
        };
        inner.etag = etag;
        inner.valid = Some((
            state.lineage().to_string(),
            state.serial(),
            Sha256::digest(&bytes).into(),
            bytes.len() as u64,
        ));
        inner.saved = true;
        state.take_changes();
        inner.journal_open = false;
        inner.journal_len = 0;
        if inner.journal_exists {
            let journal = self.shared.journal.clone();
            let deleted = self.shared.block(async move {
                journal
                    .delete(Some(BlobClientDeleteOptions::default()))
                    .await
            })?;
            match deleted {
                Ok(_) => {}
                Err(e) if e.http_status() == Some(StatusCode::NotFound) => {}
                Err(e) => return Err(self.shared.storage_error("delete the old journal", &e)),
            }
            inner.journal_exists = false;
        }
        Ok(())
    }

    /// Snapshots the state blob as it is (the previous state, kept).
    fn snapshot(&self, etag: Option<Etag>, lease_id: Option<String>) -> Result<(), StateError> {
        let blob = self.shared.state.clone();
        let options = BlobClientCreateSnapshotOptions {
            if_match: etag,
            lease_id,
            ..Default::default()
        };
        match self
            .shared
            .block(async move { blob.create_snapshot(Some(options)).await.map(|_| ()) })?
        {
            Ok(()) => Ok(()),
            Err(e) => Err(self.shared.storage_error("keep the previous state", &e)),
        }
    }

    /// Appends framed journal records (one Append Block each, at most 4 MiB). Only after
    /// this backend's own snapshot; `None` when there is none yet, else whether the journal
    /// has outgrown the snapshot.
    pub(crate) fn append_journal(&self, records: &[u8]) -> Result<Option<bool>, StateError> {
        let mut inner = self.inner();
        let (true, Some((_, _, digest, snapshot_len))) = (inner.saved, inner.valid.clone()) else {
            return Ok(None);
        };
        let mut data = Vec::new();
        if !inner.journal_open {
            let journal = self.shared.journal.clone();
            let created = self.shared.block(async move {
                journal.append_blob_client().create(None).await.map(|_| ())
            })?;
            if let Err(e) = created {
                return Err(self.shared.storage_error("start the journal", &e));
            }
            inner.journal_exists = true;
            inner.journal_open = true;
            inner.journal_len = 0;
            data.extend_from_slice(&journal::header(&digest));
        }
        data.extend_from_slice(records);
        for chunk in data.chunks(MAX_APPEND_BLOCK) {
            let journal = self.shared.journal.clone();
            let position = inner.journal_len;
            let body = chunk.to_vec();
            let len = chunk.len() as u64;
            let options = AppendBlobClientAppendBlockOptions {
                append_position: i64::try_from(position).ok(),
                ..Default::default()
            };
            let appended = self.shared.block(async move {
                journal
                    .append_blob_client()
                    .append_block(RequestContent::from(body), len, Some(options))
                    .await
                    .map(|_| ())
            })?;
            if let Err(e) = appended {
                return Err(self.shared.storage_error("append to the journal", &e));
            }
            inner.journal_len += len;
        }
        Ok(Some(inner.journal_len > snapshot_len.max(MIN_COMPACTION)))
    }

    /// Takes the lock: a lease on the state blob with `info` as its metadata. Fails with
    /// [`StateError::Locked`] naming the holder when another run holds it.
    pub fn lock(&self, info: super::LockInfo) -> Result<BlobLock, StateError> {
        lease::acquire(&self.shared, info)
    }

    /// The current lock holder, if the blob is leased.
    pub fn lock_holder(&self) -> Option<super::LockInfo> {
        let state = self.shared.state.clone();
        self.shared.block(Shared::holder(state)).ok().flatten()
    }

    /// Breaks the lease for `amlplan force-unlock ID`, if `id` is the holder's lock ID.
    pub fn force_unlock(&self, id: &str) -> Result<super::LockInfo, StateError> {
        lease::force_unlock(&self.shared, id)
    }

    /// The snapshots kept of the state blob (the states before each run's first save), by
    /// their snapshot time, oldest first.
    pub fn snapshots(&self) -> Result<Vec<String>, StateError> {
        use azure_storage_blob::models::{
            BlobContainerClientListBlobsOptions, ListBlobsIncludeItem,
        };
        use futures::TryStreamExt;
        let container = self.shared.container.clone();
        let key = self
            .shared
            .state
            .url()
            .path_segments()
            .and_then(|mut s| s.next_back().map(str::to_string))
            .unwrap_or_default();
        let listed = self.shared.block(async move {
            let options = BlobContainerClientListBlobsOptions {
                include: Some(vec![ListBlobsIncludeItem::Snapshots]),
                prefix: Some(key.clone()),
                ..Default::default()
            };
            let mut pages = container.list_blobs(Some(options))?;
            let mut out = Vec::new();
            while let Some(item) = pages.try_next().await? {
                if item.name.as_deref() == Some(key.as_str())
                    && let Some(snapshot) = item.snapshot
                {
                    out.push(snapshot);
                }
            }
            Ok::<_, azure_core::Error>(out)
        })?;
        listed.map_err(|e| self.shared.storage_error("list the snapshots", &e))
    }
}
