//! Refresh: reading every resource the manifest wants and the state knows, concurrently,
//! by collection where ARM lists one with full items.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::apply::Known;
use crate::arm::Desired;
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;
use crate::plan::Prior;
use crate::plan::planner::{Actual, id_key};
use crate::provider::Provider;
use crate::provider::client::ArmClient;
use crate::state::State;

use super::events::{Event, EventSink};

/// Concurrent reads during a refresh.
const REFRESH_PARALLELISM: usize = 16;

/// The prior resources recorded in the state, deposed objects included (each a prior of its
/// own, which the plan deletes).
pub fn priors(state: &State) -> Vec<Prior> {
    state
        .resources()
        .chain(state.deposed())
        .map(|r| Prior {
            address: r.address.clone(),
            kind: r.kind.clone(),
            id: r.id.clone(),
            api_version: r.api_version.clone(),
            applied_body: r.applied_body.clone(),
            request_hash: r.request_hash.clone(),
            depends_on: r.depends_on.clone(),
            secret_digests: r.secret_digests.clone(),
            salt: state.salt().to_string(),
            adopted: r.adopted,
            sensitive_paths: r.sensitive_paths.clone(),
            // A partial entry's address is its owner's plus one segment (`….traffic`).
            partial_of: crate::schema::by_kind_name(&r.kind)
                .is_some_and(|k| k.behavior().partial)
                .then(|| {
                    let address = crate::state::deposed_base(&r.address).unwrap_or(&r.address);
                    address
                        .rsplit_once('.')
                        .map_or(address, |(owner, _)| owner)
                        .to_string()
                }),
        })
        .collect()
}

/// Reads every resource of `desired` and `priors` (each ID once): by collection where ARM
/// lists a collection with full items and two or more targets are in it (one request instead
/// of one per resource: ARM's read bucket is the limit of a large refresh), else by GET. A
/// collection whose list fails (its parent missing, say) is read by GET, item by item.
pub fn refresh(
    runtime: &tokio::runtime::Runtime,
    provider: &Arc<dyn Provider>,
    events: &dyn EventSink,
    desired: &[Desired],
    priors: &[Prior],
) -> Result<Actual, Diagnostic> {
    let mut targets: Vec<(String, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    for (id, api) in desired
        .iter()
        .map(|d| (&d.id, &d.api_version))
        .chain(priors.iter().map(|p| (&p.id, &p.api_version)))
    {
        if seen.insert(id_key(id)) {
            targets.push((id.clone(), api.clone()));
        }
    }
    let resources = targets.len();
    events.event(&Event::RefreshStarted { resources });
    let mut results = run_reads(runtime, provider, plan_reads(targets));
    // A missing resource whose type keeps deleted ones under their name (a deleted Key
    // Vault): its deleted copy is read too, so the plan shows the create as a recovery.
    let missing: BTreeSet<String> = results
        .iter()
        .filter(|(_, r)| matches!(r, Ok(None)))
        .map(|(id, _)| id_key(id))
        .collect();
    let soft_deleted: Vec<(String, String)> = desired
        .iter()
        .filter(|d| !d.id_unknown && missing.contains(&id_key(&d.id)))
        .filter_map(|d| d.soft_deleted_id().map(|id| (id, d.api_version.clone())))
        .filter(|(id, _)| seen.insert(id_key(id)))
        .collect();
    if !soft_deleted.is_empty() {
        // Only the plan's wording depends on these (the apply looks again before its PUT),
        // so one that cannot be read (no `deletedVaults/read` permission) is not a failure.
        let copies = run_reads(runtime, provider, plan_reads(soft_deleted));
        results.extend(copies.into_iter().filter(|(_, r)| r.is_ok()));
    }
    let mut actual: Actual = HashMap::new();
    let mut failures = Vec::new();
    for (id, result) in results {
        match result {
            Ok(v) => {
                actual.insert(id_key(&id), v);
            }
            Err(e) => failures.push(format!("{id}: {e}")),
        }
    }
    events.event(&Event::RefreshFinished {
        resources,
        failed: failures.len(),
    });
    if !failures.is_empty() {
        failures.sort();
        return Err(diag::refresh_failed(&failures));
    }
    Ok(actual)
}

/// Runs reads concurrently (at most [`REFRESH_PARALLELISM`] at a time).
fn run_reads(
    runtime: &tokio::runtime::Runtime,
    provider: &Arc<dyn Provider>,
    reads: Vec<Read>,
) -> Vec<ReadResult> {
    let provider = provider.clone();
    runtime.block_on(async move {
        let semaphore = Arc::new(tokio::sync::Semaphore::new(REFRESH_PARALLELISM));
        let mut set = tokio::task::JoinSet::new();
        for read in reads {
            let provider = provider.clone();
            let semaphore = semaphore.clone();
            set.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                read.run(provider.client()).await
            });
        }
        let mut out = Vec::new();
        while let Some(joined) = set.join_next().await {
            if let Ok(r) = joined {
                out.extend(r);
            }
        }
        out
    })
}

