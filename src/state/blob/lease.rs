//! The remote lock: a lease on the state blob, its ID the lock's ID, its holder's details
//! (user, host, pid, time, command) written as the blob's metadata so whoever finds it
//! leased can say by whom.
//!
//! The lease lasts [`LEASE_SECONDS`] and is renewed every [`RENEW_EVERY`] while held, so a
//! run killed outright leaves a lock that lapses by itself within a minute. It is released
//! when the lock is dropped and on Ctrl-C (the handler releases it, then exits with 130: a
//! run interrupted mid-apply converges on the next one through the journal, as after a
//! crash). `amlplan force-unlock ID` breaks it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use azure_core::http::StatusCode;
use azure_storage_blob::models::{
    BlobClientAcquireLeaseOptions, BlobClientAcquireLeaseResultHeaders,
    BlobClientBreakLeaseOptions, BlobClientSetMetadataOptions, BlockBlobClientUploadOptions,
};

use super::super::LockInfo;
use super::super::error::StateError;
use super::{Shared, error_code, one_line};

/// How long one lease lasts (the longest finite lease Blob storage grants).
pub const LEASE_SECONDS: i32 = 60;
/// How often a held lease is renewed.
const RENEW_EVERY: Duration = Duration::from_secs(15);

const PREFIX: &str = "amlplanlock";

/// The metadata naming `info` (metadata names are identifiers; values are sent as
/// headers, so anything outside printable ASCII becomes `?`).
pub(crate) fn metadata(info: &LockInfo) -> HashMap<String, String> {
    let ascii = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    };
    HashMap::from([
        (format!("{PREFIX}id"), info.id.hyphenated().to_string()),
        (format!("{PREFIX}who"), ascii(&info.who)),
        (format!("{PREFIX}host"), ascii(&info.host)),
        (format!("{PREFIX}pid"), info.pid.to_string()),
        (format!("{PREFIX}time"), ascii(&info.time)),
        (format!("{PREFIX}command"), ascii(&info.command)),
    ])
}

/// The holder named by the blob's metadata, if it names one.
pub(crate) fn holder_from_metadata(metadata: &HashMap<String, String>) -> Option<LockInfo> {
    let get = |name: &str| {
        metadata
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&format!("{PREFIX}{name}")))
            .map(|(_, v)| v.clone())
    };
    Some(LockInfo {
        id: uuid::Uuid::parse_str(&get("id")?).ok()?,
        pid: get("pid")?.parse().ok()?,
        host: get("host")?,
        time: get("time")?,
        command: get("command")?,
        who: get("who")?,
    })
}

/// The metadata a write must carry while this process holds the lock (a Put Blob replaces
/// the blob's metadata, and the holder's details must stay readable).
pub(crate) fn current_metadata(shared: &Shared) -> Option<HashMap<String, String>> {
    shared
        .holder_info
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(metadata)
}

/// A held lease. Released on drop.
pub struct BlobLock {
    shared: Arc<Shared>,
    info: LockInfo,
    renewal: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for BlobLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobLock")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl BlobLock {
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// Releases the lease now, reporting a failure (the lease lapses by itself anyway).
    pub fn release(mut self) -> Result<(), StateError> {
        self.release_inner()
    }

    fn release_inner(&mut self) -> Result<(), StateError> {
        if let Some(renewal) = self.renewal.take() {
            renewal.abort();
        }
        let Some(lease_id) = take_lease(&self.shared) else {
            return Ok(());
        };
        let blob = self.shared.state.clone();
        let released = self
            .shared
            .block(async move { blob.release_lease(lease_id, None).await.map(|_| ()) })?;
        released.map_err(|e| self.shared.storage_error("release the lock", &e))
    }
}

impl Drop for BlobLock {
    fn drop(&mut self) {
        let _ = self.release_inner();
    }
}

fn take_lease(shared: &Shared) -> Option<String> {
    shared
        .holder_info
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    shared
        .lease
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
}

