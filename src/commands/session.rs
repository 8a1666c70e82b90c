//! What plan, apply and destroy share after compiling: the provider, the locked state, the
//! refresh, the plan, and the plan-file binding.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::arm::Desired;
use crate::cli::ProviderArgs;
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::planner::{self, Actual, PlanOptions, id_key};
use crate::plan::{Plan, Prior};
use crate::provider::Transport;
use crate::provider::client::{ArmClient, ClientOptions};
use crate::provider::emulator::{EmulatorOptions, MockCloud};
use crate::state::{LocalBackend, LockInfo, State, StateError, StateLock};

/// Concurrent reads during a refresh.
const REFRESH_PARALLELISM: usize = 16;

pub struct Session {
    pub runtime: tokio::runtime::Runtime,
    pub client: ArmClient,
    pub cloud: MockCloud,
    pub backend: Arc<LocalBackend>,
    pub state: State,
    /// Held until the session ends.
    pub lock: Option<StateLock>,
    /// The outputs text apply prints at the end.
    pub shown_outputs: Option<String>,
}

fn error(code: Code, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(code, message)
}

pub fn state_error(e: &StateError) -> Diagnostic {
    let code = match e {
        StateError::Locked { .. } | StateError::LockInUse { .. } => Code::E0905,
        _ => Code::E0904,
    };
    error(code, e.to_string())
}

/// The mock provider's knobs: defaults, overridden by `AMLPLAN_MOCK_OPTIONS` (JSON of
/// [`EmulatorOptions`]) so tests can add latency and faults to the real binary.
fn mock_options() -> Result<EmulatorOptions, Diagnostic> {
    match std::env::var("AMLPLAN_MOCK_OPTIONS") {
        Ok(text) if !text.trim().is_empty() => serde_json::from_str(&text).map_err(|e| {
            error(
                Code::E0908,
                format!("AMLPLAN_MOCK_OPTIONS is not valid emulator options: {e}"),
            )
        }),
        _ => Ok(EmulatorOptions::default()),
    }
}

/// Opens the mock cloud and the state for the manifest in `dir`; with `command`, also takes
/// the state lock (named after the command, for whoever finds it held).
pub fn open(
    dir: &Path,
    provider: &ProviderArgs,
    backend_path: Option<&str>,
    command: Option<&str>,
) -> Result<Session, Diagnostic> {
    let paths = super::pipeline::paths(dir, provider, backend_path);
    let cloud = MockCloud::open(&paths.mock_cloud, mock_options()?)
        .map_err(|e| error(Code::E0908, format!("{e}")))?;
    {
        // Time passed since the last run: operations a killed run left in flight have
        // finished by now, as they would have in ARM.
        let mut emulator = cloud.lock();
        let now = emulator.clock();
        emulator.settle_all(now);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| error(Code::E0906, format!("cannot start the async runtime: {e}")))?;
    // The emulator's waits are logical: no need to really sleep between polls.
    let options = ClientOptions {
        time_scale: 0.0,
        ..ClientOptions::default()
    };
    let transport: Arc<dyn Transport> = Arc::new(cloud.clone());
    let client = ArmClient::new(transport, options);
    let backend = Arc::new(LocalBackend::new(paths.state));
    let lock = match command {
        Some(c) => Some(
            backend
                .lock(LockInfo::new(c))
                .map_err(|e| state_error(&e))?,
        ),
        None => None,
    };
    let state = backend.load_or_new().map_err(|e| state_error(&e))?;
    Ok(Session {
        runtime,
        client,
        cloud,
        backend,
        state,
        lock,
        shown_outputs: None,
    })
}

/// The prior resources recorded in the state.
pub fn priors(state: &State) -> Vec<Prior> {
    state
        .resources()
        .map(|r| Prior {
            address: r.address.clone(),
            kind: r.kind.clone(),
            id: r.id.clone(),
            api_version: r.api_version.clone(),
            applied_body: r.applied_body.clone(),
            depends_on: r.depends_on.clone(),
            partial_of: (r.kind == "endpoint_traffic")
                .then(|| r.address.trim_end_matches(".traffic").to_string()),
        })
        .collect()
}

