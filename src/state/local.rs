//! The local backend: the state in a JSON file, written atomically, with a backup and a
//! lock.
//!
//! Files, for a state at `DIR/state.json`:
//! - `DIR/state.json`: the state;
//! - `DIR/state.json.backup`: the state as it was before this backend's first save (for an
//!   apply: the state before the apply);
//! - `DIR/state.json.lock`: exists while a process holds the lock, with its details;
//! - `DIR/state.json.journal`: the steps of an apply since the last snapshot (see
//!   [`journal`](super::journal)), replayed onto `state.json` when it is loaded;
//! - `DIR/.state.json.tmp.PID.N`: a save in progress (removed by the next lock holder if a
//!   crash left it).
//!
//! A save writes the temporary file and fsyncs it, keeps the previous file as the backup
//! (a hard link, or a copy where links are not supported), renames the temporary file over
//! the state and fsyncs the directory: at every instant the state path names either the old
//! or the new complete file. A save is a snapshot: the journal is removed after it (a
//! journal left by a crash in between names the previous snapshot and is ignored).

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::error::StateError;
use super::journal::{self, Damage, JOURNAL_VERSION};
use super::lock::{self, LockInfo, StateLock};
use super::{FORMAT_VERSION, FormatError, State};

/// The state directory beside the manifest.
pub const STATE_DIR: &str = ".amlplan";
/// The state file name in [`STATE_DIR`].
pub const STATE_FILE: &str = "state.json";

/// A journal shorter than this is not compacted however small the snapshot (early in a first
/// apply the snapshot is tiny, and rewriting it every few steps gains nothing).
const MIN_COMPACTION: u64 = 64 << 10;

/// A state stored in a local file.
///
/// One backend per command run: it remembers what it found on disk (so that it never saves
/// over a file it could not load, or over another lineage's state) and backs the previous
/// state up on its first save only. Its methods take `&self` and may be called from
/// several threads; saves are serialised.
#[derive(Debug)]
pub struct LocalBackend {
    path: PathBuf,
    force: bool,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    disk: Disk,
    backed_up: bool,
    /// The journal this backend appends to, created after its first snapshot.
    journal: Option<File>,
    journal_len: u64,
    /// Whether this backend wrote the snapshot on disk (so the journal there is its own).
    saved: bool,
    /// What the last load ignored at the journal's end.
    damage: Option<Damage>,
}

/// What this backend knows of the file at `path`.
#[derive(Debug, Clone)]
enum Disk {
    /// Not looked at yet.
    Unknown,
    /// There was no file.
    Missing,
    /// A valid state of this lineage and serial (loaded or saved by this backend), with the
    /// SHA-256 and length of the file (the journal names the snapshot it applies to by it).
    /// A loaded file's digest is taken only when a journal lies beside it (hashing a large
    /// state costs more than the rest of reading it).
    Valid {
        lineage: String,
        serial: u64,
        digest: Option<[u8; 32]>,
        len: u64,
    },
    /// A file that could not be loaded, and why.
    Invalid(String),
}

