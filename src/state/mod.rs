//! The state: what amlplan has applied, persisted between runs.
//!
//! [`State`] is the versioned JSON document (`format_version`, `serial`, `lineage`,
//! `resources`, `outputs`, `journal`); [`LocalBackend`] stores it in a file
//! (`.amlplan/state.json` beside the manifest by default) with atomic writes, a backup of
//! the previous state and a lock ([`StateLock`]); [`BlobBackend`] in an Azure Storage blob
//! (`backend "azure_blob"`), locked by a lease; [`Backend`] is either.
//!
//! # The serial
//!
//! The serial identifies the *managed resources*: it changes exactly when the set of
//! resources or any resource's record (ID, api-version, request hash, applied body,
//! dependencies, status) changes, and never otherwise. A plan file is bound to it, so a
//! no-op apply does not stale a plan. It is bumped by [`LocalBackend::save`] (through
//! [`State::bump_serial_if_changed`]) when the resources differ from those of the last load
//! or save, so every file on disk with a given serial holds the same resources, even one
//! written halfway through an apply that then crashed. Outputs and the journal do not
//! change it.
//!
//! # The journal
//!
//! Before each ARM write, [`State::begin`] records a pending [`JournalEntry`] and the caller
//! saves the state; after the write, [`State::complete`] (with [`State::record_applied`] or
//! [`State::remove`]) records the outcome and the caller saves again. After a crash,
//! [`State::pending`] lists the writes that may have half-happened: the next run refreshes
//! those resources to learn whether they exist, then completes the entries.
//! [`State::clear_completed_journal`] drops finished entries when an apply ends.
//!
//! During an apply these steps are not whole-state saves: the state records its own changes
//! and each step becomes one record of the write-ahead [`journal`] beside the file, replayed
//! by [`LocalBackend::load`].

mod backend;
pub mod blob;
mod canonical;
mod deposed;
mod error;
pub mod journal;
mod local;
mod lock;
mod secrets;
mod sys;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub use canonical::{canonical_json, request_hash, sha256_hex};
pub use secrets::{salted_request_hash, secret_digest, write_only_digests};

/// Lower-case hex of `bytes` (a digest computed elsewhere).
pub fn hex_of(bytes: &[u8]) -> String {
    canonical::hex(bytes)
}
pub use backend::{Backend, BackendLock};
pub use blob::{BlobAuth, BlobBackend, BlobSettings};
pub use deposed::{deposed_address, deposed_base};
pub use error::StateError;
pub use local::LocalBackend;
pub use lock::{LockInfo, StateLock};
pub use sys::{now_rfc3339, random_uuid};

use crate::arm::Desired;
use journal::Change;

/// The state file format this amlplan reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The state document.
///
/// Resources are kept sorted by address and bodies with sorted keys, so the same state
/// always serialises to the same bytes.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawState")]
pub struct State {
    serial: u64,
    lineage: String,
    resources: BTreeMap<String, ResourceState>,
    /// Old objects of create-before-destroy replacements whose DELETE is not confirmed, by
    /// their [`deposed_address`].
    deposed: BTreeMap<String, ResourceState>,
    outputs: BTreeMap<String, OutputState>,
    journal: Vec<JournalEntry>,
    /// Fingerprint of the resources as of `serial` (last load or save), taken only when they
    /// are first changed (a plan never changes them, so never pays for it); `None` until then.
    baseline: Option<String>,
    /// Whether the resources may have changed since the last load or save.
    dirty: bool,
    /// While recording (an apply writing the journal), every change made, for the journal.
    log: Option<Vec<Change>>,
}