impl Session {
    /// Reads every resource the manifest wants and the state knows, concurrently.
    pub fn refresh(&self, desired: &[Desired], priors: &[Prior]) -> Result<Actual, Diagnostic> {
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
        let client = self.client.clone();
        let results = self.runtime.block_on(async move {
            let semaphore = Arc::new(tokio::sync::Semaphore::new(REFRESH_PARALLELISM));
            let mut set = tokio::task::JoinSet::new();
            for (id, api) in targets {
                let client = client.clone();
                let semaphore = semaphore.clone();
                set.spawn(async move {
                    let _permit = semaphore.acquire_owned().await;
                    let result = client.get(&id, &api).await;
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
        if !failures.is_empty() {
            failures.sort();
            return Err(error(
                Code::E0906,
                format!(
                    "reading the current resources failed:\n  {}",
                    failures.join("\n  ")
                ),
            ));
        }
        Ok(actual)
    }

    pub fn plan(&self, desired: &[Desired], options: PlanOptions) -> Result<Plan, Diagnostic> {
        let priors = priors(&self.state);
        let actual = self.refresh(desired, &priors)?;
        Ok(planner::plan(desired, &priors, &actual, options))
    }

    /// Plans the manifest; where a desired resource needs values known only after apply
    /// (a managed identity's principal ID) and the resources holding them already exist, the
    /// manifest is evaluated again with those values first, so an applied manifest plans no
    /// changes.
    pub fn plan_manifest(
        &self,
        lowered: &mut super::pipeline::Lowered,
        options: PlanOptions,
    ) -> Result<Plan, Diagnostic> {
        let priors = priors(&self.state);
        let mut actual = self.refresh(&lowered.desired, &priors)?;
        if lowered.desired.iter().any(|d| {
            crate::arm::has_unknown(&d.body)
                || crate::arm::has_unknown(&Value::String(d.id.clone()))
        }) {
            let known = known_values(&priors, &actual);
            if !known.is_empty() {
                let mut inputs = lowered.inputs.clone();
                inputs.known = known;
                let mut compilation = crate::compile::compile(&lowered.dir, &inputs);
                if !compilation.has_errors() {
                    super::pipeline::provider_defaults(&mut compilation.manifest);
                    if let Ok(desired) =
                        crate::arm::lower::lower(&compilation.manifest, &compilation.sources)
                    {
                        lowered.desired = desired;
                        lowered.inputs = inputs;
                        actual = self.refresh(&lowered.desired, &priors)?;
                    }
                }
            }
        }
        Ok(planner::plan(&lowered.desired, &priors, &actual, options))
    }
}

/// The exported attributes (principal IDs, scoring URIs, ...) of every resource the state
/// knows that exists, by address.
pub fn known_values(priors: &[Prior], actual: &Actual) -> crate::apply::Known {
    let mut known = crate::apply::Known::new();
    for p in priors {
        let Some(Some(current)) = actual.get(&id_key(&p.id)) else {
            continue;
        };
        known.insert(p.address.clone(), crate::arm::exported_values(current));
    }
    known.retain(|_, attrs| !attrs.is_empty());
    known
}

/// A hash of everything the plan was computed from on the manifest side: every desired
/// resource's address, ID, api-version and exact body (sensitive values included, so a
/// changed secret is a changed manifest; only the hash is stored).
pub fn desired_hash(desired: &[Desired]) -> String {
    let doc: Vec<Value> = desired
        .iter()
        .map(|d| json!([d.address, d.id, d.api_version, d.body, d.depends_on]))
        .collect();
    crate::state::request_hash(&Value::Array(doc))
}

/// What a plan file holds: the plan as JSON (redacted, like `--format json`) and what it is
/// bound to. It never holds a secret.
pub fn plan_file(
    plan_json: Value,
    desired: &[Desired],
    state: &State,
    manifest_dir: &Path,
    manifest: &crate::model::Manifest,
) -> Value {
    let dir = manifest_dir
        .canonicalize()
        .unwrap_or_else(|_| manifest_dir.to_path_buf());
    // The root variables given from outside (environment, var files, `--var`), so
    // `apply FILE` evaluates the manifest as the plan did; defaults are not stored (a changed
    // default is a changed manifest), and sensitive values never are (they must be given
    // again to apply).
    let vars: Vec<Value> = manifest
        .variables
        .iter()
        .filter(|v| {
            v.module_path.is_empty() && v.provided && !v.sensitive && v.value.is_wholly_known()
        })
        .map(|v| {
            let text = match &v.value {
                crate::lang::value::Value::String(s) => s.clone(),
                other => other.to_json().to_string(),
            };
            json!([v.name, text])
        })
        .collect();
    json!({
        "kind": "amlplan-plan",
        "variables": vars,
        "manifest_dir": dir.to_string_lossy(),
        "format_version": crate::plan::FORMAT_VERSION,
        "desired_hash": desired_hash(desired),
        "state_serial": state.serial(),
        "state_lineage": state.lineage(),
        "plan": plan_json,
    })
}

/// The `(address, actions)` pairs of a JSON plan, for comparing a saved plan with a fresh one.
pub fn actions_of(plan_json: &Value) -> Vec<(String, Value)> {
    plan_json["resource_changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| c["actions"] != json!(["no-op"]))
                .map(|c| {
                    (
                        c["address"].as_str().unwrap_or_default().to_string(),
                        c["actions"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
