//! Applying a plan: turning resource changes into ARM operations ordered by the dependency
//! graph and running them concurrently.
//!
//! Orderings ARM needs come from the graph: a resource is written after everything it
//! depends on; a resource is deleted after everything that depended on it was deleted or
//! rewritten not to (an endpoint's traffic moves off a deployment before the deployment is
//! deleted); a replacement deletes first unless `create_before_destroy` is set.
//!
//! **Invariant:** before every ARM write a journal entry is saved to the state, and after it
//! the outcome and the applied request are saved, so a crash at any point leaves a state the
//! next run converges from.

pub mod scheduler;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::Value;

use crate::arm::Desired;
use crate::plan::compare::{get_path, redact, set_path};
use crate::plan::{Action, Plan, Prior};
use crate::provider::ArmError;
use crate::provider::client::ArmClient;
use crate::state::{LocalBackend, Operation, Outcome as JournalOutcome, ResourceState, State};

use self::scheduler::{Outcome, run_dag};

/// One ARM operation.
#[derive(Debug, Clone)]
pub enum OpKind {
    /// PUT the whole resource.
    Put(Box<Desired>),
    /// GET the resource, set the properties this entry owns, PUT it back.
    PutPartial(Box<Desired>),
    /// DELETE.
    Delete(Box<Prior>, Vec<(String, String)>),
    /// Reset the properties a removed partial entry owned (traffic to nobody) before what it
    /// referred to is deleted.
    ClearPartial(Box<Prior>),
    /// Drop the state entry of a resource ARM deletes along with its parent (a workspace's
    /// computes), once the parent's DELETE is done. No ARM call.
    Forget(Box<Prior>),
}

#[derive(Debug, Clone)]
pub struct Op {
    pub address: String,
    pub kind: OpKind,
    pub deps: Vec<usize>,
}

impl Op {
    pub fn verb(&self) -> (&'static str, &'static str) {
        match &self.kind {
            OpKind::Put(_) | OpKind::PutPartial(_) => ("Writing", "Write"),
            OpKind::Delete(..) => ("Destroying", "Destruction"),
            OpKind::ClearPartial(_) => ("Clearing", "Clearing"),
            OpKind::Forget(_) => ("Forgetting", "Forgetting"),
        }
    }
}

/// Kinds whose DELETE also deletes the resources inside them (ARM cascades): a workspace
/// its computes, assets, endpoints and the role assignments scoped to it; an endpoint its
/// deployments; a private endpoint its DNS zone group. A private DNS zone does not: ARM
/// refuses to delete one that still has virtual network links.
const CASCADING_KINDS: &[&str] = &[
    "workspace",
    "online_endpoint",
    "batch_endpoint",
    "private_endpoint",
];

