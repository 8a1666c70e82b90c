//! The state backend a run uses: the local file or an Azure Storage blob. Both keep the same
//! document and the same write-ahead journal; they differ in where the bytes go and how the
//! lock is held.

use std::path::PathBuf;
use std::sync::Arc;

use super::blob::{BlobBackend, BlobLock};
use super::error::StateError;
use super::journal::Damage;
use super::{LocalBackend, LockInfo, State, StateLock};

/// A state backend (cheap to clone: each variant is shared).
#[derive(Debug, Clone)]
pub enum Backend {
    Local(Arc<LocalBackend>),
    AzureBlob(Arc<BlobBackend>),
}

impl From<Arc<LocalBackend>> for Backend {
    fn from(local: Arc<LocalBackend>) -> Backend {
        Backend::Local(local)
    }
}

impl From<LocalBackend> for Backend {
    fn from(local: LocalBackend) -> Backend {
        Backend::Local(Arc::new(local))
    }
}

impl From<BlobBackend> for Backend {
    fn from(blob: BlobBackend) -> Backend {
        Backend::AzureBlob(Arc::new(blob))
    }
}

/// A held state lock, of either backend. Released on drop.
#[derive(Debug)]
pub enum BackendLock {
    Local(StateLock),
    AzureBlob(BlobLock),
}

impl BackendLock {
    pub fn info(&self) -> &LockInfo {
        match self {
            BackendLock::Local(l) => l.info(),
            BackendLock::AzureBlob(l) => l.info(),
        }
    }

    pub fn release(self) -> Result<(), StateError> {
        match self {
            BackendLock::Local(l) => l.release(),
            BackendLock::AzureBlob(l) => l.release(),
        }
    }
}

impl Backend {
    pub fn load(&self) -> Result<Option<State>, StateError> {
        match self {
            Backend::Local(b) => b.load(),
            Backend::AzureBlob(b) => b.load(),
        }
    }

    pub fn load_or_new(&self) -> Result<State, StateError> {
        Ok(self.load()?.unwrap_or_default())
    }

    pub fn journal_damage(&self) -> Option<Damage> {
        match self {
            Backend::Local(b) => b.journal_damage(),
            Backend::AzureBlob(b) => b.journal_damage(),
        }
    }

    /// The journal's file or blob, as messages name it.
    pub fn journal_path(&self) -> PathBuf {
        match self {
            Backend::Local(b) => b.journal_path(),
            Backend::AzureBlob(b) => PathBuf::from(b.journal_url()),
        }
    }

    pub fn save(&self, state: &mut State) -> Result<(), StateError> {
        match self {
            Backend::Local(b) => b.save(state),
            Backend::AzureBlob(b) => b.save(state),
        }
    }

    pub(crate) fn append_journal(&self, records: &[u8]) -> Result<Option<bool>, StateError> {
        match self {
            Backend::Local(b) => b.append_journal(records),
            Backend::AzureBlob(b) => b.append_journal(records),
        }
    }

    pub fn lock(&self, info: LockInfo) -> Result<BackendLock, StateError> {
        match self {
            Backend::Local(b) => b.lock(info).map(BackendLock::Local),
            Backend::AzureBlob(b) => b.lock(info).map(BackendLock::AzureBlob),
        }
    }

    pub fn lock_holder(&self) -> Option<LockInfo> {
        match self {
            Backend::Local(b) => b.lock_holder(),
            Backend::AzureBlob(b) => b.lock_holder(),
        }
    }

    pub fn force_unlock(&self, id: &str) -> Result<LockInfo, StateError> {
        match self {
            Backend::Local(b) => b.force_unlock(id),
            Backend::AzureBlob(b) => b.force_unlock(id),
        }
    }
}
