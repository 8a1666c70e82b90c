//! The state as an apply writes it: every journal step saved before the run goes on.

use std::sync::{Arc, Mutex};

use crate::provider::ArmError;
use crate::state::{LocalBackend, State};

/// The error code of an operation whose journal entry or result could not be saved (the
/// state's failure, not ARM's: reported as a state error).
pub const STATE_WRITE_FAILED: &str = "StateWriteFailed";

/// The state being written during an apply, saved after every journal step.
///
/// Saves are group commits: every update waits until a save that includes it is on disk
/// (so a journal entry is durable before its ARM write), but updates made while a save is
/// running are all covered by the next one. With N operations in flight this writes about
/// one file per wave instead of one per step.
pub struct StateWriter {
    state: Mutex<State>,
    backend: Arc<LocalBackend>,
    /// Number of updates applied to `state`.
    generation: std::sync::atomic::AtomicU64,
    /// The generation last saved; held while saving.
    saved: Mutex<u64>,
}

impl StateWriter {
    pub fn new(state: State, backend: Arc<LocalBackend>) -> StateWriter {
        StateWriter {
            state: Mutex::new(state),
            backend,
            generation: std::sync::atomic::AtomicU64::new(0),
            saved: Mutex::new(0),
        }
    }

    /// The state as it is now.
    pub fn into_state(self) -> State {
        self.state.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// A copy of the state as it is now.
    pub fn snapshot(&self) -> State {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> Result<T, ArmError> {
        use std::sync::atomic::Ordering;
        let (out, mine) = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let out = f(&mut state);
            (out, self.generation.fetch_add(1, Ordering::SeqCst) + 1)
        };
        let mut saved = self.saved.lock().unwrap_or_else(|e| e.into_inner());
        if *saved >= mine {
            // A save that started after this update already wrote it.
            return Ok(out);
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let covered = self.generation.load(Ordering::SeqCst);
        self.backend.save(&mut state).map_err(|e| ArmError {
            status: 0,
            code: STATE_WRITE_FAILED.into(),
            message: e.to_string(),
        })?;
        *saved = covered;
        Ok(out)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
