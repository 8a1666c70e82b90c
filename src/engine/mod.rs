//! The engine: refresh, plan, apply and state reconciliation over a [`Provider`].
//!
//! A command compiles a manifest, opens a provider and calls the engine; the engine does the
//! rest and reports what it does as [`events`] (rendered by `src/render/progress_*.rs`) and
//! its errors as coded [`Diagnostic`]s. Invariants:
//!
//! - the engine reads and writes nothing but through the state backend and the provider: no
//!   environment variables, no manifest files (values known after apply are resolved by
//!   re-evaluating the in-memory manifest, [`lowered`]);
//! - it never prints: progress is events, errors are diagnostics;
//! - it knows no provider's internals: the mock cloud is only ever a `dyn Provider` here.

pub mod events;
pub mod lowered;
pub mod outputs;
pub mod plan_file;
pub mod reconcile;
pub mod refresh;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::apply::{Applier, OpResult, StateWriter, operations};
use crate::arm::Desired;
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;
use crate::plan::Plan;
use crate::plan::planner::{self, Actual, PlanOptions};
use crate::provider::Provider;
use crate::state::{Backend, BackendLock, LocalBackend, LockInfo, State};

use self::events::{EventSink, NoEvents};
use self::lowered::Lowered;

/// Where the engine keeps the state, and whether it holds the lock.
pub struct StateConfig {
    pub path: PathBuf,
    /// Take the state lock for this command (named so whoever finds it held knows who).
    pub lock_for: Option<String>,
}

pub struct Engine {
    runtime: tokio::runtime::Runtime,
    provider: Arc<dyn Provider>,
    backend: Backend,
    state: State,
    /// Held until the engine is dropped or [`Engine::release_lock`].
    lock: Option<BackendLock>,
    events: Arc<dyn EventSink>,
    /// Warnings from opening the state (an unreadable journal end).
    warnings: Vec<Diagnostic>,
}

impl Engine {
    /// Starts the engine over `provider`: its worker threads, the state lock, the state.
    pub fn open(provider: Arc<dyn Provider>, config: &StateConfig) -> Result<Engine, Diagnostic> {
        Engine::open_with(|| Ok(provider), config)
    }

    /// Starts the engine, opening the provider only once the state lock is held: a provider
    /// that reads what another run writes (the mock cloud file) must not be read before that
    /// run has let go, or this run would plan against what it was before.
    pub fn open_with(
        open_provider: impl FnOnce() -> Result<Arc<dyn Provider>, Diagnostic>,
        config: &StateConfig,
    ) -> Result<Engine, Diagnostic> {
        Engine::open_on(
            open_provider,
            Backend::from(LocalBackend::new(config.path.clone())),
            config.lock_for.as_deref(),
        )
    }

