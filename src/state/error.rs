//! Errors of the state store. Every message names the file and says what to do.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::lock::LockInfo;

/// Something went wrong reading, writing or locking the state.
#[derive(Debug)]
pub enum StateError {
    /// The state file exists but could not be read.
    Read { path: PathBuf, source: io::Error },
    /// Writing the state (or its temporary file, backup or directory) failed.
    Write { path: PathBuf, source: io::Error },
    /// The state file is not a valid amlplan state: bad JSON, missing or wrong fields.
    Corrupt {
        path: PathBuf,
        reason: String,
        /// The backup of the previous state, when one exists.
        backup: Option<PathBuf>,
    },
    /// A record in the middle of the state's journal is damaged while valid records follow
    /// it: replaying around it would lose a confirmed step, so the state is not read.
    JournalBroken {
        /// The journal.
        path: PathBuf,
        /// The snapshot it applies to.
        snapshot: PathBuf,
        /// The backup of the state before the run that wrote the journal, when one exists.
        backup: Option<PathBuf>,
        broken: super::journal::Broken,
    },
    /// The state file was written by a newer amlplan.
    NewerFormat {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
    /// `save` would overwrite a state file that could not be loaded (and `force` was not
    /// requested).
    RefuseOverwrite { path: PathBuf, reason: String },
    /// `save` would overwrite a state file of another lineage (a different state).
    LineageMismatch {
        path: PathBuf,
        on_disk: String,
        in_memory: String,
    },
    /// `save` would overwrite a newer state with an older one.
    SerialRegression {
        path: PathBuf,
        on_disk: u64,
        in_memory: u64,
    },
    /// The resources changed but the serial is already at its maximum: it cannot move on, and
    /// wrapping to 0 would make every plan file bound to an old serial look current again.
    SerialExhausted { path: PathBuf },
    /// Another process holds the lock. `holder` is `None` when its details could not be
    /// read.
    Locked {
        path: PathBuf,
        holder: Option<Box<LockInfo>>,
    },
    /// Taking or releasing the lock failed for another reason.
    Lock { path: PathBuf, source: io::Error },
    /// `force_unlock` found no lock file.
    NotLocked { path: PathBuf },
    /// `force_unlock` was given an ID that is not the lock's.
    LockIdMismatch {
        path: PathBuf,
        given: String,
        holder: Option<Box<LockInfo>>,
    },
    /// `force_unlock` on a lock that a running process still holds.
    LockInUse {
        path: PathBuf,
        holder: Option<Box<LockInfo>>,
    },
    /// A remote backend's request failed (`path` is the state blob's URL): what it was
    /// doing and the service's answer.
    Remote {
        path: PathBuf,
        action: String,
        message: String,
    },
    /// The remote backend's container does not exist (it is never created implicitly).
    ContainerMissing { path: PathBuf, container: String },
    /// The state blob's ETag is not the one this run read: someone else wrote it.
    BlobChanged { path: PathBuf },
    /// The lease this run held on the state blob was lost (broken, or lapsed).
    LeaseLost { path: PathBuf },
    /// The backend's settings or credentials cannot be used.
    BackendSettings { path: PathBuf, message: String },
}

impl StateError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            StateError::Read { path, .. }
            | StateError::Write { path, .. }
            | StateError::Corrupt { path, .. }
            | StateError::JournalBroken { path, .. }
            | StateError::NewerFormat { path, .. }
            | StateError::RefuseOverwrite { path, .. }
            | StateError::LineageMismatch { path, .. }
            | StateError::SerialRegression { path, .. }
            | StateError::SerialExhausted { path }
            | StateError::Locked { path, .. }
            | StateError::Lock { path, .. }
            | StateError::NotLocked { path }
            | StateError::LockIdMismatch { path, .. }
            | StateError::LockInUse { path, .. }
            | StateError::Remote { path, .. }
            | StateError::ContainerMissing { path, .. }
            | StateError::BlobChanged { path }
            | StateError::LeaseLost { path }
            | StateError::BackendSettings { path, .. } => path,
        }
    }
}