/// The operations of a plan, with dependencies.
pub fn operations(plan: &Plan) -> Vec<Op> {
    let mut ops: Vec<Op> = Vec::new();
    let mut put: HashMap<&str, usize> = HashMap::new();
    let mut del: HashMap<&str, usize> = HashMap::new();
    let delete_query = |d: Option<&Desired>, kind: &str| -> Vec<(String, String)> {
        match d {
            Some(d) => d.behavior.delete_query.clone(),
            None if kind == "compute_cluster" || kind == "compute_instance" => {
                vec![("underlyingResourceAction".into(), "Delete".into())]
            }
            None => Vec::new(),
        }
    };
    // IDs deleted by this plan (deletions and replacements): ARM deletes what lives inside
    // them, so their children are not deleted one by one (which could fail, e.g. a
    // deployment still taking traffic) but forgotten once the parent is gone.
    let deleted: Vec<(String, &str)> = plan
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.action,
                Action::Delete | Action::DeleteThenCreate | Action::CreateThenDelete
            )
        })
        .filter_map(|c| {
            let id = c
                .prior
                .as_ref()
                .map(|p| (p.id.clone(), p.partial_of.is_some()))
                .or_else(|| {
                    c.desired
                        .as_ref()
                        .map(|d| (d.id.clone(), d.partial_of.is_some()))
                })?;
            (!id.1 && CASCADING_KINDS.contains(&c.kind.as_str()))
                .then(|| (id.0.to_ascii_lowercase(), c.address.as_str()))
        })
        .collect();
    // Resources this plan deletes or replaces (for partial entries of theirs).
    let going: std::collections::HashSet<&str> = plan
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.action,
                Action::Delete | Action::DeleteThenCreate | Action::CreateThenDelete
            )
        })
        .map(|c| c.address.as_str())
        .collect();
    let ancestor_deleted = |id: &str, address: &str| -> Option<&str> {
        let id = id.to_ascii_lowercase();
        deleted
            .iter()
            .filter(|(other, a)| *a != address && id.starts_with(&format!("{other}/")))
            .max_by_key(|(other, _)| other.len())
            .map(|(_, a)| *a)
    };
    let mut after_ancestor: Vec<(usize, &str)> = Vec::new();
    for c in &plan.changes {
        let prior_for_delete = || -> Option<Prior> {
            c.prior.clone().or_else(|| {
                c.desired.as_ref().map(|d| Prior {
                    address: d.address.clone(),
                    kind: d.kind.clone(),
                    id: d.id.clone(),
                    api_version: d.api_version.clone(),
                    applied_body: Value::Null,
                    depends_on: d.depends_on.clone(),
                    partial_of: d.partial_of.clone(),
                })
            })
        };
        let push = |kind: OpKind, ops: &mut Vec<Op>| -> usize {
            ops.push(Op {
                address: c.address.clone(),
                kind,
                deps: Vec::new(),
            });
            ops.len() - 1
        };
        let put_kind = |d: &Desired| {
            if d.partial_of.is_some() {
                OpKind::PutPartial(Box::new(d.clone()))
            } else {
                OpKind::Put(Box::new(d.clone()))
            }
        };
        match c.action {
            Action::NoOp => {}
            Action::Create | Action::Update => {
                if let Some(d) = &c.desired {
                    let i = push(put_kind(d), &mut ops);
                    put.insert(c.address.as_str(), i);
                }
            }
            Action::Delete => {
                if let Some(p) = &c.prior {
                    let ancestor = ancestor_deleted(&p.id, &c.address);
                    let target_going = p.partial_of.as_deref().is_some_and(|t| going.contains(t));
                    let kind = if (ancestor.is_some() && p.partial_of.is_none()) || target_going {
                        // Gone with its parent, or a part of a resource that is itself going.
                        OpKind::Forget(Box::new(p.clone()))
                    } else if p.partial_of.is_some() {
                        OpKind::ClearPartial(Box::new(p.clone()))
                    } else {
                        OpKind::Delete(Box::new(p.clone()), delete_query(None, &p.kind))
                    };
                    let forget = matches!(kind, OpKind::Forget(_));
                    let i = push(kind, &mut ops);
                    if let (true, Some(a)) = (forget, ancestor) {
                        after_ancestor.push((i, a));
                    } else {
                        del.insert(c.address.as_str(), i);
                    }
                }
            }
            Action::DeleteThenCreate | Action::CreateThenDelete => {
                let (Some(d), Some(p)) = (&c.desired, prior_for_delete()) else {
                    continue;
                };
                let same_id = d.id.eq_ignore_ascii_case(&p.id);
                let delete_first = c.action == Action::DeleteThenCreate || same_id;
                let mut query = delete_query(Some(d), &d.kind);
                if d.behavior.soft_delete && same_id {
                    // Re-creating a soft-deleted workspace's name needs the old one purged.
                    query.push(("forceToPurge".into(), "true".into()));
                }
                if let Some(a) = ancestor_deleted(&p.id, &c.address).filter(|_| delete_first) {
                    // Deleted with its parent; written again after the parent is re-created.
                    let pi = push(put_kind(d), &mut ops);
                    after_ancestor.push((pi, a));
                    put.insert(c.address.as_str(), pi);
                    continue;
                }
                let di = push(OpKind::Delete(Box::new(p), query), &mut ops);
                let pi = push(put_kind(d), &mut ops);
                if delete_first {
                    ops[pi].deps.push(di);
                } else {
                    ops[di].deps.push(pi);
                }
                put.insert(c.address.as_str(), pi);
                del.insert(c.address.as_str(), di);
            }
        }
    }
    // Writes wait for what they depend on.
    let mut extra: Vec<(usize, usize)> = Vec::new();
    for (i, ancestor) in after_ancestor {
        if let Some(&j) = del.get(ancestor) {
            extra.push((i, j));
        }
    }
    for (i, op) in ops.iter().enumerate() {
        if let OpKind::Put(d) | OpKind::PutPartial(d) = &op.kind {
            for dep in &d.depends_on {
                if let Some(&j) = put.get(dep.as_str())
                    && j != i
                {
                    extra.push((i, j));
                }
            }
        }
    }
    // Deletes wait for everything that depended on the deleted resource to be deleted or
    // rewritten.
    for c in &plan.changes {
        let Some(p) = &c.prior else { continue };
        for dep in &p.depends_on {
            let Some(&target_delete) = del.get(dep.as_str()) else {
                continue;
            };
            if let Some(&j) = del.get(c.address.as_str())
                && j != target_delete
            {
                extra.push((target_delete, j));
            }
            if let Some(&j) = put.get(c.address.as_str())
                && j != target_delete
                && !ops[j].deps.contains(&target_delete)
            {
                extra.push((target_delete, j));
            }
        }
    }
    for (i, j) in extra {
        if !ops[i].deps.contains(&j) && !creates_cycle(&ops, i, j) {
            ops[i].deps.push(j);
        }
    }
    ops
}

