//! Refresh: reading every resource the manifest wants and the state knows, concurrently.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::apply::Known;
use crate::arm::Desired;
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;
use crate::plan::Prior;
use crate::plan::planner::{Actual, id_key};
use crate::provider::Provider;
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

/// Reads every resource of `desired` and `priors` (each ID once).
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
    let provider = provider.clone();
    let results = runtime.block_on(async move {
        let semaphore = Arc::new(tokio::sync::Semaphore::new(REFRESH_PARALLELISM));
        let mut set = tokio::task::JoinSet::new();
        for (id, api) in targets {
            let provider = provider.clone();
            let semaphore = semaphore.clone();
            set.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                let result = provider.client().get(&id, &api).await;
                (id, result)
            });
        }
        let mut out = Vec::new();
        while let Some(joined) = set.join_next().await {
            if let Ok(r) = joined {
                out.push(r);
            }
        }
        out
    });
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