/// Takes the lease on the state blob (creating the blob empty first if there is none),
/// writes the holder's details and starts renewing it.
pub(crate) fn acquire(shared: &Arc<Shared>, info: LockInfo) -> Result<BlobLock, StateError> {
    let blob = shared.state.clone();
    let lease_id = info.id.hyphenated().to_string();
    let proposed = lease_id.clone();
    let created = shared.block({
        let blob = blob.clone();
        async move {
            let options = BlockBlobClientUploadOptions {
                if_none_match: Some(azure_core::http::Etag::from("*")),
                ..Default::default()
            };
            blob.block_blob_client()
                .upload(
                    azure_core::http::RequestContent::from(Vec::<u8>::new()),
                    Some(options),
                )
                .await
                .map(|_| ())
        }
    })?;
    match created {
        Ok(()) => {}
        // It exists (or is leased, which also means it exists).
        Err(e)
            if matches!(
                e.http_status(),
                Some(StatusCode::Conflict | StatusCode::PreconditionFailed)
            ) => {}
        Err(e) => return Err(shared.storage_error("create the state blob", &e)),
    }
    let acquired = shared.block({
        let blob = blob.clone();
        async move {
            let options = BlobClientAcquireLeaseOptions {
                proposed_lease_id: Some(proposed),
                ..Default::default()
            };
            blob.acquire_lease(LEASE_SECONDS, Some(options))
                .await
                .map(|r| r.lease_id().ok().flatten())
        }
    })?;
    match acquired {
        Ok(_) => {}
        Err(e) if error_code(&e).as_deref() == Some("LeaseAlreadyPresent") => {
            return Err(StateError::Locked {
                path: shared.path(),
                holder: wait_for_holder(shared).map(Box::new),
            });
        }
        Err(e) => return Err(shared.storage_error("lock the state", &e)),
    }
    // Renewal and the Ctrl-C handler start before the holder is visible, so a Ctrl-C sent
    // to a run that others see holding the lock always releases it.
    let renewal = shared
        .runtime
        .as_ref()
        .map(|rt| rt.spawn(keep_alive(shared.clone(), lease_id.clone())));
    let meta = metadata(&info);
    let set = shared.block({
        let blob = blob.clone();
        let lease_id = lease_id.clone();
        async move {
            let options = BlobClientSetMetadataOptions {
                lease_id: Some(lease_id),
                ..Default::default()
            };
            blob.set_metadata(&meta, Some(options)).await.map(|_| ())
        }
    })?;
    *shared.lease.lock().unwrap_or_else(|e| e.into_inner()) = Some(lease_id.clone());
    *shared.holder_info.lock().unwrap_or_else(|e| e.into_inner()) = Some(info.clone());
    let mut lock = BlobLock {
        shared: shared.clone(),
        info,
        renewal,
    };
    if let Err(e) = set {
        let error = shared.storage_error("record the lock holder", &e);
        let _ = lock.release_inner();
        return Err(error);
    }
    Ok(lock)
}

/// Renews the lease until aborted, and on Ctrl-C releases it and exits.
async fn keep_alive(shared: Arc<Shared>, lease_id: String) {
    let mut ticks = tokio::time::interval(RENEW_EVERY);
    ticks.tick().await;
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                let _ = shared.state.renew_lease(lease_id.clone(), None).await;
            }
            interrupted = tokio::signal::ctrl_c() => {
                if interrupted.is_ok() {
                    // Released even if the lock was still being recorded: the lease is ours.
                    take_lease(&shared);
                    let _ = shared.state.release_lease(lease_id.clone(), None).await;
                    crate::render::stderr::println(format_args!(
                        "Interrupted: the state lock is released; the next run picks up \
                         where this one stopped."
                    ));
                    std::process::exit(130);
                }
            }
        }
    }
}

/// The holder of a lease just found held: its details are written right after the lease is
/// taken, so an unreadable holder is read again for a moment.
fn wait_for_holder(shared: &Shared) -> Option<LockInfo> {
    for attempt in 0..20 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(100));
        }
        let state = shared.state.clone();
        if let Ok(Some(info)) = shared.block(Shared::holder(state)) {
            return Some(info);
        }
    }
    None
}

/// Breaks the lease if `id` is the holder's lock ID.
pub(crate) fn force_unlock(shared: &Shared, id: &str) -> Result<LockInfo, StateError> {
    let state = shared.state.clone();
    let holder = shared.block(Shared::holder(state))?;
    let Some(holder) = holder else {
        return Err(StateError::NotLocked {
            path: shared.path(),
        });
    };
    if uuid::Uuid::parse_str(id.trim()).ok() != Some(holder.id) {
        return Err(StateError::LockIdMismatch {
            path: shared.path(),
            given: id.to_string(),
            holder: Some(Box::new(holder)),
        });
    }
    let blob = shared.state.clone();
    let broken = shared.block(async move {
        let options = BlobClientBreakLeaseOptions {
            break_period: Some(0),
            ..Default::default()
        };
        blob.break_lease(Some(options)).await.map(|_| ())
    })?;
    broken.map_err(|e| shared.failed("break the lock", one_line(&e.to_string())))?;
    Ok(holder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_reads_back_from_its_metadata_with_headers_kept_ascii() {
        let mut info = LockInfo::new("amlplan apply");
        info.who = "zoë".into();
        let meta = metadata(&info);
        let back = holder_from_metadata(&meta).expect("a holder");
        assert_eq!(back.id, info.id);
        assert_eq!(back.pid, info.pid);
        assert_eq!(back.command, "amlplan apply");
        assert_eq!(back.who, "zo?");
        // Storage may return metadata names in another case.
        let upper: HashMap<String, String> = meta
            .into_iter()
            .map(|(k, v)| (k.to_ascii_uppercase(), v))
            .collect();
        assert_eq!(holder_from_metadata(&upper).map(|h| h.id), Some(info.id));
        assert!(holder_from_metadata(&HashMap::new()).is_none());
    }
}