/// Whether making `from` wait for `to` would close a cycle (`to` already waits for `from`).
fn creates_cycle(ops: &[Op], from: usize, to: usize) -> bool {
    let mut stack = vec![to];
    let mut seen = vec![false; ops.len()];
    while let Some(n) = stack.pop() {
        if n == from {
            return true;
        }
        if std::mem::replace(&mut seen[n], true) {
            continue;
        }
        stack.extend(ops[n].deps.iter().copied());
    }
    false
}

/// Where progress goes.
pub trait Progress: Send + Sync {
    fn started(&self, op: &Op);
    fn finished(&self, op: &Op, elapsed: std::time::Duration, result: &Result<(), ArmError>);
    fn skipped(&self, op: &Op, because: &Op);
}

/// Plain lines on stderr, like Terraform's non-interactive output.
pub struct LineProgress;

impl Progress for LineProgress {
    fn started(&self, op: &Op) {
        eprintln!("{}: {}...", op.address, op.verb().0);
    }

    fn finished(&self, op: &Op, elapsed: std::time::Duration, result: &Result<(), ArmError>) {
        match result {
            Ok(()) => eprintln!(
                "{}: {} complete after {:.1}s",
                op.address,
                op.verb().1,
                elapsed.as_secs_f64()
            ),
            Err(e) => eprintln!(
                "{}: failed after {:.1}s: {e}",
                op.address,
                elapsed.as_secs_f64()
            ),
        }
    }

    fn skipped(&self, op: &Op, because: &Op) {
        eprintln!(
            "{}: not attempted because {} failed",
            op.address, because.address
        );
    }
}

/// A live display on a terminal: one line per operation, waiting, running (with a spinner
/// and elapsed time), done or failed.
pub struct TerminalProgress {
    /// Owns the drawing of all the bars for as long as the apply runs.
    _multi: indicatif::MultiProgress,
    bars: Mutex<HashMap<String, indicatif::ProgressBar>>,
}