/// One managed ARM resource as last applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceState {
    /// The plan address, `workspace.fraud`.
    pub address: String,
    /// The kind, as in [`Desired::kind`].
    pub kind: String,
    /// The ARM resource ID.
    pub id: String,
    pub api_version: String,
    /// [`request_hash`] of the last applied request body (before redaction).
    pub request_hash: String,
    /// The last applied request body, sensitive paths already redacted by the caller.
    pub applied_body: Value,
    /// Addresses it depended on when applied (destroy order for resources gone from the
    /// manifest).
    #[serde(default)]
    pub depends_on: Vec<String>,
    pub status: ResourceStatus,
    /// Salted digests of the write-only values sent (a password ARM never returns), by body
    /// path: how the next plan sees whether such a value changed ([`secret_digest`], salted
    /// with the state's lineage).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secret_digests: BTreeMap<String, String>,
    /// Made outside amlplan and adopted (a role assignment ARM said already exists under
    /// another name): its `id` is the existing one, which the manifest's entry then means.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub adopted: bool,
    /// The body paths `applied_body` holds redacted: the typed list, so nothing reads a
    /// redaction from the placeholder text (a value of yours that reads `(sensitive)` is
    /// yours). `None` in a state written before the list, whose placeholders are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_paths: Option<Vec<String>>,
}

impl ResourceState {
    /// The record of a successfully applied `desired`: its address, kind, ID, api-version
    /// and dependencies, the hash of `desired.body` (the request sent, unredacted), and
    /// `applied_body`, the same body with its sensitive paths redacted by the caller.
    ///
    /// `salt` is the state's [`State::salt`]: the request hash is [`salted_request_hash`] and
    /// the write-only values are kept as [`write_only_digests`], so no secret, nor an
    /// unsalted hash of one, reaches the state.
    pub fn from_desired(desired: &Desired, applied_body: Value, salt: &str) -> ResourceState {
        ResourceState {
            address: desired.address.clone(),
            kind: desired.kind.clone(),
            id: desired.id.clone(),
            api_version: desired.api_version.clone(),
            request_hash: salted_request_hash(desired, salt),
            applied_body,
            depends_on: desired.depends_on.clone(),
            status: ResourceStatus::Created,
            secret_digests: write_only_digests(desired, salt),
            adopted: false,
            sensitive_paths: Some(
                desired
                    .sensitive
                    .iter()
                    .filter(|p| crate::json_path::get(&desired.body, p).is_some())
                    .cloned()
                    .collect(),
            ),
        }
    }
}

/// Whether a managed resource is healthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceStatus {
    Created,
    /// Exists but must be replaced (e.g. its creation failed after ARM accepted it).
    Tainted,
}

/// A root output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputState {
    pub value: Value,
    pub sensitive: bool,
}

/// One ARM write, recorded before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalEntry {
    pub seq: u64,
    pub address: String,
    pub id: String,
    pub operation: Operation,
    /// Hash of the request body; `None` for a write without one (a delete).
    #[serde(default)]
    pub request_hash: Option<String>,
    pub status: JournalStatus,
    #[serde(default)]
    pub error: Option<String>,
}

/// The kind of ARM write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Put,
    Delete,
    Patch,
    /// A POST action.
    Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JournalStatus {
    /// Begun and not known to have finished: may have half-happened.
    Pending,
    Done,
    Failed,
}

/// How a journalled write ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Failed, with the error to record (ARM's code and message).
    Failed(String),
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

impl PartialEq for State {
    /// Equal when they would be saved as the same document.
    fn eq(&self, other: &Self) -> bool {
        self.serial == other.serial
            && self.lineage == other.lineage
            && self.resources == other.resources
            && self.deposed == other.deposed
            && self.outputs == other.outputs
            && self.journal == other.journal
    }
}

impl State {
    /// An empty state with a fresh lineage, serial 0.
    pub fn new() -> State {
        let resources = BTreeMap::new();
        let deposed = BTreeMap::new();
        State {
            serial: 0,
            lineage: random_uuid().hyphenated().to_string(),
            baseline: None,
            resources,
            deposed,
            outputs: BTreeMap::new(),
            journal: Vec::new(),
            dirty: false,
            log: None,
        }
    }

    /// Records every change from now on, for [`take_changes`](Self::take_changes).
    pub(crate) fn start_recording(&mut self) {
        self.log.get_or_insert_with(Vec::new);
    }

    /// Stops recording changes.
    pub(crate) fn stop_recording(&mut self) {
        self.log = None;
    }

    /// The changes made since the last call (none unless recording).
    pub(crate) fn take_changes(&mut self) -> Vec<Change> {
        self.log.as_mut().map(std::mem::take).unwrap_or_default()
    }