impl LocalBackend {
    /// A backend for the state file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> LocalBackend {
        LocalBackend {
            path: path.into(),
            force: false,
            inner: Mutex::new(Inner {
                disk: Disk::Unknown,
                backed_up: false,
                journal: None,
                journal_len: 0,
                saved: false,
                damage: None,
            }),
        }
    }

    /// `MANIFEST_DIR/.amlplan/state.json`.
    pub fn default_path(manifest_dir: &Path) -> PathBuf {
        manifest_dir.join(STATE_DIR).join(STATE_FILE)
    }

    /// A backend for the default state file of the manifest in `manifest_dir`.
    pub fn for_manifest_dir(manifest_dir: &Path) -> LocalBackend {
        LocalBackend::new(LocalBackend::default_path(manifest_dir))
    }

    /// With `force`, [`save`](Self::save) overwrites a file it could not load, of another
    /// lineage, or with a higher serial (the previous file is still kept as the backup).
    pub fn with_force(mut self, force: bool) -> LocalBackend {
        self.force = force;
        self
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `state.json.backup`.
    pub fn backup_path(&self) -> PathBuf {
        sibling(&self.path, "", ".backup")
    }

    /// `state.json.journal`.
    pub fn journal_path(&self) -> PathBuf {
        sibling(&self.path, "", ".journal")
    }

    /// `state.json.lock`.
    pub fn lock_path(&self) -> PathBuf {
        sibling(&self.path, "", ".lock")
    }

    fn temp_path(&self, what: &str) -> PathBuf {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        sibling(
            &self.path,
            ".",
            &format!(".{what}.{}.{n}", std::process::id()),
        )
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Loads the state: `None` if there is no file. A file that cannot be read, is not a
    /// valid state, or is of a newer format is an error, and this backend then refuses to
    /// save over it (unless forced).
    ///
    /// The journal beside the file, if it belongs to it, is replayed onto it; an unreadable
    /// end of the journal (torn by a crash, damaged on disk) is ignored and reported by
    /// [`journal_damage`](Self::journal_damage). A damaged record with valid ones after it
    /// is an error ([`StateError::JournalBroken`]): a crash tears only the last record.
    pub fn load(&self) -> Result<Option<State>, StateError> {
        let mut inner = self.inner();
        let (disk, result) = self.inspect();
        inner.disk = disk;
        inner.damage = None;
        let Ok(Some(mut state)) = result else {
            return result;
        };
        let Disk::Valid {
            digest: Some(digest),
            ..
        } = &inner.disk
        else {
            return Ok(Some(state));
        };
        let bytes = match fs::read(self.journal_path()) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Some(state)),
            Err(source) => {
                return Err(StateError::Read {
                    path: self.journal_path(),
                    source,
                });
            }
        };
        match journal::replay_onto(&mut state, &bytes, digest) {
            Ok(damage) => inner.damage = damage,
            Err(refused) => {
                inner.disk = Disk::Invalid(refused.reason());
                return Err(match refused {
                    journal::Unreplayable::Newer(found) => StateError::NewerFormat {
                        path: self.journal_path(),
                        found: u64::from(found),
                        supported: JOURNAL_VERSION,
                    },
                    journal::Unreplayable::Broken(broken) => {
                        let backup = self.backup_path();
                        StateError::JournalBroken {
                            path: self.journal_path(),
                            snapshot: self.path.clone(),
                            backup: backup.is_file().then_some(backup),
                            broken,
                        }
                    }
                });
            }
        }
        Ok(Some(state))
    }

    /// What the last [`load`](Self::load) ignored at the end of the journal, if anything.
    pub fn journal_damage(&self) -> Option<Damage> {
        self.inner().damage.clone()
    }

    /// Loads the state, or starts a new empty one if there is no file.
    pub fn load_or_new(&self) -> Result<State, StateError> {
        Ok(self.load()?.unwrap_or_default())
    }

    /// Reads and parses the file, without changing what the backend knows.
    fn inspect(&self) -> (Disk, Result<Option<State>, StateError>) {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return (Disk::Missing, Ok(None)),
            Err(source) => {
                return (
                    Disk::Invalid(source.to_string()),
                    Err(StateError::Read {
                        path: self.path.clone(),
                        source,
                    }),
                );
            }
        };
        match State::from_json_slice(&bytes) {
            Ok(state) => (
                Disk::Valid {
                    lineage: state.lineage().to_string(),
                    serial: state.serial(),
                    digest: self
                        .journal_path()
                        .exists()
                        .then(|| Sha256::digest(&bytes).into()),
                    len: bytes.len() as u64,
                },
                Ok(Some(state)),
            ),
            Err(FormatError::Newer(found)) => (
                Disk::Invalid(format!(
                    "it was written by a newer amlplan (format {found})"
                )),
                Err(StateError::NewerFormat {
                    path: self.path.clone(),
                    found,
                    supported: FORMAT_VERSION,
                }),
            ),
            Err(FormatError::Corrupt(reason)) => {
                let backup = self.backup_path();
                (
                    Disk::Invalid(format!("it is corrupt: {reason}")),
                    Err(StateError::Corrupt {
                        path: self.path.clone(),
                        reason,
                        backup: backup.is_file().then_some(backup),
                    }),
                )
            }
        }
    }

    /// Writes `state` atomically, first bumping its serial if its resources changed since
    /// it was loaded or last saved (see the [module docs](super)). The previous file is kept
    /// as `state.json.backup` on this backend's first save.
    ///
    /// Refuses (unless forced) to overwrite a file that could not be loaded, a state of
    /// another lineage, or one with a higher serial. The caller should hold the lock.
    pub fn save(&self, state: &mut State) -> Result<(), StateError> {
        let mut inner = self.inner();
        if !self.force {
            self.check_overwrite(&mut inner, state)?;
        }
        if state.serial() == u64::MAX && state.resources_changed() {
            return Err(StateError::SerialExhausted {
                path: self.path().to_path_buf(),
            });
        }
        state.bump_serial_if_changed();
        let bytes = state.to_json_bytes();
        self.write_atomically(&mut inner, &bytes)?;
        inner.disk = Disk::Valid {
            lineage: state.lineage().to_string(),
            serial: state.serial(),
            digest: Some(Sha256::digest(&bytes).into()),
            len: bytes.len() as u64,
        };
        inner.saved = true;
        // The snapshot holds every step: the journal starts again (one a crash leaves here
        // names the previous snapshot, so it is ignored).
        state.take_changes();
        inner.journal = None;
        inner.journal_len = 0;
        match fs::remove_file(self.journal_path()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(StateError::Write {
                path: self.journal_path(),
                source,
            }),
        }
    }

    /// Appends framed journal records and fsyncs them. Only after this backend's own
    /// snapshot ([`save`](Self::save)); returns `None` when there is none yet (save first),
    /// else whether the journal has outgrown the snapshot (time to save again).
    pub(crate) fn append_journal(&self, records: &[u8]) -> Result<Option<bool>, StateError> {
        let mut inner = self.inner();
        let (
            true,
            Disk::Valid {
                digest: Some(digest),
                len,
                ..
            },
        ) = (inner.saved, &inner.disk)
        else {
            return Ok(None);
        };
        let (digest, snapshot_len) = (*digest, *len);
        let path = self.journal_path();
        let write_err = |source: io::Error| StateError::Write {
            path: path.clone(),
            source,
        };
        if inner.journal.is_none() {
            let mut options = OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&path).map_err(write_err)?;
            let header = journal::header(&digest);
            file.write_all(&header).map_err(write_err)?;
            sync_dir(parent_dir(&self.path)).map_err(write_err)?;
            inner.journal_len = header.len() as u64;
            inner.journal = Some(file);
        }
        let Some(file) = inner.journal.as_mut() else {
            return Ok(None);
        };
        file.write_all(records)
            .and_then(|()| file.sync_data())
            .map_err(write_err)?;
        inner.journal_len += records.len() as u64;
        Ok(Some(inner.journal_len > snapshot_len.max(MIN_COMPACTION)))
    }

    fn check_overwrite(&self, inner: &mut Inner, state: &State) -> Result<(), StateError> {
        if matches!(inner.disk, Disk::Unknown | Disk::Missing) {
            inner.disk = if fs::symlink_metadata(&self.path).is_ok() {
                self.inspect().0
            } else {
                Disk::Missing
            };
        }
        match &inner.disk {
            Disk::Unknown | Disk::Missing => Ok(()),
            Disk::Invalid(reason) => Err(StateError::RefuseOverwrite {
                path: self.path.clone(),
                reason: reason.clone(),
            }),
            Disk::Valid {
                lineage, serial, ..
            } => {
                if lineage != state.lineage() {
                    Err(StateError::LineageMismatch {
                        path: self.path.clone(),
                        on_disk: lineage.clone(),
                        in_memory: state.lineage().to_string(),
                    })
                } else if *serial > state.serial() {
                    Err(StateError::SerialRegression {
                        path: self.path.clone(),
                        on_disk: *serial,
                        in_memory: state.serial(),
                    })
                } else {
                    Ok(())
                }
            }
        }
    }

    fn write_atomically(&self, inner: &mut Inner, bytes: &[u8]) -> Result<(), StateError> {
        let write_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source: io::Error| StateError::Write { path, source }
        };
        let dir = parent_dir(&self.path);
        fs::create_dir_all(dir).map_err(write_err(dir))?;

        let temp = self.temp_path("tmp");
        if let Err(e) = write_synced(&temp, bytes) {
            let _ = fs::remove_file(&temp);
            return Err(write_err(&temp)(e));
        }
        if !inner.backed_up {
            if fs::symlink_metadata(&self.path).is_ok() {
                let backup = self.backup_path();
                if let Err(e) = self.make_backup(&backup) {
                    let _ = fs::remove_file(&temp);
                    return Err(write_err(&backup)(e));
                }
            }
            inner.backed_up = true;
        }
        if let Err(e) = fs::rename(&temp, &self.path) {
            let _ = fs::remove_file(&temp);
            return Err(write_err(&self.path)(e));
        }
        sync_dir(dir).map_err(write_err(dir))
    }

    /// Makes `backup` name the current content of the state file, replacing any older
    /// backup atomically.
    fn make_backup(&self, backup: &Path) -> io::Result<()> {
        let temp = self.temp_path("backup.tmp");
        // The state file is only ever replaced, never written in place, so a hard link keeps
        // the old content once the new file is renamed over the state path.
        if fs::hard_link(&self.path, &temp).is_err() {
            let copied = fs::copy(&self.path, &temp).and_then(|_| File::open(&temp)?.sync_all());
            if let Err(e) = copied {
                let _ = fs::remove_file(&temp);
                return Err(e);
            }
        }
        fs::rename(&temp, backup).inspect_err(|_| {
            let _ = fs::remove_file(&temp);
        })
    }

    /// Takes the state lock, writing `info` into the lock file. Fails with
    /// [`StateError::Locked`], naming the holder, if another process (or another
    /// `StateLock` of this process) holds it. A lock file left by a process that died is
    /// taken over. Once locked, temporary files left by crashed saves are removed.
    pub fn lock(&self, info: LockInfo) -> Result<StateLock, StateError> {
        let held = lock::acquire(&self.path, &self.lock_path(), info)?;
        self.remove_stale_temp_files();
        Ok(held)
    }

    /// The current lock holder's details, if the lock file exists and is readable (the
    /// holder may be dead: only [`lock`](Self::lock) can tell).
    pub fn lock_holder(&self) -> Option<LockInfo> {
        lock::read_holder(&self.lock_path(), false)
    }

    /// Removes a lock left behind, for `amlplan force-unlock ID`: refuses when `id` is not
    /// the lock's ID or when a running process still holds it. Returns the removed lock's
    /// details.
    pub fn force_unlock(&self, id: &str) -> Result<LockInfo, StateError> {
        lock::force_unlock(&self.path, &self.lock_path(), id)
    }

    fn remove_stale_temp_files(&self) {
        let Some(name) = self.path.file_name().and_then(|n| n.to_str()) else {
            return;
        };
        let prefixes = [format!(".{name}.tmp."), format!(".{name}.backup.tmp.")];
        let Ok(entries) = fs::read_dir(parent_dir(&self.path)) else {
            return;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else {
                continue;
            };
            if let Some(rest) = prefixes
                .iter()
                .find_map(|p| file_name.strip_prefix(p.as_str()))
                && !rest.is_empty()
                && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// `DIR/{prefix}{file name}{suffix}` for the file `path`.
fn sibling(path: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let mut name = OsString::from(prefix);
    name.push(path.file_name().unwrap_or(path.as_os_str()));
    name.push(suffix);
    path.with_file_name(name)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Creates `path` (which must not exist) with `bytes` and fsyncs it. Owner-only permissions on
/// Unix: a state holds outputs that may be sensitive.
fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Fsyncs a directory so a rename in it is durable (a no-op where directories cannot be
/// opened or synced).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        match File::open(dir).and_then(|d| d.sync_all()) {
            Ok(()) => Ok(()),
            // Some file systems cannot sync directories.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