/// ``by `amlplan apply` (pid 42 on host h, user u, since T; lock ID X)``.
fn holder_text(holder: &Option<Box<LockInfo>>) -> String {
    match holder {
        Some(info) => format!(
            "by `{}` (pid {} on host {}, user {}, since {}; lock ID {})",
            info.command, info.pid, info.host, info.who, info.time, info.id
        ),
        None => "by another process (its lock details could not be read)".to_string(),
    }
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateError::Read { path, source } => write!(
                f,
                "cannot read state file {}: {source}; check that it is readable",
                path.display()
            ),
            StateError::Write { path, source } => write!(
                f,
                "cannot write state file {}: {source}; the previous state file is unchanged",
                path.display()
            ),
            StateError::Corrupt {
                path,
                reason,
                backup,
            } => {
                write!(
                    f,
                    "state file {} is corrupt: {reason}; amlplan will not overwrite it. \
                     Repair it",
                    path.display()
                )?;
                if let Some(backup) = backup {
                    write!(
                        f,
                        ", or restore the previous state from {}",
                        backup.display()
                    )?;
                }
                write!(f, ", or move it away to start from an empty state")
            }
            StateError::JournalBroken {
                path,
                snapshot,
                backup,
                broken,
            } => {
                write!(
                    f,
                    "state journal {} is damaged in the middle: the record at byte {} cannot be \
                     read ({}), yet valid records follow it from byte {}; the state is not read, \
                     because replaying around the damage would lose a step the apply confirmed. \
                     The snapshot {} is intact (readable steps before the damage: {}). \
                     To recover, move the journal aside (the state is then the snapshot alone; \
                     check it with `amlplan state list`, and `amlplan plan` refreshes it from \
                     ARM, but objects the journalled steps created or deposed are not in it)",
                    path.display(),
                    broken.offset,
                    broken.reason,
                    broken.next_valid,
                    snapshot.display(),
                    broken.readable,
                )?;
                if let Some(backup) = backup {
                    write!(
                        f,
                        ", or restore the state before the previous run from {}",
                        backup.display()
                    )?;
                }
                write!(f, "; keep the damaged journal to see what its steps did")
            }
            StateError::NewerFormat {
                path,
                found,
                supported,
            } => write!(
                f,
                "state file {} was written by a newer amlplan (format {found}; this amlplan \
                 understands format {supported}); upgrade amlplan",
                path.display()
            ),
            StateError::RefuseOverwrite { path, reason } => write!(
                f,
                "refusing to overwrite state file {}: it could not be loaded ({reason}); \
                 repair or move it, or force the write explicitly",
                path.display()
            ),
            StateError::LineageMismatch {
                path,
                on_disk,
                in_memory,
            } => write!(
                f,
                "refusing to overwrite state file {}: it holds a different state (lineage \
                 {on_disk}, not {in_memory}); use another state path, or move the file away",
                path.display()
            ),
            StateError::SerialRegression {
                path,
                on_disk,
                in_memory,
            } => write!(
                f,
                "refusing to overwrite state file {}: it is newer (serial {on_disk}) than the \
                 state being saved (serial {in_memory}); another amlplan changed it, run again",
                path.display()
            ),
            StateError::SerialExhausted { path } => write!(
                f,
                "cannot save state file {}: its serial is at its maximum ({}) and cannot be \
                 incremented; start a new state (or edit the serial down, knowing that plan files \
                 saved against the old serials become applicable again)",
                path.display(),
                u64::MAX
            ),
            StateError::Locked { path, holder } => {
                write!(
                    f,
                    "state file {} is locked {}; wait for it to finish",
                    path.display(),
                    holder_text(holder)
                )?;
                if let Some(info) = holder {
                    write!(
                        f,
                        ", or if that process is no longer running, run \
                         `amlplan force-unlock {}`",
                        info.id
                    )?;
                }
                Ok(())
            }
            StateError::Lock { path, source } => {
                write!(f, "cannot lock state file {}: {source}", path.display())
            }
            StateError::NotLocked { path } => write!(
                f,
                "state file {} is not locked; there is nothing to unlock",
                path.display()
            ),
            StateError::LockIdMismatch {
                path,
                given,
                holder,
            } => {
                write!(
                    f,
                    "lock ID {given} does not match the lock on state file {}",
                    path.display()
                )?;
                match holder {
                    Some(_) => write!(
                        f,
                        ", which is held {}; pass that lock ID to force-unlock",
                        holder_text(holder)
                    ),
                    None => write!(
                        f,
                        " (its details could not be read); remove the lock file by hand \
                         if no amlplan is running"
                    ),
                }
            }
            StateError::LockInUse { path, holder } => write!(
                f,
                "state file {} is locked {} and that process is still running; stop it \
                 before unlocking",
                path.display(),
                holder_text(holder)
            ),
            StateError::Remote {
                path,
                action,
                message,
            } => write!(
                f,
                "cannot {action} of state blob {}: {message}",
                path.display()
            ),
            StateError::ContainerMissing { path, container } => write!(
                f,
                "the container `{container}` of state blob {} does not exist; create it (amlplan \
                 never creates it, so a typo cannot start an empty state)",
                path.display()
            ),
            StateError::BlobChanged { path } => write!(
                f,
                "state blob {} changed since this run read it (its ETag moved): another run \
                 wrote it; nothing was overwritten, run again",
                path.display()
            ),
            StateError::LeaseLost { path } => write!(
                f,
                "this run lost its lease on state blob {} (broken by `amlplan force-unlock`, or \
                 lapsed); nothing was overwritten, run again",
                path.display()
            ),
            StateError::BackendSettings { path, message } => write!(
                f,
                "cannot use the azure_blob backend for {}: {message}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for StateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StateError::Read { source, .. }
            | StateError::Write { source, .. }
            | StateError::Lock { source, .. } => Some(source),
            _ => None,
        }
    }
}