impl TerminalProgress {
    pub fn new(ops: &[Op]) -> TerminalProgress {
        let multi = indicatif::MultiProgress::new();
        let waiting = indicatif::ProgressStyle::with_template("  {msg}").expect("valid template");
        let mut bars = HashMap::new();
        for op in ops {
            let bar = multi.add(indicatif::ProgressBar::new_spinner());
            bar.set_style(waiting.clone());
            bar.set_message(format!("· {} waiting", op.address));
            bars.insert(op_key(op), bar);
        }
        TerminalProgress {
            _multi: multi,
            bars: Mutex::new(bars),
        }
    }

    fn bar(&self, op: &Op) -> Option<indicatif::ProgressBar> {
        self.bars
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&op_key(op))
            .cloned()
    }
}

fn op_key(op: &Op) -> String {
    format!("{}|{}", op.address, op.verb().0)
}

impl Progress for TerminalProgress {
    fn started(&self, op: &Op) {
        if let Some(bar) = self.bar(op) {
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("valid template"),
            );
            bar.set_message(format!("{} {}", op.address, op.verb().0.to_lowercase()));
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
        }
    }

    fn finished(&self, op: &Op, elapsed: std::time::Duration, result: &Result<(), ArmError>) {
        if let Some(bar) = self.bar(op) {
            bar.set_style(
                indicatif::ProgressStyle::with_template("  {msg}").expect("valid template"),
            );
            match result {
                Ok(()) => bar.finish_with_message(format!(
                    "✓ {} {} complete after {:.1}s",
                    op.address,
                    op.verb().1.to_lowercase(),
                    elapsed.as_secs_f64()
                )),
                Err(e) => bar.finish_with_message(format!(
                    "✗ {} failed after {:.1}s: {}",
                    op.address,
                    elapsed.as_secs_f64(),
                    e.code
                )),
            }
        }
    }

    fn skipped(&self, op: &Op, because: &Op) {
        if let Some(bar) = self.bar(op) {
            bar.finish_with_message(format!(
                "- {} not attempted ({} failed)",
                op.address, because.address
            ));
        }
    }
}

/// No output (tests, benchmarks).
pub struct QuietProgress;

impl Progress for QuietProgress {
    fn started(&self, _: &Op) {}
    fn finished(&self, _: &Op, _: std::time::Duration, _: &Result<(), ArmError>) {}
    fn skipped(&self, _: &Op, _: &Op) {}
}

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

    fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> Result<T, ArmError> {
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
            code: "StateWriteFailed".into(),
            message: e.to_string(),
        })?;
        *saved = covered;
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The result of one operation, for the report.
#[derive(Debug, Clone)]
pub struct OpResult {
    pub address: String,
    pub outcome: Outcome<ArmError>,
}

/// Attribute values known only after apply, by resource address and attribute name.
pub type Known = std::collections::BTreeMap<
    String,
    std::collections::BTreeMap<String, crate::lang::value::Value>,
>;

/// Evaluates a desired entry again once values it needs are known (a role assignment for a
/// workspace's managed identity needs the identity's principal ID, known after the
/// workspace exists).
pub trait Resolve: Send + Sync {
    fn resolve(&self, address: &str, known: &Known) -> Result<Desired, String>;
}

pub struct Applier {
    pub client: ArmClient,
    pub state: Arc<StateWriter>,
    pub progress: Arc<dyn Progress>,
    pub resolver: Option<Arc<dyn Resolve>>,
}