    fn logged(&mut self, change: impl FnOnce() -> Change) {
        if let Some(log) = &mut self.log {
            log.push(change());
        }
    }

    pub fn format_version(&self) -> u32 {
        FORMAT_VERSION
    }

    /// See the module docs.
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// A UUID fixed when the state was first created: states of different lineages are
    /// different states, never to be overwritten by one another.
    pub fn lineage(&self) -> &str {
        &self.lineage
    }

    /// The salt of the state's secret digests: its lineage, random per state file.
    pub fn salt(&self) -> &str {
        &self.lineage
    }

    // ----- resources -----

    /// The managed resources, sorted by address.
    pub fn resources(&self) -> impl DoubleEndedIterator<Item = &ResourceState> + ExactSizeIterator {
        self.resources.values()
    }

    /// The managed addresses, sorted (`amlplan state list`).
    pub fn address_list(&self) -> Vec<&str> {
        self.resources.keys().map(String::as_str).collect()
    }

    pub fn get(&self, address: &str) -> Option<&ResourceState> {
        self.resources.get(address)
    }

    pub fn contains(&self, address: &str) -> bool {
        self.resources.contains_key(address)
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// A resource's record as JSON (`amlplan state show ADDRESS`); sensitive values are
    /// redacted as stored.
    /// The record at `address` as JSON: a resource, or a deposed object by its deposed
    /// address.
    pub fn show(&self, address: &str) -> Option<Value> {
        self.get(address)
            .or_else(|| self.deposed.get(address))
            .and_then(|r| serde_json::to_value(r).ok())
    }

    /// Records a successful write: inserts or replaces the resource at `resource.address`.
    /// The body's keys are sorted and `depends_on` sorted and deduplicated. Returns whether
    /// the record changed.
    pub fn record_applied(&mut self, mut resource: ResourceState) -> bool {
        resource.applied_body = canonical::sorted_keys(resource.applied_body);
        resource.depends_on.sort();
        resource.depends_on.dedup();
        if let Some(existing) = self.resources.get(&resource.address) {
            // An adopted resource stays adopted while it is the same one.
            if existing.adopted && existing.id.eq_ignore_ascii_case(&resource.id) {
                resource.adopted = true;
            }
            if *existing == resource {
                return false;
            }
        }
        let logged = self.log.is_some().then(|| resource.clone());
        self.will_change();
        self.resources.insert(resource.address.clone(), resource);
        if let Some(resource) = logged {
            self.logged(|| Change::Record { resource });
        }
        true
    }

    /// Forgets a resource (deleted, or `state rm`), or a deposed object by its deposed
    /// address. Returns its record.
    pub fn remove(&mut self, address: &str) -> Option<ResourceState> {
        if !self.resources.contains_key(address) && !self.deposed.contains_key(address) {
            return None;
        }
        self.will_change();
        let removed = self
            .resources
            .remove(address)
            .or_else(|| self.deposed.remove(address));
        if removed.is_some() {
            self.logged(|| Change::Remove {
                address: address.to_string(),
            });
        }
        removed
    }

    /// Forgets the object with ARM ID `id` recorded at `address`: the resource itself if it
    /// still has that ID, else the deposed object of `address` with that ID (a replacement
    /// recorded the new object first). Returns whether anything was forgotten.
    pub fn remove_object(&mut self, address: &str, id: &str) -> bool {
        if self
            .resources
            .get(address)
            .is_some_and(|r| r.id.eq_ignore_ascii_case(id))
        {
            return self.remove(address).is_some();
        }
        let deposed = deposed_address(address, id);
        let found = self
            .deposed
            .get(&deposed)
            .is_some_and(|r| r.id.eq_ignore_ascii_case(id));
        found && self.remove(&deposed).is_some()
    }

    /// Records the resource at `address` as deposed (its replacement, at another ID, is about
    /// to be recorded there) until its DELETE is confirmed. Returns the deposed address.
    pub fn depose(&mut self, address: &str) -> Option<String> {
        if !self.resources.contains_key(address) {
            return None;
        }
        self.will_change();
        let mut old = self.resources.remove(address)?;
        let deposed = deposed_address(address, &old.id);
        old.address = deposed.clone();
        self.deposed.insert(deposed.clone(), old);
        self.logged(|| Change::Depose {
            address: address.to_string(),
        });
        Some(deposed)
    }

    /// The deposed objects, sorted by their deposed address.
    pub fn deposed(&self) -> impl DoubleEndedIterator<Item = &ResourceState> + ExactSizeIterator {
        self.deposed.values()
    }

    /// Sets a resource's status; returns whether it changed (false for an unknown address).
    pub fn set_status(&mut self, address: &str, status: ResourceStatus) -> bool {
        if self
            .resources
            .get(address)
            .is_none_or(|r| r.status == status)
        {
            return false;
        }
        self.will_change();
        match self.resources.get_mut(address) {
            Some(r) if r.status != status => {
                r.status = status;
                self.logged(|| Change::Status {
                    address: address.to_string(),
                    status,
                });
                true
            }
            _ => false,
        }
    }

    /// Marks a resource for replacement on the next apply.
    pub fn taint(&mut self, address: &str) -> bool {
        self.set_status(address, ResourceStatus::Tainted)
    }

    // ----- outputs -----

    pub fn outputs(&self) -> &BTreeMap<String, OutputState> {
        &self.outputs
    }

    pub fn output(&self, name: &str) -> Option<&OutputState> {
        self.outputs.get(name)
    }

    /// Sets one output (its value stored as given, keys sorted).
    pub fn set_output(&mut self, name: impl Into<String>, value: Value, sensitive: bool) {
        self.outputs.insert(
            name.into(),
            OutputState {
                value: canonical::sorted_keys(value),
                sensitive,
            },
        );
    }

    /// Replaces all outputs (after an apply, outputs no longer declared disappear).
    pub fn replace_outputs(&mut self, outputs: BTreeMap<String, OutputState>) {
        self.outputs = outputs
            .into_iter()
            .map(|(name, o)| {
                let value = canonical::sorted_keys(o.value);
                (
                    name,
                    OutputState {
                        value,
                        sensitive: o.sensitive,
                    },
                )
            })
            .collect();
    }

    pub fn remove_output(&mut self, name: &str) -> Option<OutputState> {
        self.outputs.remove(name)
    }

    // ----- journal -----

    pub fn journal(&self) -> &[JournalEntry] {
        &self.journal
    }

    /// Records a pending write of `operation` on `address` (ARM ID `id`) and returns its
    /// sequence number. Save the state before sending the request.
    pub fn begin(
        &mut self,
        address: impl Into<String>,
        id: impl Into<String>,
        operation: Operation,
        request_hash: Option<String>,
    ) -> u64 {
        // Entries are kept in sequence order, so the next number is the last one's plus one.
        let seq = self.journal.last().map_or(0, |e| e.seq) + 1;
        let entry = JournalEntry {
            seq,
            address: address.into(),
            id: id.into(),
            operation,
            request_hash,
            status: JournalStatus::Pending,
            error: None,
        };
        if self.log.is_some() {
            let entry = entry.clone();
            self.logged(|| Change::Begin { entry });
        }
        self.journal.push(entry);
        seq
    }

    /// A journalled [`begin`](Self::begin), with its sequence number as it was.
    fn replay_begin(&mut self, entry: JournalEntry) {
        match self.journal.binary_search_by_key(&entry.seq, |e| e.seq) {
            Ok(i) => self.journal[i] = entry,
            Err(i) => self.journal.insert(i, entry),
        }
    }

    /// Completes the pending entry `seq`. Returns false if there is no pending entry `seq`.
    pub fn complete(&mut self, seq: u64, outcome: Outcome) -> bool {
        let Ok(i) = self.journal.binary_search_by_key(&seq, |e| e.seq) else {
            return false;
        };
        let entry = &mut self.journal[i];
        if entry.status != JournalStatus::Pending {
            return false;
        }
        match outcome {
            Outcome::Done => {
                entry.status = JournalStatus::Done;
                entry.error = None;
            }
            Outcome::Failed(error) => {
                entry.status = JournalStatus::Failed;
                entry.error = Some(error);
            }
        }
        let (status, error) = (entry.status, entry.error.clone());
        self.logged(|| Change::Complete { seq, status, error });
        true
    }

    /// The writes begun and never completed (a crash, or a kill, in between): each may or may
    /// not have reached ARM. In sequence order.
    pub fn pending(&self) -> Vec<&JournalEntry> {
        self.journal
            .iter()
            .filter(|e| e.status == JournalStatus::Pending)
            .collect()
    }

    /// Drops the completed (done or failed) entries, keeping pending ones. Returns how many
    /// were dropped.
    pub fn clear_completed_journal(&mut self) -> usize {
        let before = self.journal.len();
        self.journal.retain(|e| e.status == JournalStatus::Pending);
        let dropped = before - self.journal.len();
        if dropped > 0 {
            self.logged(|| Change::ClearCompleted);
        }
        dropped
    }

    // ----- serial and serialisation -----

    /// Whether the resources differ from those at the current serial (so the next save
    /// bumps it).
    pub fn resources_changed(&self) -> bool {
        self.dirty
            && self.baseline.as_deref()
                != Some(fingerprint(&self.resources, &self.deposed).as_str())
    }

    /// Called before every change to the resources: the first one since the last load or
    /// save takes the baseline of what they were.
    fn will_change(&mut self) {
        if !self.dirty {
            if self.baseline.is_none() {
                self.baseline = Some(fingerprint(&self.resources, &self.deposed));
            }
            self.dirty = true;
        }
    }

    /// Takes the serial and baseline of `saved`, a copy of this state that was just saved:
    /// changes made since the copy are measured against what was saved.
    pub(crate) fn saved_as(&mut self, saved: &State) {
        self.serial = saved.serial;
        // `dirty` stays: a change since the copy set it, and the next save compares the
        // fingerprint with this baseline.
        self.baseline.clone_from(&saved.baseline);
    }

    /// Bumps the serial if the resources changed since the last load or save, and makes the
    /// current resources the baseline. Called by [`LocalBackend::save`]; a backend of
    /// another kind calls it before writing. Returns whether it bumped.
    pub fn bump_serial_if_changed(&mut self) -> bool {
        if !self.dirty {
            return false;
        }
        self.dirty = false;
        let now = fingerprint(&self.resources, &self.deposed);
        if self.baseline.as_deref() == Some(now.as_str()) {
            return false;
        }
        // Saturates rather than wraps: `LocalBackend::save` refuses a save that would need
        // to go past the maximum, so this is reached only by a backend that forgot to check.
        let Some(next) = self.serial.checked_add(1) else {
            return false;
        };
        self.baseline = Some(now);
        self.serial = next;
        true
    }

    /// The document as saved: pretty JSON with a final newline, byte-identical for equal
    /// states. Does not touch the serial.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Parses a state document, checking its format version first.
    pub fn from_json_slice(bytes: &[u8]) -> Result<State, FormatError> {
        #[derive(Deserialize)]
        struct Probe {
            format_version: Option<Value>,
        }
        // The common case parses once; only a document that does not load is probed for why
        // (a newer format is told apart from a corrupt file).
        if let Ok(state) = serde_json::from_slice::<State>(bytes) {
            return Ok(state);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(FormatError::Corrupt("the file is empty".to_string()));
        }
        let probe: Probe = serde_json::from_slice(bytes).map_err(|e| {
            FormatError::Corrupt(if e.is_data() {
                "it is not a JSON object".to_string()
            } else {
                format!("invalid JSON: {e}")
            })
        })?;
        match probe.format_version {
            None => {
                return Err(FormatError::Corrupt(
                    "it has no `format_version`".to_string(),
                ));
            }
            Some(Value::Number(n)) => match n.as_u64() {
                Some(v) if v > u64::from(FORMAT_VERSION) => return Err(FormatError::Newer(v)),
                Some(v) if v == u64::from(FORMAT_VERSION) => {}
                _ => {
                    return Err(FormatError::Corrupt(format!(
                        "`format_version` {n} is not a version amlplan ever wrote"
                    )));
                }
            },
            Some(other) => {
                return Err(FormatError::Corrupt(format!(
                    "`format_version` is {other}, not a number"
                )));
            }
        }
        serde_json::from_slice(bytes).map_err(|e| FormatError::Corrupt(e.to_string()))
    }
}

/// Why a document is not a state this amlplan can load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// Not valid JSON or not a valid state, with the reason.
    Corrupt(String),
    /// Written by a newer amlplan, in this format version.
    Newer(u64),
}

