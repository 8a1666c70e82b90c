//! Running the operations of a plan against the provider, concurrently along the
//! dependency graph, with the state journal written around every ARM write.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use super::operations::{Op, OpKind};
use super::scheduler::{Outcome, run_dag};
use super::state_writer::StateWriter;
use crate::arm::Desired;
use crate::engine::events::{Event, EventSink};
use crate::plan::compare::{get_path, redact, set_path};
use crate::provider::client::ArmClient;
use crate::provider::{ArmError, Provider};
use crate::state::{Operation, Outcome as JournalOutcome, ResourceState, State};

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

    /// How many times resolving evaluated the whole manifest again (its cost: it should
    /// grow with the resources whose values became known, not with the operations).
    fn evaluations(&self) -> usize {
        0
    }
}

pub struct Applier {
    pub provider: Arc<dyn Provider>,
    pub state: Arc<StateWriter>,
    pub events: Arc<dyn EventSink>,
    pub resolver: Option<Arc<dyn Resolve>>,
}

impl Applier {
    pub async fn apply(&self, ops: Vec<Op>, parallelism: usize) -> Vec<OpResult> {
        let ops = Arc::new(ops);
        self.events.event(&Event::ApplyStarted { ops: &ops });
        let deps: Vec<Vec<usize>> = ops.iter().map(|o| o.deps.clone()).collect();
        let outcomes = run_dag(ops.len(), &deps, parallelism, |i| {
            let ops = ops.clone();
            let provider = self.provider.clone();
            let state = self.state.clone();
            let events = self.events.clone();
            let resolver = self.resolver.clone();
            async move {
                let op = &ops[i];
                let client = provider.client();
                events.event(&Event::OpStarted { op });
                let start = Instant::now();
                let result = match resolve_unknowns(op, client, &state, resolver.as_deref()).await {
                    Ok(Some(resolved)) => run_op(&resolved, client, &state).await,
                    Ok(None) => run_op(op, client, &state).await,
                    Err(e) => Err(e),
                };
                let elapsed = start.elapsed();
                match &result {
                    Ok(()) => events.event(&Event::OpFinished { op, elapsed }),
                    Err(error) => events.event(&Event::OpFailed { op, elapsed, error }),
                }
                result
            }
        })
        .await;
        // The results not yet covered by a later intent's fsync. A failure here loses only
        // results (their intents are durable): the caller's snapshot saves them again.
        let _ = self.state.flush();
        for (i, o) in outcomes.iter().enumerate() {
            if let Outcome::Skipped { because } = o
                && *because != i
            {
                self.events.event(&Event::OpSkipped {
                    op: &ops[i],
                    because: &ops[*because],
                });
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

/// The error code of an operation whose values known only after apply could not be
/// resolved (amlplan's failure, not ARM's: it gets its own diagnostic code).
pub const VALUE_UNKNOWN: &str = "ValueUnknown";

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
    if !d.has_unknown() {
        return Ok(None);
    }
    let unknown = |message: String| ArmError {
        status: 0,
        code: VALUE_UNKNOWN.into(),
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
    if resolved.has_unknown() {
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
            let hash = state.read(|s| crate::state::salted_request_hash(d, s.salt()));
            let seq =
                state.update(|s| s.begin(&d.address, &d.id, Operation::Put, Some(hash.clone())))?;
            let result = async {
                let mut body = d.body.clone();
                if let Some(upload) = &d.upload {
                    // The files go up first; the version then names where they are.
                    let uri = crate::provider::upload::upload(client, d, upload).await?;
                    set_path(&mut body, upload.uri_path, Value::String(uri));
                }
                match run_update_actions(client, d).await? {
                    true => match put_with_retries(client, d, body).await {
                        Ok(_) => Ok(None),
                        Err(e) => adopt_existing(client, d, e).await.map(Some),
                    },
                    false => Ok(None),
                }
            }
            .await;
            finish(state, seq, &result, |s| {
                // Adopted: recorded at the existing resource's ID.
                let adopted = result.as_ref().ok().cloned().flatten();
                let mut d = d.as_ref().clone();
                if let Some(id) = &adopted {
                    d.id = id.clone();
                }
                // A replacement at another ID (created first): the old object stays recorded,
                // deposed, until its DELETE is confirmed.
                if s.get(&d.address)
                    .is_some_and(|r| !r.id.eq_ignore_ascii_case(&d.id))
                {
                    s.depose(&d.address);
                }
                let salt = s.salt().to_string();
                let mut record =
                    ResourceState::from_desired(&d, redact(&d.body, &d.sensitive), &salt);
                record.adopted = adopted.is_some();
                s.record_applied(record);
            });
            result.map(|_| ())
        }
        OpKind::PutPartial(d) => {
            let hash = state.read(|s| crate::state::salted_request_hash(d, s.salt()));
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
                client.put_entry(d, strip_read_only(current)).await
            }
            .await;
            finish(state, seq, &result, |s| {
                let salt = s.salt().to_string();
                s.record_applied(ResourceState::from_desired(
                    d,
                    redact(&d.body, &d.sensitive),
                    &salt,
                ));
            });
            result.map(|_| ())
        }
        OpKind::Delete(p, query) => {
            let seq = state.update(|s| s.begin(&p.address, &p.id, Operation::Delete, None))?;
            let result = client.delete(&p.id, &p.api_version, query).await;
            finish(state, seq, &result, |s| {
                // A replacement's new resource may already be recorded (create first), the
                // old one deposed.
                s.remove_object(&p.address, &p.id);
            });
            result
        }
        OpKind::Forget(p) => state.update(|s| {
            s.remove_object(&p.address, &p.id);
        }),
        OpKind::Archive(p) => {
            let seq = state.update(|s| s.begin(&p.address, &p.id, Operation::Put, None))?;
            let result = async {
                // Already gone: nothing to keep.
                let Some(mut current) = client.get(&p.id, &p.api_version).await? else {
                    return Ok(Value::Null);
                };
                set_path(&mut current, "properties.isArchived", Value::Bool(true));
                client
                    .put(&p.id, &p.api_version, strip_read_only(current))
                    .await
            }
            .await;
            finish(state, seq, &result, |s| {
                // Archived: no longer managed.
                s.remove_object(&p.address, &p.id);
            });
            result.map(|_| ())
        }
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
            });
            result.map(|_| ())
        }
    }
}