impl Applier {
    pub async fn apply(&self, ops: Vec<Op>, parallelism: usize) -> Vec<OpResult> {
        let ops = Arc::new(ops);
        let deps: Vec<Vec<usize>> = ops.iter().map(|o| o.deps.clone()).collect();
        let outcomes = run_dag(ops.len(), &deps, parallelism, |i| {
            let ops = ops.clone();
            let client = self.client.clone();
            let state = self.state.clone();
            let progress = self.progress.clone();
            let resolver = self.resolver.clone();
            async move {
                let op = &ops[i];
                progress.started(op);
                let start = Instant::now();
                let result = match resolve_unknowns(op, &client, &state, resolver.as_deref()).await
                {
                    Ok(Some(resolved)) => run_op(&resolved, &client, &state).await,
                    Ok(None) => run_op(op, &client, &state).await,
                    Err(e) => Err(e),
                };
                progress.finished(op, start.elapsed(), &result);
                result
            }
        })
        .await;
        for (i, o) in outcomes.iter().enumerate() {
            if let Outcome::Skipped { because } = o
                && *because != i
            {
                self.progress.skipped(&ops[i], &ops[*because]);
            }
        }
        ops.iter()
            .zip(outcomes)
            .map(|(op, outcome)| OpResult {
                address: op.address.clone(),
                outcome,
            })
            .collect()
    }
}

/// For a write whose body still holds values known only after apply, evaluates it again
/// with what ARM now holds for the resources it depends on.
async fn resolve_unknowns(
    op: &Op,
    client: &ArmClient,
    state: &StateWriter,
    resolver: Option<&dyn Resolve>,
) -> Result<Option<Op>, ArmError> {
    let (OpKind::Put(d) | OpKind::PutPartial(d)) = &op.kind else {
        return Ok(None);
    };
    if !crate::arm::has_unknown(&d.body) && !crate::arm::has_unknown(&Value::String(d.id.clone())) {
        return Ok(None);
    }
    let unknown = |message: String| ArmError {
        status: 0,
        code: "ValueUnknown".into(),
        message,
    };
    let Some(resolver) = resolver else {
        return Err(unknown(format!(
            "{} needs values known only after apply",
            d.address
        )));
    };
    let mut known = Known::new();
    let targets: Vec<(String, String, String)> = state.read(|s| {
        d.depends_on
            .iter()
            .filter_map(|a| {
                s.get(a)
                    .map(|r| (a.clone(), r.id.clone(), r.api_version.clone()))
            })
            .collect()
    });
    for (address, id, api) in targets {
        let Some(actual) = client.get(&id, &api).await? else {
            continue;
        };
        known.insert(address, crate::arm::exported_values(&actual));
    }
    let resolved = resolver.resolve(&d.address, &known).map_err(unknown)?;
    if crate::arm::has_unknown(&resolved.body) {
        return Err(unknown(format!(
            "{} still has values that are unknown after its dependencies were applied",
            d.address
        )));
    }
    let kind = match &op.kind {
        OpKind::PutPartial(_) => OpKind::PutPartial(Box::new(resolved)),
        _ => OpKind::Put(Box::new(resolved)),
    };
    Ok(Some(Op {
        address: op.address.clone(),
        kind,
        deps: op.deps.clone(),
    }))
}