/// One read of a refresh: a GET of one resource, or a list of a collection standing for the
/// GETs of its members.
enum Read {
    Get {
        id: String,
        api_version: String,
    },
    List {
        collection: String,
        query: Vec<(String, String)>,
        api_version: String,
        members: Vec<String>,
    },
}

type ReadResult = (
    String,
    Result<Option<serde_json::Value>, crate::provider::ArmError>,
);

impl Read {
    async fn run(self, client: &ArmClient) -> Vec<ReadResult> {
        match self {
            Read::Get { id, api_version } => {
                let result = client.get(&id, &api_version).await;
                vec![(id, result)]
            }
            Read::List {
                collection,
                query,
                api_version,
                members,
            } => match client.list_with(&collection, &api_version, &query).await {
                Ok(items) => {
                    let mut by_id: HashMap<String, serde_json::Value> = items
                        .into_iter()
                        .filter_map(|item| {
                            let id = item.get("id")?.as_str()?.to_string();
                            Some((id_key(&id), item))
                        })
                        .collect();
                    members
                        .into_iter()
                        .map(|id| {
                            let found = by_id.remove(&id_key(&id));
                            (id, Ok(found))
                        })
                        .collect()
                }
                Err(_) => {
                    let mut out = Vec::with_capacity(members.len());
                    for id in members {
                        let result = client.get(&id, &api_version).await;
                        out.push((id, result));
                    }
                    out
                }
            },
        }
    }
}

/// Groups the targets into reads: a list per listable collection with two or more targets
/// (of one api-version), a GET for every other target. Deterministic (targets' order).
fn plan_reads(targets: Vec<(String, String)>) -> Vec<Read> {
    struct Group {
        collection: String,
        query: Vec<(String, String)>,
        api_version: String,
        members: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut reads = Vec::new();
    for (id, api_version) in targets {
        match crate::azure::collections::listable_collection(&id) {
            Some((collection, query)) => {
                let key = (id_key(&collection), api_version.clone());
                let i = *index.entry(key).or_insert_with(|| {
                    groups.push(Group {
                        collection,
                        query,
                        api_version: api_version.clone(),
                        members: Vec::new(),
                    });
                    groups.len() - 1
                });
                groups[i].members.push(id);
            }
            None => reads.push(Read::Get { id, api_version }),
        }
    }
    for g in groups {
        if g.members.len() < 2 {
            reads.extend(g.members.into_iter().map(|id| Read::Get {
                id,
                api_version: g.api_version.clone(),
            }));
        } else {
            reads.push(Read::List {
                collection: g.collection,
                query: g.query,
                api_version: g.api_version,
                members: g.members,
            });
        }
    }
    reads
}

/// The exported attributes (principal IDs, scoring URIs, ...) of every resource the state
/// knows that exists, by address.
pub fn known_values(priors: &[Prior], actual: &Actual) -> Known {
    let mut known = Known::new();
    for p in priors {
        let Some(Some(current)) = actual.get(&id_key(&p.id)) else {
            continue;
        };
        known.insert(p.address.clone(), crate::arm::exported_values(current));
    }
    known.retain(|_, attrs| !attrs.is_empty());
    known
}
