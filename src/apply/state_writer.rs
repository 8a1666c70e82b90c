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
/// Every update's changes become one journal record ([`journal`]), appended beside the state.
/// An intent ([`update`](Self::update)) is fsynced before the call returns, so it is durable
/// before its ARM write; a result ([`record`](Self::record)) is only queued: the next intent's
/// fsync covers it (the journal is appended in order), as does [`flush`](Self::flush) at the
/// end. The fsyncs are group commits: records queued while one runs are all covered by the
/// next. A write blocks its thread, never the async runtime's worker (it gives the worker's
/// other tasks to another thread first), and a snapshot is written from a copy, so other
/// operations keep running and recording while the disk works. The first write of a run is a
/// snapshot (it covers what the run changed before, the reconciliation), and the journal is
/// compacted into a new snapshot whenever it outgrows the last one, so the cost per step stays
/// independent of the number of resources.
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

    /// Applies `f` to the state and returns once its changes are durable (an intent).
    pub(crate) fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> Result<T, ArmError> {
        let (out, mine) = self.change(f);
        off_the_runtime(|| self.make_durable(mine))?;
        Ok(out)
    }

    /// Applies `f` to the state and queues its changes (a result), durable with the next
    /// [`update`](Self::update) or [`flush`](Self::flush).
    pub(crate) fn record<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        self.change(f).0
    }

    /// Makes every change so far durable.
    pub fn flush(&self) -> Result<(), ArmError> {
        let mine = self.generation.load(Ordering::SeqCst);
        off_the_runtime(|| self.make_durable(mine))
    }

    /// Applies `f`, queues its changes as one record, and returns its generation.
    fn change<T>(&self, f: impl FnOnce(&mut State) -> T) -> (T, u64) {
        let mut inner = self.lock();
        let out = f(&mut inner.state);
        let changes = inner.state.take_changes();
        if !changes.is_empty() {
            let record = journal::frame(&changes);
            inner.pending.extend_from_slice(&record);
        }
        (out, self.generation.fetch_add(1, Ordering::SeqCst) + 1)
    }

    /// Writes what is queued, unless a write that started after generation `mine` already
    /// covered it.
    fn make_durable(&self, mine: u64) -> Result<(), ArmError> {
        let mut saved = self.saved.lock().unwrap_or_else(|e| e.into_inner());
        if *saved >= mine {
            return Ok(());
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
            // From a copy: the state stays free for the other operations meanwhile. What
            // they record goes after the snapshot, into the journal it starts.
            let (mut copy, covered) = {
                let mut inner = self.lock();
                inner.pending.clear();
                let mut copy = inner.state.clone();
                copy.stop_recording();
                (copy, self.generation.load(Ordering::SeqCst))
            };
            self.backend.save(&mut copy).map_err(failed)?;
            self.lock().state.saved_as(&copy);
            *saved = covered;
        } else {
            *saved = covered;
        }
        Ok(())
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.lock().state)
    }
}

/// Runs `f`, which blocks on the disk, without holding up the tasks of the async runtime's
/// worker it is called on: on a multi-threaded runtime the worker's other tasks move to
/// another thread first (the CLI's runtime has two workers; an fsync holding one, and a
/// group commit's waiter the other, would stop every request's progress meanwhile).
fn off_the_runtime<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{LocalBackend, Operation, Outcome, ResourceState, ResourceStatus};
    use std::sync::Arc;

    fn resource(n: usize, filler: &str) -> ResourceState {
        ResourceState {
            address: format!("workspace.w{n}"),
            kind: "workspace".into(),
            id: format!("/subscriptions/s/resourceGroups/rg/providers/X/workspaces/w{n}"),
            api_version: "2025-09-01".into(),
            request_hash: "h".into(),
            applied_body: serde_json::json!({"properties": {"description": filler}}),
            depends_on: vec![],
            status: ResourceStatus::Created,
            secret_digests: Default::default(),
            adopted: false,
            sensitive_paths: None,
        }
    }

    fn on_disk(backend: &LocalBackend) -> State {
        LocalBackend::new(backend.path())
            .load()
            .expect("the state loads")
            .expect("the state exists")
    }

    #[test]
    fn a_result_is_durable_with_the_next_intent_or_the_flush() {
        let dir = tempfile::tempdir().unwrap();
        let backend = Arc::new(LocalBackend::new(dir.path().join("state.json")));
        let writer = StateWriter::new(State::new(), backend.clone());
        let seq = writer
            .update(|s| s.begin("workspace.w0", "/w0", Operation::Put, None))
            .unwrap();
        writer.record(|s| {
            s.record_applied(resource(0, "a"));
            s.complete(seq, Outcome::Done);
        });
        // Queued, not written: a crash now leaves the intent pending (reconciled next run).
        assert!(!on_disk(&backend).contains("workspace.w0"));
        assert_eq!(on_disk(&backend).journal().len(), 1);
        writer
            .update(|s| s.begin("workspace.w1", "/w1", Operation::Put, None))
            .unwrap();
        // The next intent's write carries the result before it.
        let after_intent = on_disk(&backend);
        assert!(after_intent.contains("workspace.w0"));
        assert_eq!(after_intent.journal().len(), 2);
        writer.record(|s| s.record_applied(resource(1, "b")));
        writer.flush().unwrap();
        assert!(on_disk(&backend).contains("workspace.w1"));
    }

    #[test]
    fn snapshots_written_from_a_copy_keep_the_serial_in_step() {
        // Enough journal to be compacted several times (each record over 6 KB, the journal
        // compacted past 64 KiB and past the snapshot), then the final save: refused if the
        // writer's serial fell behind the snapshots'.
        let dir = tempfile::tempdir().unwrap();
        let backend = Arc::new(LocalBackend::new(dir.path().join("state.json")));
        let writer = StateWriter::new(State::new(), backend.clone());
        let filler = "x".repeat(6000);
        let mut serials = Vec::new();
        for n in 0..100 {
            let seq = writer
                .update(|s| s.begin(format!("workspace.w{n}"), "/w", Operation::Put, None))
                .unwrap();
            writer.record(|s| {
                s.record_applied(resource(n, &filler));
                s.complete(seq, Outcome::Done);
            });
            if n % 5 == 4 {
                serials.push(on_disk(&backend).serial());
            }
        }
        serials.dedup();
        assert!(serials.len() > 3, "compacted only {} times", serials.len());
        let mut state = writer.into_state();
        backend.save(&mut state).expect("the final save");
        let loaded = on_disk(&backend);
        assert_eq!(loaded.resources().count(), 100);
        assert_eq!(loaded.serial(), state.serial());
        assert!(loaded.serial() >= *serials.last().unwrap());
    }
}
