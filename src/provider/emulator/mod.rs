//! The mock provider: an in-process emulator of Azure Resource Manager.
//!
//! [`Emulator`] is a synchronous state machine, `handle(request, now) -> response`, over
//! plain-data requests and responses, so the same emulator can be served over HTTP on
//! loopback. It keeps ARM's semantics rather than a dictionary's:
//!
//! - resources are stored by ARM ID, compared case-insensitively, output with the casing
//!   they were created with; a child whose parent is missing gets 404
//!   `ParentResourceNotFound`;
//! - writes answer as the resource type does in ARM: synchronously (200/201), or as a
//!   long-running operation (201 + `Azure-AsyncOperation`, or 202 + `Location`, both with
//!   `Retry-After`) during which the resource reads `Creating`/`Updating`/`Deleting`, and
//!   which finishes after [`EmulatorOptions::polls_until_done`] polls;
//! - GET returns what ARM returns: the body plus `id`, `name`, `type`, `systemData`,
//!   `provisioningState` and the fields the service populates (see `shape`); a workspace
//!   with managed-network isolation gains outbound rules of category `Required`;
//! - updates are checked against the type's create-only properties (`rules`), read from the
//!   kind descriptors (`schema::semantics`) like everything else the emulator knows per ARM
//!   type (`types`): long-running-operation style, read-only and secret properties, canonical
//!   casing;
//! - what is code rather than data lives in one file per type family (`families/`): asset
//!   versions are immutable, an online endpoint's traffic may only name existing deployments,
//!   a deployment with traffic cannot be deleted, role assignments are unique per
//!   (scope, principal, role), a deleted workspace is soft-deleted and keeps its name;
//! - faults: an explicit queue ([`EmulatorOptions::fail_next`],
//!   [`EmulatorOptions::fail_operations`]) and a seeded random plan ([`FaultPlan`]).
//!
//! [`MockCloud`] wraps an emulator as a [`Transport`](super::Transport), with simulated
//! latency and persistence to a JSON file; `http` serves a `MockCloud` on loopback (with
//! ARM's token buckets, `throttle`) for the HTTP provider.
//!
//! Along its seams: `routing` (faults, api-version, dispatch by method), `reads` (GET, LIST),
//! `writes` (PUT, PATCH, DELETE, POST), `lro` (operations, polling, `Retry-After`), `rules`
//! and `shape` (the generic update rules and body shaping), `families/` (per type family),
//! `store` (the persistent state), `response` (ARM's answers and errors).

mod blobs;
mod cloud;
mod families;
mod faults;
pub mod http;
mod lro;
mod path;
mod reads;
mod response;
mod routing;
mod rules;
mod shape;
pub(crate) mod store;
pub mod throttle;
mod types;
mod writes;

#[cfg(test)]
mod descriptor_tests;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use cloud::MockCloud;

/// The Microsoft Entra tenant of the mock cloud (every identity it creates lives there).
pub fn tenant_id() -> String {
    shape::tenant_id()
}
pub use faults::FaultPlan;
pub use store::MockCloudError;

use self::faults::FaultCounters;
use self::path::ArmPath;
use self::response::error_response;
use self::store::{CloudState, OpStatus};
use super::{ArmError, ArmRequest, ArmResponse, Method};

/// Simulated latency of one request, in milliseconds of real time (the [`MockCloud`]
/// sleeps it) and of logical time (the clock advances by it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Latency {
    pub default_ms: u64,
    /// Overrides per method.
    pub per_method: Vec<(Method, u64)>,
}

impl Latency {
    pub fn fixed(ms: u64) -> Latency {
        Latency {
            default_ms: ms,
            per_method: Vec::new(),
        }
    }

    pub fn for_method(&self, method: Method) -> u64 {
        self.per_method
            .iter()
            .find(|(m, _)| *m == method)
            .map_or(self.default_ms, |(_, ms)| *ms)
    }
}

/// The emulator's knobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmulatorOptions {
    pub latency: Latency,
    /// A long-running operation answers `InProgress` to this many polls minus one; the
    /// poll after that finds it done. 0 finishes operations at once.
    pub polls_until_done: u32,
    /// The `Retry-After` (seconds) of long-running operations.
    pub retry_after_secs: u64,
    pub faults: FaultPlan,
    /// Answer the next request whose method matches and whose path contains the substring
    /// (case-insensitively) with this status and error code, once per entry. A 429 carries
    /// `Retry-After: 1`.
    pub fail_next: Vec<(Method, String, u16, String)>,
    /// The next long-running operation on a resource whose ID contains the substring ends
    /// `Failed` with this error code, once per entry.
    pub fail_operations: Vec<(String, String)>,
    /// Scheme and host of the operation URLs in `Azure-AsyncOperation`/`Location`.
    pub base_url: String,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        EmulatorOptions {
            latency: Latency::default(),
            polls_until_done: 2,
            retry_after_secs: 1,
            faults: FaultPlan::default(),
            fail_next: Vec::new(),
            fail_operations: Vec::new(),
            base_url: "https://management.azure.com".into(),
        }
    }
}

