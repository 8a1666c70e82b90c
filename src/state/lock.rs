//! The state lock: an OS advisory lock on `state.json.lock` plus the holder's details written
//! into that file.
//!
//! The OS lock (`flock` on Unix, `LockFileEx` on Windows, through `std::fs::File::try_lock`)
//! is what excludes: it belongs to the open file, so it disappears when the process dies,
//! even by SIGKILL. The JSON in the file only reports who holds it. A lock file whose OS lock
//! nobody holds is stale (its process is gone) and is taken over silently.
//!
//! The file is removed on release, while the OS lock is still held. A process that opened the
//! old file just before the removal and locks it afterwards would hold a lock on a file no
//! longer at the path, so after locking, [`acquire`] checks that the path still names the
//! file it locked and starts over if not.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::StateError;
use super::sys;

/// Who holds the lock, written as JSON into the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockInfo {
    /// The lock's ID, the argument of `amlplan force-unlock`.
    #[serde(with = "uuid_text")]
    pub id: Uuid,
    pub pid: u32,
    pub host: String,
    /// When the lock was taken, RFC 3339 UTC.
    pub time: String,
    /// The command that holds it, e.g. `amlplan apply`.
    pub command: String,
    /// The user name (`$USER`).
    pub who: String,
}

impl LockInfo {
    /// Details for a lock taken now by this process for `command`: a fresh random ID, this
    /// process's ID, the host name, the time, and `$USER`.
    pub fn new(command: impl Into<String>) -> LockInfo {
        LockInfo {
            id: sys::random_uuid(),
            pid: std::process::id(),
            host: sys::host_name(),
            time: sys::now_rfc3339(),
            command: command.into(),
            who: sys::user_name(),
        }
    }
}

mod uuid_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use uuid::Uuid;

    pub fn serialize<S: Serializer>(id: &Uuid, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&id.hyphenated())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Uuid, D::Error> {
        let text = String::deserialize(d)?;
        Uuid::parse_str(&text).map_err(serde::de::Error::custom)
    }
}

/// A held state lock. Released (the lock file removed, the OS lock dropped) by
/// [`StateLock::release`] or on drop.
#[derive(Debug)]
pub struct StateLock {
    file: Option<File>,
    lock_path: PathBuf,
    info: LockInfo,
}

impl StateLock {
    /// The details written into the lock file.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.lock_path
    }

    /// Releases the lock, reporting a failure to remove the lock file (a leftover file does
    /// not block the next run: nobody holds its OS lock).
    pub fn release(mut self) -> Result<(), StateError> {
        self.release_inner()
    }

    fn release_inner(&mut self) -> Result<(), StateError> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        // Remove the file while still holding the OS lock (see the module docs), and only if
        // the path still names our file.
        let mut result = Ok(());
        if same_file(&file, &self.lock_path)
            && let Err(e) = std::fs::remove_file(&self.lock_path)
            && e.kind() != io::ErrorKind::NotFound
        {
            result = Err(StateError::Lock {
                path: self.lock_path.clone(),
                source: e,
            });
        }
        // Closing the file drops the OS lock in any case; unlock explicitly to be prompt.
        let _ = file.unlock();
        result
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = self.release_inner();
    }
}

/// Takes the lock on `lock_path` (reporting errors against `state_path`), writing `info`
/// into it.
pub(crate) fn acquire(
    state_path: &Path,
    lock_path: &Path,
    info: LockInfo,
) -> Result<StateLock, StateError> {
    let lock_err = |source: io::Error| StateError::Lock {
        path: lock_path.to_path_buf(),
        source,
    };
    if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(lock_err)?;
    }
    for _ in 0..50 {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path)
            .map_err(lock_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(StateError::Locked {
                    path: state_path.to_path_buf(),
                    holder: read_holder(lock_path, true).map(Box::new),
                });
            }
            Err(TryLockError::Error(e)) => return Err(lock_err(e)),
        }
        if !same_file(&file, lock_path) {
            // The previous holder removed the file between our open and our lock.
            continue;
        }
        // Ours: overwrite whatever a dead holder left.
        let mut text = serde_json::to_string_pretty(&info).map_err(|e| lock_err(e.into()))?;
        text.push('\n');
        let mut handle = &file;
        handle.set_len(0).map_err(lock_err)?;
        handle.seek(SeekFrom::Start(0)).map_err(lock_err)?;
        handle.write_all(text.as_bytes()).map_err(lock_err)?;
        return Ok(StateLock {
            file: Some(file),
            lock_path: lock_path.to_path_buf(),
            info,
        });
    }
    Err(lock_err(io::Error::other(
        "the lock file kept being replaced while locking it",
    )))
}

/// Removes a lock left behind, if `id` is its ID and no running process holds it. Returns
/// the removed lock's details.
pub(crate) fn force_unlock(
    state_path: &Path,
    lock_path: &Path,
    id: &str,
) -> Result<LockInfo, StateError> {
    let file = match OpenOptions::new().read(true).write(true).open(lock_path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(StateError::NotLocked {
                path: state_path.to_path_buf(),
            });
        }
        Err(source) => {
            return Err(StateError::Lock {
                path: lock_path.to_path_buf(),
                source,
            });
        }
    };
    let holder = read_holder(lock_path, false);
    let matches = match (&holder, Uuid::parse_str(id.trim())) {
        (Some(info), Ok(given)) => info.id == given,
        _ => false,
    };
    let holder = match holder {
        Some(info) if matches => info,
        other => {
            return Err(StateError::LockIdMismatch {
                path: state_path.to_path_buf(),
                given: id.to_string(),
                holder: other.map(Box::new),
            });
        }
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(StateError::LockInUse {
                path: state_path.to_path_buf(),
                holder: Some(Box::new(holder)),
            });
        }
        Err(TryLockError::Error(source)) => {
            return Err(StateError::Lock {
                path: lock_path.to_path_buf(),
                source,
            });
        }
    }
    if same_file(&file, lock_path)
        && let Err(e) = std::fs::remove_file(lock_path)
        && e.kind() != io::ErrorKind::NotFound
    {
        return Err(StateError::Lock {
            path: lock_path.to_path_buf(),
            source: e,
        });
    }
    let _ = file.unlock();
    Ok(holder)
}

/// The lock holder's details, read from the lock file. With `retry`, an unreadable file is
/// read again for a short while: a holder that has just taken the OS lock writes its details
/// right after.
pub(crate) fn read_holder(lock_path: &Path, retry: bool) -> Option<LockInfo> {
    let attempts = if retry { 40 } else { 1 };
    for attempt in 0..attempts {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Ok(text) = std::fs::read_to_string(lock_path)
            && let Ok(info) = serde_json::from_str::<LockInfo>(&text)
        {
            return Some(info);
        }
    }
    None
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether `path` still names the open `file` (Windows does not let an open file be replaced
/// by another at the same path, so existence suffices).
#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}