/// Fingerprint of the resource records (deposed objects included): SHA-256 over each record
/// with its body in canonical form, so key order never matters.
fn fingerprint(
    resources: &BTreeMap<String, ResourceState>,
    deposed: &BTreeMap<String, ResourceState>,
) -> String {
    let mut hasher = Sha256::new();
    for r in resources.values().chain(deposed.values()) {
        let head = (
            &r.address,
            &r.kind,
            &r.id,
            &r.api_version,
            &r.request_hash,
            &r.depends_on,
            r.status,
        );
        hasher.update(serde_json::to_vec(&head).unwrap_or_default());
        hasher.update(b"\n");
        hasher.update(canonical_json(&r.applied_body).as_bytes());
        hasher.update(b"\n");
        hasher.update(serde_json::to_vec(&r.secret_digests).unwrap_or_default());
        hasher.update(b"\n");
    }
    canonical::hex(&hasher.finalize())
}

/// The document as written.
#[derive(Serialize)]
struct StateView<'a> {
    format_version: u32,
    serial: u64,
    lineage: &'a str,
    #[serde(serialize_with = "values_as_seq")]
    resources: &'a BTreeMap<String, ResourceState>,
    #[serde(
        serialize_with = "values_as_seq",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    deposed: &'a BTreeMap<String, ResourceState>,
    outputs: &'a BTreeMap<String, OutputState>,
    journal: &'a [JournalEntry],
}