/// Completed operations kept for late pollers before the oldest are dropped.
pub(crate) const KEEP_COMPLETED_OPERATIONS: usize = 1000;

/// The ARM emulator. See the module documentation.
#[derive(Debug, Clone)]
pub struct Emulator {
    options: EmulatorOptions,
    state: CloudState,
    counters: FaultCounters,
    /// Resource key → its in-flight operation.
    inflight: HashMap<String, String>,
    generation: u64,
}

pub(crate) type Outcome = Result<ArmResponse, ArmError>;

impl Emulator {
    pub fn new(options: EmulatorOptions) -> Emulator {
        Emulator::with_state(options, CloudState::default())
    }

    fn with_state(options: EmulatorOptions, state: CloudState) -> Emulator {
        let mut inflight: HashMap<String, (u64, String)> = HashMap::new();
        for op in state.operations.values() {
            if op.status == OpStatus::InProgress {
                let key = op.resource_id.to_ascii_lowercase();
                let newer = inflight.get(&key).is_none_or(|(seq, _)| *seq < op.seq);
                if newer {
                    inflight.insert(key, (op.seq, op.id.clone()));
                }
            }
        }
        Emulator {
            options,
            state,
            counters: FaultCounters::default(),
            inflight: inflight.into_iter().map(|(k, (_, id))| (k, id)).collect(),
            generation: 0,
        }
    }

    /// Loads a mock cloud file's content (see `store` for the format). `path` names the
    /// file in errors.
    pub fn from_json(
        text: &str,
        path: &Path,
        options: EmulatorOptions,
    ) -> Result<Emulator, MockCloudError> {
        Ok(Emulator::with_state(
            options,
            CloudState::from_json(text, path)?,
        ))
    }

    /// The persistent state as the mock cloud file holds it (deterministic).
    pub fn to_json(&self) -> Vec<u8> {
        self.state.to_json()
    }

    pub fn options(&self) -> &EmulatorOptions {
        &self.options
    }

    pub fn options_mut(&mut self) -> &mut EmulatorOptions {
        &mut self.options
    }

    /// The logical clock (milliseconds), never going backwards.
    pub fn clock(&self) -> u64 {
        self.state.clock
    }

    /// Increments whenever the persistent state changes.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The IDs of the resources that exist (original casing, sorted case-insensitively):
    /// neither soft-deleted workspaces nor the outbound rules the service adds.
    pub fn resource_ids(&self) -> Vec<String> {
        self.state
            .resources
            .values()
            .map(|r| r.id.clone())
            .collect()
    }

    /// The IDs of soft-deleted workspaces.
    pub fn soft_deleted_ids(&self) -> Vec<String> {
        self.state
            .soft_deleted
            .values()
            .map(|r| r.id.clone())
            .collect()
    }

    /// What a GET of `id` returns, if it exists.
    pub fn resource(&self, id: &str) -> Option<Value> {
        let path = ArmPath::parse(id)?;
        self.representation(&path.key())
            .or_else(|| self.required_rule(&path))
    }

    /// Operations not yet finished.
    pub fn operations_in_flight(&self) -> usize {
        self.inflight.len()
    }

    /// Finishes every operation in flight, as if enough time had passed.
    pub fn settle_all(&mut self, now: u64) {
        self.state.clock = self.state.clock.max(now);
        let mut ops: Vec<(u64, String)> = self
            .inflight
            .values()
            .filter_map(|id| self.state.operations.get(id).map(|o| (o.seq, id.clone())))
            .collect();
        ops.sort();
        for (_, id) in ops {
            self.complete(&id);
        }
    }

    /// Handles one request at logical time `now` (milliseconds; the clock keeps the
    /// maximum it has seen).
    pub fn handle(&mut self, request: &ArmRequest, now: u64) -> ArmResponse {
        self.state.clock = self.state.clock.max(now);
        if let Some(fault) = self.injected_fault(request) {
            return fault;
        }
        match self.route(request) {
            Ok(r) => r,
            Err(e) => error_response(&e),
        }
    }

    fn touch(&mut self) {
        self.generation += 1;
    }
}