    /// [`open_with`](Self::open_with) over any state backend (the local file or a blob).
    pub fn open_on(
        open_provider: impl FnOnce() -> Result<Arc<dyn Provider>, Diagnostic>,
        backend: Backend,
        lock_for: Option<&str>,
    ) -> Result<Engine, Diagnostic> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            // Values known after apply are resolved by evaluating the manifest again on these
            // threads: give them the stack the evaluation bound is sized for (`lang::depth`,
            // 8 MiB), with room to spare, not the default 2 MiB.
            .thread_stack_size(16 << 20)
            .enable_all()
            .build()
            .map_err(|e| diag::runtime_unavailable(&e))?;
        let lock = match lock_for {
            Some(c) => Some(
                backend
                    .lock(LockInfo::new(c))
                    .map_err(|e| diag::state(&e))?,
            ),
            None => None,
        };
        // Inside the runtime: a provider that talks HTTP opens its connections (and gets its
        // first token) on the runtime its requests will run on.
        let provider = {
            let _entered = runtime.enter();
            open_provider()?
        };
        let state = backend.load_or_new().map_err(|e| diag::state(&e))?;
        let warnings = backend
            .journal_damage()
            .map(|damage| diag::journal_damaged(&backend.journal_path(), &damage))
            .into_iter()
            .collect();
        Ok(Engine {
            runtime,
            provider,
            backend,
            state,
            lock,
            events: Arc::new(NoEvents),
            warnings,
        })
    }

    /// Sends the engine's events to `sink` from now on.
    pub fn set_events(&mut self, sink: Arc<dyn EventSink>) {
        self.events = sink;
    }

    /// Warnings from opening the state, for the command to print.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn provider(&self) -> &Arc<dyn Provider> {
        &self.provider
    }

    /// Releases the state lock early (the process is about to exit without dropping).
    pub fn release_lock(&mut self) {
        drop(self.lock.take());
    }

    /// The prior resources recorded in the state.
    pub fn priors(&self) -> Vec<crate::plan::Prior> {
        refresh::priors(&self.state)
    }

    /// Reads every resource `desired` wants and `priors` knows.
    pub fn refresh(
        &self,
        desired: &[Desired],
        priors: &[crate::plan::Prior],
    ) -> Result<Actual, Diagnostic> {
        refresh::refresh(
            &self.runtime,
            &self.provider,
            self.events.as_ref(),
            desired,
            priors,
        )
    }

    /// Refreshes and plans `desired` against the state.
    pub fn plan(&self, desired: &[Desired], options: PlanOptions) -> Result<Plan, Diagnostic> {
        let priors = self.priors();
        let actual = self.refresh(desired, &priors)?;
        Ok(planner::plan(desired, &priors, &actual, options))
    }

    /// Plans the manifest; where a desired resource needs values known only after apply
    /// (a managed identity's principal ID) and the resources holding them already exist, the
    /// in-memory manifest is evaluated again with those values first, so an applied manifest
    /// plans no changes.
    pub fn plan_manifest(
        &self,
        lowered: &mut Lowered,
        options: PlanOptions,
    ) -> Result<Plan, Diagnostic> {
        let priors = self.priors();
        let mut actual = self.refresh(&lowered.desired, &priors)?;
        if lowered.desired.iter().any(Desired::has_unknown) {
            let known = refresh::known_values(&priors, &actual);
            if !known.is_empty()
                && let Some((desired, inputs)) = lowered.with_known(known)
            {
                lowered.desired = desired;
                lowered.inputs = inputs;
                actual = self.refresh(&lowered.desired, &priors)?;
            }
        }
        let mut plan = planner::plan(&lowered.desired, &priors, &actual, options);
        let referenced: std::collections::BTreeSet<&str> = lowered
            .compilation
            .manifest
            .outputs
            .iter()
            .flat_map(|o| o.value.references())
            .map(|r| r.address.as_str())
            .collect();
        if !referenced.is_empty() {
            let outputs_use: Vec<crate::plan::Prior> = priors
                .iter()
                .filter(|p| referenced.contains(p.address.as_str()))
                .cloned()
                .collect();
            plan.exports = refresh::known_values(&outputs_use, &actual);
        }
        Ok(plan)
    }

    /// Brings the state in line with the plan's refresh before anything is written.
    pub fn reconcile(&mut self, plan: &Plan) {
        reconcile::reconcile(&mut self.state, plan);
    }

    /// Applies the plan's changes, `parallelism` operations at a time, the state journal
    /// saved around every write; values known only after apply are resolved from `lowered`.
    /// Every operation's outcome, in operation order.
    pub fn apply(&mut self, plan: &Plan, lowered: &Lowered, parallelism: usize) -> Vec<OpResult> {
        let ops = operations(plan);
        let writer = Arc::new(StateWriter::new(
            std::mem::take(&mut self.state),
            self.backend.clone(),
        ));
        let applier = Applier {
            provider: self.provider.clone(),
            state: writer.clone(),
            events: self.events.clone(),
            resolver: Some(lowered.resolver()),
        };
        let results = self.runtime.block_on(applier.apply(ops, parallelism));
        drop(applier);
        self.state = match Arc::try_unwrap(writer) {
            Ok(w) => w.into_state(),
            Err(shared) => shared.snapshot(),
        };
        // Compacts the journal into the state file. A failure loses nothing (the journal
        // holds every step) and `finish` saves again, reporting it.
        let _ = self.backend.save(&mut self.state);
        results
    }

    /// Ends a run that may have written: records the root outputs (after apply, `Some`; the
    /// sensitive ones redacted, they are never stored) or clears them (after destroy, `None`),
    /// saves the state and lets the provider finish.
    pub fn finish(&mut self, outputs_of: Option<&Lowered>) -> Result<(), Diagnostic> {
        match outputs_of {
            Some(lowered) => {
                let mut outputs = outputs::resolve_outputs(
                    &self.runtime,
                    self.provider.client(),
                    &lowered.compilation.manifest,
                    &lowered.desired,
                );
                for o in outputs.values_mut().filter(|o| o.sensitive) {
                    o.value = Value::String("(sensitive value)".into());
                }
                self.state.replace_outputs(outputs);
            }
            None => self.state.replace_outputs(BTreeMap::new()),
        }
        self.state.clear_completed_journal();
        self.backend
            .save(&mut self.state)
            .map_err(|e| diag::state(&e))?;
        self.provider.finish()
    }

    /// The root outputs as they are now, unredacted (`amlplan output NAME` of a sensitive
    /// output, which the state never holds).
    pub fn current_outputs(
        &self,
        lowered: &Lowered,
    ) -> BTreeMap<String, crate::state::OutputState> {
        outputs::resolve_outputs(
            &self.runtime,
            self.provider.client(),
            &lowered.compilation.manifest,
            &lowered.desired,
        )
    }
}