fn values_as_seq<S: Serializer>(
    map: &&BTreeMap<String, ResourceState>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(map.values())
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StateView {
            format_version: FORMAT_VERSION,
            serial: self.serial,
            lineage: &self.lineage,
            resources: &self.resources,
            deposed: &self.deposed,
            outputs: &self.outputs,
            journal: &self.journal,
        }
        .serialize(s)
    }
}

/// The document as read, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    format_version: u64,
    serial: u64,
    lineage: String,
    resources: Vec<ResourceState>,
    #[serde(default)]
    deposed: Vec<ResourceState>,
    #[serde(default)]
    outputs: BTreeMap<String, OutputState>,
    #[serde(default)]
    journal: Vec<JournalEntry>,
}

impl TryFrom<RawState> for State {
    type Error = String;

    fn try_from(raw: RawState) -> Result<State, String> {
        if raw.format_version != u64::from(FORMAT_VERSION) {
            return Err(format!(
                "format_version {} is not {FORMAT_VERSION}",
                raw.format_version
            ));
        }
        uuid::Uuid::parse_str(&raw.lineage)
            .map_err(|e| format!("lineage `{}` is not a UUID: {e}", raw.lineage))?;
        let mut resources = BTreeMap::new();
        for r in raw.resources {
            if r.address.is_empty() {
                return Err("a resource has an empty address".to_string());
            }
            if let Some(dup) = resources.insert(r.address.clone(), r) {
                return Err(format!("resource `{}` appears twice", dup.address));
            }
        }
        let mut deposed = BTreeMap::new();
        for r in raw.deposed {
            if deposed_base(&r.address).is_none() {
                return Err(format!(
                    "`{}` is not the address of a deposed object",
                    r.address
                ));
            }
            if let Some(dup) = deposed.insert(r.address.clone(), r) {
                return Err(format!("deposed object `{}` appears twice", dup.address));
            }
        }
        let mut journal = raw.journal;
        journal.sort_by_key(|e| e.seq);
        if let Some(dup) = journal.windows(2).find(|w| w[0].seq == w[1].seq) {
            return Err(format!("journal entry {} appears twice", dup[0].seq));
        }
        Ok(State {
            serial: raw.serial,
            lineage: raw.lineage,
            baseline: None,
            resources,
            deposed,
            outputs: raw.outputs,
            journal,
            dirty: false,
            log: None,
        })
    }
}

#[cfg(test)]
mod tests;