/// Runs one operation with its journal entries.
async fn run_op(op: &Op, client: &ArmClient, state: &StateWriter) -> Result<(), ArmError> {
    match &op.kind {
        OpKind::Put(d) => {
            let hash = crate::state::request_hash(&d.body);
            let seq =
                state.update(|s| s.begin(&d.address, &d.id, Operation::Put, Some(hash.clone())))?;
            let result = put_with_retries(client, d).await;
            finish(state, seq, &result, |s| {
                s.record_applied(ResourceState::from_desired(
                    d,
                    redact(&d.body, &d.sensitive),
                ));
            })?;
            result.map(|_| ())
        }
        OpKind::PutPartial(d) => {
            let hash = crate::state::request_hash(&d.body);
            let seq =
                state.update(|s| s.begin(&d.address, &d.id, Operation::Put, Some(hash.clone())))?;
            let result = async {
                let mut current =
                    client
                        .get(&d.id, &d.api_version)
                        .await?
                        .ok_or_else(|| ArmError {
                            status: 404,
                            code: "ResourceNotFound".into(),
                            message: format!(
                                "{} does not exist, so its properties cannot be set",
                                d.id
                            ),
                        })?;
                for path in owned_paths(&d.body) {
                    if let Some(v) = get_path(&d.body, &path) {
                        set_path(&mut current, &path, v.clone());
                    }
                }
                client
                    .put(&d.id, &d.api_version, strip_read_only(current))
                    .await
            }
            .await;
            finish(state, seq, &result, |s| {
                s.record_applied(ResourceState::from_desired(
                    d,
                    redact(&d.body, &d.sensitive),
                ));
            })?;
            result.map(|_| ())
        }
        OpKind::Delete(p, query) => {
            let seq = state.update(|s| s.begin(&p.address, &p.id, Operation::Delete, None))?;
            let result = client.delete(&p.id, &p.api_version, query).await;
            finish(state, seq, &result, |s| {
                // A replacement's new resource may already be recorded (create first).
                if s.get(&p.address)
                    .is_some_and(|r| r.id.eq_ignore_ascii_case(&p.id))
                {
                    s.remove(&p.address);
                }
            })?;
            result
        }
        OpKind::Forget(p) => state.update(|s| {
            if s.get(&p.address)
                .is_some_and(|r| r.id.eq_ignore_ascii_case(&p.id))
            {
                s.remove(&p.address);
            }
        }),
        OpKind::ClearPartial(p) => {
            let seq = state.update(|s| s.begin(&p.address, &p.id, Operation::Put, None))?;
            let result = async {
                let Some(mut current) = client.get(&p.id, &p.api_version).await? else {
                    return Ok(Value::Null);
                };
                for path in owned_paths(&p.applied_body) {
                    set_path(&mut current, &path, Value::Object(serde_json::Map::new()));
                }
                client
                    .put(&p.id, &p.api_version, strip_read_only(current))
                    .await
            }
            .await;
            finish(state, seq, &result, |s| {
                s.remove(&p.address);
            })?;
            result.map(|_| ())
        }
    }
}

fn finish<T>(
    state: &StateWriter,
    seq: u64,
    result: &Result<T, ArmError>,
    on_ok: impl FnOnce(&mut State),
) -> Result<(), ArmError> {
    state.update(|s| match result {
        Ok(_) => {
            on_ok(s);
            s.complete(seq, JournalOutcome::Done);
        }
        Err(e) => {
            s.complete(seq, JournalOutcome::Failed(e.to_string()));
        }
    })
}

/// PUT, retrying a role assignment whose principal Entra has not replicated yet.
async fn put_with_retries(client: &ArmClient, d: &Desired) -> Result<Value, ArmError> {
    let mut body = d.body.clone();
    if !d.behavior.preserve_paths.is_empty()
        && let Some(current) = client.get(&d.id, &d.api_version).await?
    {
        for path in &d.behavior.preserve_paths {
            if let Some(v) = get_path(&current, path) {
                set_path(&mut body, path, v.clone());
            }
        }
    }
    let mut attempt = 0;
    loop {
        match client.put(&d.id, &d.api_version, body.clone()).await {
            Err(e)
                if d.behavior.retry_principal_not_found
                    && e.code == "PrincipalNotFound"
                    && attempt < 5 =>
            {
                attempt += 1;
                let wait = (2_000.0 * attempt as f64 * client.options().time_scale) as u64;
                tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            }
            other => return other,
        }
    }
}

/// The leaf-owning paths of a partial entry's body: `properties.traffic`, ...
fn owned_paths(body: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(props) = body.get("properties").and_then(Value::as_object) {
        for k in props.keys() {
            out.push(format!("properties.{k}"));
        }
    }
    out
}

/// What a GET returns but a PUT must not send back.
fn strip_read_only(mut body: Value) -> Value {
    if let Some(map) = body.as_object_mut() {
        for k in ["id", "name", "type", "systemData", "etag"] {
            map.remove(k);
        }
        if let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut) {
            for k in ["provisioningState", "scoringUri", "swaggerUri"] {
                props.remove(k);
            }
        }
    }
    body
}
