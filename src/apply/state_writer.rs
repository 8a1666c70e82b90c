//! The state as an apply writes it: every step journalled, durably, before the run goes on.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::provider::ArmError;
use crate::state::{Backend, State, StateError, journal};

/// The error code of an operation whose journal entry or result could not be saved (the
/// state's failure, not ARM's: reported as a state error).
pub const STATE_WRITE_FAILED: &str = "StateWriteFailed";

/// The state being written during an apply.
///
/// Every update's changes become one journal record ([`journal`]), appended beside the state
/// and fsynced before the update returns, so an intent is durable before its ARM write. The
/// fsyncs are group commits: updates made while one runs are all covered by the next. The
/// first write of a run is a snapshot (it covers what the run changed before, the
/// reconciliation), and the journal is compacted into a new snapshot whenever it outgrows the
/// last one, so the cost per step stays independent of the number of resources.
pub struct StateWriter {
    inner: Mutex<Inner>,
    backend: Backend,
    /// Number of updates applied to the state.
    generation: AtomicU64,
    /// The generation last made durable; held while writing.
    saved: Mutex<u64>,
}

struct Inner {
    state: State,
    /// Framed records of updates not yet written.
    pending: Vec<u8>,
}

impl StateWriter {
    pub fn new(mut state: State, backend: impl Into<Backend>) -> StateWriter {
        state.start_recording();
        StateWriter {
            inner: Mutex::new(Inner {
                state,
                pending: Vec::new(),
            }),
            backend: backend.into(),
            generation: AtomicU64::new(0),
            saved: Mutex::new(0),
        }
    }

    /// The state as it is now.
    pub fn into_state(self) -> State {
        let mut inner = self.inner.into_inner().unwrap_or_else(|e| e.into_inner());
        inner.state.stop_recording();
        inner.state
    }

    /// A copy of the state as it is now.
    pub fn snapshot(&self) -> State {
        let mut state = self.lock().state.clone();
        state.stop_recording();
        state
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> Result<T, ArmError> {
        let (out, mine) = {
            let mut inner = self.lock();
            let out = f(&mut inner.state);
            let changes = inner.state.take_changes();
            if !changes.is_empty() {
                let record = journal::frame(&changes);
                inner.pending.extend_from_slice(&record);
            }
            (out, self.generation.fetch_add(1, Ordering::SeqCst) + 1)
        };
        let mut saved = self.saved.lock().unwrap_or_else(|e| e.into_inner());
        if *saved >= mine {
            // A write that started after this update already covered it.
            return Ok(out);
        }
        let failed = |e: StateError| ArmError {
            status: 0,
            code: STATE_WRITE_FAILED.into(),
            message: e.to_string(),
        };
        let (records, covered) = {
            let mut inner = self.lock();
            (
                std::mem::take(&mut inner.pending),
                self.generation.load(Ordering::SeqCst),
            )
        };
        // No snapshot of this run yet, or a journal larger than the snapshot: write one.
        let snapshot_due = self
            .backend
            .append_journal(&records)
            .map_err(failed)?
            .unwrap_or(true);
        if snapshot_due {
            let mut inner = self.lock();
            self.backend.save(&mut inner.state).map_err(failed)?;
            inner.pending.clear();
            *saved = self.generation.load(Ordering::SeqCst);
        } else {
            *saved = covered;
        }
        Ok(out)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.lock().state)
    }
}