/// Records an operation's result. Not waited for: a dependent's intent comes after it in
/// the journal, so the fsync that makes that intent durable makes this result durable too
/// (and the end of the apply flushes the rest); a result lost to a crash leaves its intent
/// pending, which the next run reconciles with what ARM holds.
fn finish<T>(
    state: &StateWriter,
    seq: u64,
    result: &Result<T, ArmError>,
    on_ok: impl FnOnce(&mut State),
) {
    state.record(|s| match result {
        Ok(_) => {
            on_ok(s);
            s.complete(seq, JournalOutcome::Done);
        }
        Err(e) => {
            s.complete(seq, JournalOutcome::Failed(e.to_string()));
        }
    })
}

/// A create of a name whose soft-deleted resource ARM keeps (a deleted, purge-protected
/// Key Vault: the name is taken until its retention ends) recovers it instead: the body
/// carries the type's recover property (`createMode: recover`).
async fn recover_soft_deleted(
    client: &ArmClient,
    d: &Desired,
    body: &mut Value,
) -> Result<(), ArmError> {
    let Some(soft) = crate::schema::by_kind_name(&d.kind).and_then(|e| e.semantics().soft_deleted)
    else {
        return Ok(());
    };
    let Some(deleted) = d.soft_deleted_id() else {
        return Ok(());
    };
    if client.get(&d.id, &d.api_version).await?.is_some()
        || client.get(&deleted, &d.api_version).await?.is_none()
    {
        return Ok(());
    }
    set_path(
        body,
        soft.recover.0,
        Value::String(soft.recover.1.to_string()),
    );
    Ok(())
}

/// Runs the actions through which ARM changes what a PUT may not (a compute instance's
/// `resize`, `updateIdleShutdownSetting`), for each such property of an existing resource
/// whose value differs from ARM's. Whether a PUT is still needed: something else differs.
async fn run_update_actions(client: &ArmClient, d: &Desired) -> Result<bool, ArmError> {
    let actions = crate::schema::by_kind_name(&d.kind)
        .map(|e| crate::schema::semantics::update_actions(e.arm_type(), &d.body))
        .unwrap_or_default();
    if actions.is_empty() {
        return Ok(true);
    }
    let Some(current) = client.get(&d.id, &d.api_version).await? else {
        return Ok(true);
    };
    let mut ran = false;
    for a in actions {
        let Some(want) = get_path(&d.body, a.path) else {
            continue;
        };
        let have = get_path(&current, a.path).unwrap_or(&Value::Null);
        if crate::plan::compare::leaf_equal(want, have, a.path, &d.behavior) {
            continue;
        }
        client
            .post(
                &format!("{}/{}", d.id, a.action),
                &d.api_version,
                Some(a.request_body(want)),
            )
            .await?;
        ran = true;
    }
    if !ran {
        return Ok(true);
    }
    let Some(now) = client.get(&d.id, &d.api_version).await? else {
        return Ok(true);
    };
    let ignore: Vec<String> = d
        .lifecycle
        .ignore_paths
        .iter()
        .chain(&d.behavior.server_paths)
        .cloned()
        .collect();
    Ok(!crate::plan::compare::diff(d, &now, &ignore).is_empty())
}

/// PUT, retrying a role assignment whose principal Entra has not replicated yet (the one
/// retry ARM semantics need beyond the client's transient ones, with the same policy type).
async fn put_with_retries(
    client: &ArmClient,
    d: &Desired,
    mut body: Value,
) -> Result<Value, ArmError> {
    if !d.behavior.preserve_paths.is_empty()
        && let Some(current) = client.get(&d.id, &d.api_version).await?
    {
        for path in &d.behavior.preserve_paths {
            if let Some(v) = get_path(&current, path) {
                set_path(&mut body, path, v.clone());
            }
        }
    }
    recover_soft_deleted(client, d, &mut body).await?;
    let policy = client.options().principal_replication();
    let mut retry = 0;
    loop {
        match client.put_entry(d, body.clone()).await {
            Err(e)
                if d.behavior.retry_principal_not_found
                    && e.code == "PrincipalNotFound"
                    && policy.allows(retry) =>
            {
                policy.sleep(policy.wait_ms(retry)).await;
                retry += 1;
            }
            other => return other,
        }
    }
}

/// A create ARM refused because the resource exists under another name (a role assignment
/// made outside amlplan): when the kind adopts such resources and the existing one is what
/// the entry asks for, its ID (the entry is recorded there); otherwise the error.
async fn adopt_existing(client: &ArmClient, d: &Desired, e: ArmError) -> Result<String, ArmError> {
    let Some(adoption) = crate::schema::by_kind_name(&d.kind).and_then(|k| k.behavior().adoption)
    else {
        return Err(e);
    };
    let Some(id) = (adoption.existing_id)(d, &e) else {
        return Err(e);
    };
    let Some(existing) = client.get(&id, &d.api_version).await? else {
        return Err(e);
    };
    match (adoption.matches)(d, &existing) {
        Ok(()) => Ok(id),
        Err(why) => Err(ArmError {
            message: format!("{} It cannot be adopted: {why}.", e.message),
            ..e
        }),
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
