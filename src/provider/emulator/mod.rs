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
//! - updates are checked against the create-only table (`rules`), asset versions are
//!   immutable, an online endpoint's traffic may only name existing deployments, a
//!   deployment with traffic cannot be deleted, role assignments are unique per
//!   (scope, principal, role), a deleted workspace is soft-deleted and keeps its name;
//! - faults: an explicit queue ([`EmulatorOptions::fail_next`],
//!   [`EmulatorOptions::fail_operations`]) and a seeded random plan ([`FaultPlan`]).
//!
//! [`MockCloud`] wraps an emulator as a [`Transport`](super::Transport), with simulated
//! latency and persistence to a JSON file.

mod cloud;
mod faults;
mod kinds;
mod path;
mod rules;
mod shape;
mod store;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub use cloud::MockCloud;

/// The Microsoft Entra tenant of the mock cloud (every identity it creates lives there).
pub fn tenant_id() -> String {
    shape::tenant_id()
}
pub use faults::FaultPlan;
pub use store::MockCloudError;

use self::faults::{Draw, FaultCounters};
use self::kinds::{Kind, Lro, operation_of, operation_paths};
use self::path::{ArmPath, is_at_or_under};
use self::rules::{asset_version_change, isolation_enabled, update_violation};
use self::shape::{guid, iso_time, materialise, normalise_request, required_outbound_rules};
use self::store::{CloudState, OpAction, OpError, OpStatus, Operation, StoredResource};
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
const KEEP_COMPLETED_OPERATIONS: usize = 1000;

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

type Outcome = Result<ArmResponse, ArmError>;

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

    fn injected_fault(&mut self, req: &ArmRequest) -> Option<ArmResponse> {
        let path_key = req
            .path
            .split('?')
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_ascii_lowercase();
        if let Some(i) = self.options.fail_next.iter().position(|(m, sub, _, _)| {
            *m == req.method && path_key.contains(&sub.to_ascii_lowercase())
        }) {
            let (_, _, status, code) = self.options.fail_next.remove(i);
            return Some(fault_response(
                status,
                &code,
                &format!(
                    "Injected fault: {} {} answered {status}.",
                    req.method.as_str(),
                    req.path
                ),
            ));
        }
        let plan = self.options.faults.clone();
        match self.counters.request(&plan, req.method.as_str(), &path_key) {
            Draw::None => None,
            Draw::Throttle => Some(fault_response(
                429,
                "SubscriptionRequestsThrottled",
                &format!(
                    "Number of '{}' requests for the subscription exceeded. Please try again after '1' seconds.",
                    if req.method == Method::Get {
                        "read"
                    } else {
                        "write"
                    }
                ),
            )),
            Draw::ServerError => Some(fault_response(
                500,
                "InternalServerError",
                "Encountered internal server error. Please try again.",
            )),
        }
    }

    fn route(&mut self, req: &ArmRequest) -> Outcome {
        check_api_version(&req.api_version)?;
        let Some(path) = ArmPath::parse(&req.path) else {
            return Err(err(
                400,
                "InvalidRequestUri",
                &format!("The request URI '{}' is not valid.", req.path),
            ));
        };
        if let Some((op, location_style)) = operation_of(&path) {
            if req.method != Method::Get {
                return Err(method_not_allowed(req));
            }
            return self.poll(&op, location_style);
        }
        match req.method {
            Method::Get if path.is_collection() => self.list(&path),
            Method::Get => self.get(&path),
            Method::Put => self.put(req, &path, false),
            Method::Patch => self.put(req, &path, true),
            Method::Delete => self.delete(req, &path),
            Method::Post => self.post(req, &path),
        }
    }

    // ---- reads -------------------------------------------------------------------------

    fn get(&self, path: &ArmPath) -> Outcome {
        if let Some(body) = self
            .representation(&path.key())
            .or_else(|| self.required_rule(path))
        {
            return Ok(respond(200, Vec::new(), Some(body)));
        }
        Err(not_found(path))
    }

    fn list(&self, path: &ArmPath) -> Outcome {
        if let Some(parent) = path.parent()
            && !self.state.resources.contains_key(&parent.key())
        {
            return Err(not_found(&parent));
        }
        let prefix = format!("{}/", path.key());
        let mut items: Vec<Value> = self
            .under(&prefix)
            .filter(|(k, _)| !k[prefix.len()..].contains('/'))
            .filter_map(|(k, _)| self.representation(k))
            .collect();
        let child_kind = ArmPath::parse(&format!("{}/x", path.path)).map(|p| Kind::of(&p));
        if child_kind == Some(Kind::OutboundRule)
            && let Some(ws) = path.owner()
            && let Some(stored) = self.state.resources.get(&ws.key())
        {
            for (name, rule) in required_outbound_rules(&stored.body) {
                items.push(rule_resource(&stored.id, &name, rule));
            }
        }
        Ok(respond(200, Vec::new(), Some(json!({ "value": items }))))
    }

    /// Stored resources at keys starting with `prefix`.
    fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a StoredResource)> + 'a {
        self.state
            .resources
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
    }

    /// What GET returns for a stored resource: the stored body plus what is computed on
    /// read.
    fn representation(&self, key: &str) -> Option<Value> {
        let stored = self.state.resources.get(key)?;
        let path = ArmPath::parse(&stored.id)?;
        let mut body = stored.body.clone();
        match Kind::of(&path) {
            Kind::Workspace => {
                let prefix = format!("{key}/outboundrules/");
                let mut rules = Map::new();
                let status = rule_status(&stored.body);
                for (k, r) in self.under(&prefix) {
                    if k[prefix.len()..].contains('/') {
                        continue;
                    }
                    let name = r.id.rsplit('/').next().unwrap_or_default().to_string();
                    let mut props = r.body.get("properties").cloned().unwrap_or(json!({}));
                    if let Some(p) = props.as_object_mut() {
                        p.remove("provisioningState");
                        p.insert("status".into(), json!(status));
                    }
                    rules.insert(name, props);
                }
                for (name, rule) in required_outbound_rules(&stored.body) {
                    rules.insert(name, rule);
                }
                if let Some(mn) = body
                    .pointer_mut("/properties/managedNetwork")
                    .and_then(Value::as_object_mut)
                {
                    mn.insert("outboundRules".into(), Value::Object(rules));
                }
            }
            Kind::OutboundRule => {
                let ws = path.parent()?;
                let status = self
                    .state
                    .resources
                    .get(&ws.key())
                    .map_or("Inactive", |w| rule_status(&w.body));
                if let Some(p) = body.get_mut("properties").and_then(Value::as_object_mut) {
                    p.insert("status".into(), json!(status));
                }
            }
            Kind::DnsZone => {
                let prefix = format!("{key}/");
                let (mut records, mut links, mut registering) = (1u64, 0u64, 0u64);
                for (k, r) in self.under(&prefix) {
                    let rest = &k[prefix.len()..];
                    if rest.matches('/').count() != 1 {
                        continue;
                    }
                    if rest.starts_with("virtualnetworklinks/") {
                        links += 1;
                        if r.body
                            .pointer("/properties/registrationEnabled")
                            .and_then(Value::as_bool)
                            == Some(true)
                        {
                            registering += 1;
                        }
                    } else {
                        records += 1;
                    }
                }
                if let Some(p) = body.get_mut("properties").and_then(Value::as_object_mut) {
                    p.insert("numberOfRecordSets".into(), json!(records));
                    p.insert("numberOfVirtualNetworkLinks".into(), json!(links));
                    p.insert(
                        "numberOfVirtualNetworkLinksWithRegistration".into(),
                        json!(registering),
                    );
                }
            }
            _ => {}
        }
        Some(body)
    }

    /// A service-added outbound rule, read through its child-resource ID.
    fn required_rule(&self, path: &ArmPath) -> Option<Value> {
        if Kind::of(path) != Kind::OutboundRule {
            return None;
        }
        let ws = self.state.resources.get(&path.parent()?.key())?;
        required_outbound_rules(&ws.body)
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(path.name()))
            .map(|(n, rule)| rule_resource(&ws.id, &n, rule))
    }

    // ---- writes ------------------------------------------------------------------------

    fn put(&mut self, req: &ArmRequest, path: &ArmPath, is_patch: bool) -> Outcome {
        if path.is_collection() || path.types.is_empty() {
            return Err(method_not_allowed(req));
        }
        let kind = Kind::of(path);
        let key = path.key();
        let Some(request_body) = req.body.clone().filter(Value::is_object) else {
            return Err(err(
                400,
                "InvalidRequestContent",
                "The request content was invalid and could not be deserialized: a JSON object is required.",
            ));
        };
        // A write waits for the operation in flight on the resource (a delete included).
        self.settle(&key);
        if kind == Kind::Workspace
            && self.state.soft_deleted.contains_key(&key)
            && !self.state.resources.contains_key(&key)
        {
            return Err(err(
                409,
                "SoftDeletedWorkspaceExists",
                &format!(
                    "A soft-deleted workspace named '{}' exists in this resource group. Purge it (DELETE with forceToPurge=true) or wait for its retention period to end before reusing the name.",
                    path.name()
                ),
            ));
        }
        let existing = self.state.resources.get(&key).cloned();
        let body = if is_patch {
            let Some(old) = &existing else {
                return Err(not_found(path));
            };
            let mut merged = old.body.clone();
            merge_patch(&mut merged, &request_body);
            merged
        } else {
            request_body
        };
        self.check_parent(path, kind)?;
        validate(kind, path, &body)?;
        let inline_rules = if kind == Kind::Workspace {
            body.pointer("/properties/managedNetwork/outboundRules")
                .filter(|v| v.is_object())
                .cloned()
        } else {
            None
        };
        let normalised = normalise_request(kind, path, body);
        if let Some(old) = &existing {
            let old_norm = normalise_request(kind, path, old.body.clone());
            if let Some(e) = update_violation(kind, &old_norm, &normalised) {
                return Err(e);
            }
            if kind == Kind::AssetVersion
                && let Some(e) = asset_version_change(
                    &path.types[1].to_ascii_lowercase(),
                    &path.names[1],
                    path.name(),
                    &old_norm,
                    &normalised,
                )
            {
                return Err(e);
            }
        }
        self.check_kind_rules(kind, path, existing.as_ref(), &normalised)?;

        let lro = if is_patch {
            kind.patch_lro()
        } else {
            kind.put_lro()
        };
        let creating = existing.is_none();
        let state = match lro {
            Lro::Sync => "Succeeded",
            _ if creating => "Creating",
            _ => "Updating",
        };
        let now = self.state.clock;
        let body = materialise(kind, path, normalised, existing.as_ref(), state, now);
        let stored = StoredResource {
            id: existing
                .as_ref()
                .map_or_else(|| path.path.clone(), |e| e.id.clone()),
            created_ms: existing.as_ref().map_or(now, |e| e.created_ms),
            modified_ms: now,
            body,
            deleted_ms: None,
        };
        let id = stored.id.clone();
        self.state.resources.insert(key.clone(), stored);
        if let Some(rules) = inline_rules {
            self.apply_inline_rules(&key, &id, &rules);
        }
        self.touch();

        match lro {
            Lro::Sync => Ok(respond(
                if creating { 201 } else { 200 },
                Vec::new(),
                self.representation(&key),
            )),
            Lro::AsyncOperation => {
                let op = self.start_operation(path, OpAction::Put, &req.api_version);
                let mut headers = vec![
                    (
                        "azure-asyncoperation".to_string(),
                        self.url(&op.async_path, &op.api_version),
                    ),
                    ("retry-after".to_string(), self.retry_after()),
                ];
                if kind.reports_operation_timeout() {
                    headers.push(("x-ms-async-operation-timeout".into(), "PT1H".into()));
                }
                self.finish_now_if_configured(&op.id);
                Ok(respond(
                    if creating { 201 } else { 200 },
                    headers,
                    self.representation(&key),
                ))
            }
            Lro::Location => {
                let op = self.start_operation(path, OpAction::Put, &req.api_version);
                let headers = vec![
                    (
                        "location".to_string(),
                        self.url(&op.location_path, &op.api_version),
                    ),
                    ("retry-after".to_string(), self.retry_after()),
                ];
                self.finish_now_if_configured(&op.id);
                Ok(respond(202, headers, None))
            }
        }
    }

    fn check_parent(&self, path: &ArmPath, kind: Kind) -> Result<(), ArmError> {
        let Some(mut parent) = path.parent() else {
            return Ok(());
        };
        if kind == Kind::AssetVersion && !self.state.resources.contains_key(&parent.key()) {
            // A version PUT registers its container implicitly: only the workspace matters.
            match parent.parent() {
                Some(ws) => parent = ws,
                None => return Ok(()),
            }
        }
        if kind == Kind::RoleAssignment {
            // An outside scope (a resource group this cloud holds nothing of) is accepted.
            let (Some(sub), Some(rg)) = (parent.subscription(), parent.resource_group()) else {
                return Ok(());
            };
            let rg_prefix =
                format!("/subscriptions/{sub}/resourcegroups/{rg}/").to_ascii_lowercase();
            if self.under(&rg_prefix).next().is_none() {
                return Ok(());
            }
        }
        if self.state.resources.contains_key(&parent.key()) {
            return Ok(());
        }
        Err(err(
            404,
            "ParentResourceNotFound",
            &format!(
                "Can not perform requested operation on nested resource. Parent resource '{}' not found.",
                parent.names.join("/")
            ),
        ))
    }

    /// Rules that depend on other resources.
    fn check_kind_rules(
        &self,
        kind: Kind,
        path: &ArmPath,
        existing: Option<&StoredResource>,
        body: &Value,
    ) -> Result<(), ArmError> {
        let key = path.key();
        match kind {
            Kind::Workspace => {
                let was_enabled = existing.is_some_and(|e| isolation_enabled(&e.body));
                if existing.is_some() && !was_enabled && isolation_enabled(body) {
                    let busy = ["computes", "onlineendpoints"].iter().any(|c| {
                        let prefix = format!("{key}/{c}/");
                        self.under(&prefix).next().is_some()
                    });
                    if busy {
                        return Err(err(
                            400,
                            "UserError",
                            "Managed network isolation cannot be enabled on a workspace that has computes or managed online endpoints; delete them first.",
                        ));
                    }
                }
            }
            Kind::OutboundRule => {
                let reserved = path.name().to_ascii_lowercase().starts_with("__sys")
                    || self.required_rule(path).is_some();
                if reserved {
                    return Err(err(
                        400,
                        "UserError",
                        &format!(
                            "Outbound rule '{}' is a required rule managed by the service and cannot be changed.",
                            path.name()
                        ),
                    ));
                }
            }
            Kind::OnlineEndpoint => self.check_traffic(path, body)?,
            Kind::RoleAssignment => {
                let props = body.get("properties");
                let principal = props
                    .and_then(|p| p.get("principalId"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let role = role_guid(body);
                let prefix = format!(
                    "{}/providers/microsoft.authorization/roleassignments/",
                    path.scope.to_ascii_lowercase()
                );
                for (k, other) in self.under(&prefix) {
                    if *k == key || k[prefix.len()..].contains('/') {
                        continue;
                    }
                    let other_principal = other
                        .body
                        .pointer("/properties/principalId")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    if other_principal.eq_ignore_ascii_case(principal)
                        && role_guid(&other.body) == role
                    {
                        return Err(err(
                            409,
                            "RoleAssignmentExists",
                            &format!(
                                "The role assignment already exists. The ID of the existing role assignment is {}.",
                                other.id.rsplit('/').next().unwrap_or_default()
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn check_traffic(&self, endpoint: &ArmPath, body: &Value) -> Result<(), ArmError> {
        let key = endpoint.key();
        for (field, limit) in [("traffic", 100i64), ("mirrorTraffic", 50)] {
            let Some(map) = body
                .get("properties")
                .and_then(|p| p.get(field))
                .filter(|v| !v.is_null())
            else {
                continue;
            };
            let Some(map) = map.as_object() else {
                return Err(err(
                    400,
                    "UserError",
                    &format!(
                        "properties.{field} must be a map of deployment names to percentages."
                    ),
                ));
            };
            let mut sum = 0i64;
            for (deployment, pct) in map {
                let Some(pct) = pct.as_i64().filter(|p| (0..=100).contains(p)) else {
                    return Err(err(
                        400,
                        "UserError",
                        &format!(
                            "properties.{field}: the value for deployment '{deployment}' must be an integer between 0 and 100."
                        ),
                    ));
                };
                sum += pct;
                let dep_key = format!("{key}/deployments/{}", deployment.to_ascii_lowercase());
                if !self.state.resources.contains_key(&dep_key) {
                    return Err(err(
                        400,
                        "UserError",
                        &format!(
                            "properties.{field} names deployment '{deployment}', which does not exist under endpoint '{}'.",
                            endpoint.name()
                        ),
                    ));
                }
            }
            if field == "traffic" && sum != 0 && sum != 100 {
                return Err(err(
                    400,
                    "UserError",
                    &format!(
                        "The traffic of endpoint '{}' must add up to 100 (or 0); it adds up to {sum}.",
                        endpoint.name()
                    ),
                ));
            }
            if field == "mirrorTraffic" && sum > limit {
                return Err(err(
                    400,
                    "UserError",
                    &format!(
                        "The mirror traffic of endpoint '{}' must not exceed {limit}; it adds up to {sum}.",
                        endpoint.name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A workspace PUT with `managedNetwork.outboundRules`: the map is the whole set of
    /// user-defined rules (service-added `Required` rules are left alone).
    fn apply_inline_rules(&mut self, ws_key: &str, ws_id: &str, rules: &Value) {
        let Some(map) = rules.as_object() else {
            return;
        };
        let now = self.state.clock;
        let mut wanted = Vec::new();
        for (name, rule) in map {
            let required = rule
                .get("category")
                .and_then(Value::as_str)
                .is_some_and(|c| !c.eq_ignore_ascii_case("UserDefined"));
            if required || name.to_ascii_lowercase().starts_with("__sys") {
                continue;
            }
            let Some(path) = ArmPath::parse(&format!("{ws_id}/outboundRules/{name}")) else {
                continue;
            };
            let key = path.key();
            let existing = self.state.resources.get(&key).cloned();
            let normalised =
                normalise_request(Kind::OutboundRule, &path, json!({ "properties": rule }));
            let body = materialise(
                Kind::OutboundRule,
                &path,
                normalised,
                existing.as_ref(),
                "Succeeded",
                now,
            );
            self.state.resources.insert(
                key.clone(),
                StoredResource {
                    id: existing
                        .as_ref()
                        .map_or(path.path.clone(), |e| e.id.clone()),
                    created_ms: existing.as_ref().map_or(now, |e| e.created_ms),
                    modified_ms: now,
                    body,
                    deleted_ms: None,
                },
            );
            wanted.push(key);
        }
        let prefix = format!("{ws_key}/outboundrules/");
        let stale: Vec<String> = self
            .under(&prefix)
            .map(|(k, _)| k.clone())
            .filter(|k| !k[prefix.len()..].contains('/') && !wanted.contains(k))
            .collect();
        for k in stale {
            self.remove_resource(&k, true, None);
        }
    }

    fn delete(&mut self, req: &ArmRequest, path: &ArmPath) -> Outcome {
        if path.is_collection() || path.types.is_empty() {
            return Err(method_not_allowed(req));
        }
        let kind = Kind::of(path);
        let key = path.key();
        let purge = query(req, "forceToPurge").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        self.settle(&key);
        if !self.state.resources.contains_key(&key) {
            if kind == Kind::Workspace && self.state.soft_deleted.contains_key(&key) {
                if !purge {
                    return Ok(respond(204, Vec::new(), None));
                }
                self.state.soft_deleted.remove(&key);
                self.touch();
                let op = self.start_operation(path, OpAction::Noop, &req.api_version);
                let headers = vec![
                    (
                        "location".to_string(),
                        self.url(&op.location_path, &op.api_version),
                    ),
                    ("retry-after".to_string(), self.retry_after()),
                ];
                self.finish_now_if_configured(&op.id);
                return Ok(respond(202, headers, None));
            }
            if self.required_rule(path).is_some() {
                return Err(required_rule_error(path));
            }
            return Ok(respond(204, Vec::new(), None));
        }
        match kind {
            Kind::Compute => {
                let action = query(req, "underlyingResourceAction");
                if !action.is_some_and(|a| {
                    a.eq_ignore_ascii_case("Delete") || a.eq_ignore_ascii_case("Detach")
                }) {
                    return Err(err(
                        400,
                        "BadRequest",
                        "The query parameter 'underlyingResourceAction' is required (Delete or Detach).",
                    ));
                }
            }
            Kind::OnlineDeployment => {
                if let Some(endpoint) = path.parent()
                    && let Some(ep) = self.state.resources.get(&endpoint.key())
                {
                    for field in ["traffic", "mirrorTraffic"] {
                        let pct = ep
                            .body
                            .get("properties")
                            .and_then(|p| p.get(field))
                            .and_then(Value::as_object)
                            .and_then(|m| {
                                m.iter()
                                    .find(|(n, _)| n.eq_ignore_ascii_case(path.name()))
                                    .and_then(|(_, v)| v.as_i64())
                            })
                            .unwrap_or(0);
                        if pct > 0 {
                            return Err(err(
                                400,
                                "UserError",
                                &format!(
                                    "Deployment '{}' still receives {pct}% of endpoint '{}' {field}; move its traffic to other deployments before deleting it.",
                                    path.name(),
                                    endpoint.name()
                                ),
                            ));
                        }
                    }
                }
            }
            Kind::DnsZone => {
                let prefix = format!("{key}/virtualnetworklinks/");
                if self.under(&prefix).next().is_some() {
                    return Err(err(
                        409,
                        "Conflict",
                        &format!(
                            "Cannot delete private DNS zone '{}' while it has virtual network links; delete the links first.",
                            path.name()
                        ),
                    ));
                }
            }
            _ => {}
        }
        if kind.delete_is_lro() {
            if let Some(stored) = self.state.resources.get_mut(&key) {
                set_provisioning_state(&mut stored.body, "Deleting");
            }
            self.touch();
            let op = self.start_operation(path, OpAction::Delete { purge }, &req.api_version);
            let headers = vec![
                (
                    "location".to_string(),
                    self.url(&op.location_path, &op.api_version),
                ),
                ("retry-after".to_string(), self.retry_after()),
            ];
            self.finish_now_if_configured(&op.id);
            return Ok(respond(202, headers, None));
        }
        let body = self.representation(&key);
        self.remove_resource(&key, purge, None);
        self.touch();
        Ok(respond(
            200,
            Vec::new(),
            if kind == Kind::RoleAssignment {
                body
            } else {
                None
            },
        ))
    }

    /// Removes a resource and everything under it (children, extension resources scoped to
    /// it). A workspace is soft-deleted unless `purge`. Operations in flight on removed
    /// descendants fail; `finishing` is the operation doing the removal.
    fn remove_resource(&mut self, key: &str, purge: bool, finishing: Option<&str>) {
        let Some(stored) = self.state.resources.remove(key) else {
            return;
        };
        let prefix = format!("{key}/");
        let descendants: Vec<String> = self.under(&prefix).map(|(k, _)| k.clone()).collect();
        for k in &descendants {
            self.state.resources.remove(k);
        }
        let now = self.state.clock;
        let gone: Vec<String> = self
            .inflight
            .iter()
            .filter(|(k, id)| is_at_or_under(k, key) && Some(id.as_str()) != finishing)
            .map(|(_, id)| id.clone())
            .collect();
        for id in gone {
            if let Some(op) = self.state.operations.get_mut(&id) {
                op.status = OpStatus::Failed;
                op.error = Some(OpError {
                    code: "Canceled".into(),
                    message: "The operation was canceled: the resource was deleted.".into(),
                });
                op.ended_ms = Some(now);
                self.inflight.remove(&op.resource_id.to_ascii_lowercase());
            }
        }
        let Some(path) = ArmPath::parse(&stored.id) else {
            return;
        };
        match Kind::of(&path) {
            Kind::Workspace if !purge => {
                let mut stored = stored;
                stored.deleted_ms = Some(now);
                self.state.soft_deleted.insert(key.to_string(), stored);
            }
            Kind::OnlineDeployment => {
                // Zero-traffic entries naming the deployment go with it.
                if let Some(endpoint) = path.parent()
                    && let Some(ep) = self.state.resources.get_mut(&endpoint.key())
                {
                    for field in ["traffic", "mirrorTraffic"] {
                        if let Some(map) = ep
                            .body
                            .get_mut("properties")
                            .and_then(|p| p.get_mut(field))
                            .and_then(Value::as_object_mut)
                        {
                            map.retain(|n, _| !n.eq_ignore_ascii_case(path.name()));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn post(&mut self, req: &ArmRequest, path: &ArmPath) -> Outcome {
        let Some(owner) = path
            .owner()
            .filter(|o| !o.types.is_empty() && !o.is_collection())
        else {
            return Err(err(
                400,
                "UnsupportedAction",
                &format!("The mock cloud does not implement POST {}.", req.path),
            ));
        };
        let action = path.last_type();
        let okey = owner.key();
        let Some(stored) = self.state.resources.get(&okey) else {
            return Err(not_found(&owner));
        };
        let kind = Kind::of(&owner);
        let long_running = match (kind, action.as_str()) {
            (Kind::Workspace, "provisionmanagednetwork") => {
                if !isolation_enabled(&stored.body) {
                    return Err(err(
                        400,
                        "UserError",
                        "The workspace has no managed network to provision (isolationMode is Disabled).",
                    ));
                }
                true
            }
            (
                Kind::Compute,
                "start" | "stop" | "restart" | "resize" | "updateidleshutdownsetting",
            )
            | (Kind::OnlineEndpoint | Kind::BatchEndpoint, "regeneratekeys") => true,
            (Kind::OnlineEndpoint | Kind::BatchEndpoint, "listkeys") => {
                let seed = format!("{okey}#keys");
                return Ok(respond(
                    200,
                    Vec::new(),
                    Some(json!({
                        "primaryKey": secret(&format!("{seed}#primary")),
                        "secondaryKey": secret(&format!("{seed}#secondary")),
                    })),
                ));
            }
            (Kind::OnlineEndpoint, "token") => {
                let now = self.state.clock;
                return Ok(respond(
                    200,
                    Vec::new(),
                    Some(json!({
                        "accessToken": secret(&format!("{okey}#token#{now}")),
                        "tokenType": "Bearer",
                        "expiryTimeUtc": (now / 1000) + 3600,
                        "refreshAfterTimeUtc": (now / 1000) + 1800,
                    })),
                ));
            }
            _ => false,
        };
        if !long_running {
            return Err(err(
                400,
                "UnsupportedAction",
                &format!(
                    "The mock cloud does not implement action '{}' on {}.",
                    path.types.last().cloned().unwrap_or_default(),
                    kinds::canonical_type(&owner)
                ),
            ));
        }
        let op = self.start_operation(
            &owner,
            OpAction::Action {
                name: action,
                body: req.body.clone(),
            },
            &req.api_version,
        );
        self.touch();
        let headers = vec![
            (
                "location".to_string(),
                self.url(&op.location_path, &op.api_version),
            ),
            ("retry-after".to_string(), self.retry_after()),
        ];
        self.finish_now_if_configured(&op.id);
        Ok(respond(202, headers, None))
    }

    // ---- long-running operations -------------------------------------------------------

    fn start_operation(&mut self, resource: &ArmPath, action: OpAction, api: &str) -> Operation {
        self.state.seq += 1;
        let seq = self.state.seq;
        let key = resource.key();
        let id = guid(&format!("operation#{seq}#{key}"));
        let location = self
            .state
            .resources
            .get(&key)
            .or_else(|| self.state.soft_deleted.get(&key))
            .and_then(|r| r.body.get("location"))
            .and_then(Value::as_str)
            .unwrap_or("global")
            .to_string();
        let (async_path, location_path) = operation_paths(resource, &location, &id);
        let fails_with = if action == OpAction::Noop {
            None
        } else {
            self.decide_failure(&key)
        };
        let op = Operation {
            id: id.clone(),
            seq,
            resource_id: self
                .state
                .resources
                .get(&key)
                .map_or_else(|| resource.path.clone(), |r| r.id.clone()),
            action,
            async_path,
            location_path,
            api_version: api.to_string(),
            status: OpStatus::InProgress,
            polls: 0,
            polls_needed: self.options.polls_until_done,
            fails_with,
            error: None,
            started_ms: self.state.clock,
            ended_ms: None,
        };
        self.state.operations.insert(id.clone(), op.clone());
        self.inflight.insert(key, id);
        self.prune_operations();
        op
    }

    fn decide_failure(&mut self, key: &str) -> Option<OpError> {
        if let Some(i) = self
            .options
            .fail_operations
            .iter()
            .position(|(sub, _)| key.contains(&sub.to_ascii_lowercase()))
        {
            let (_, code) = self.options.fail_operations.remove(i);
            return Some(OpError {
                message: format!("Injected failure: the operation ended with error '{code}'."),
                code,
            });
        }
        let plan = self.options.faults.clone();
        if self.counters.lro_fails(&plan, key) {
            return Some(OpError {
                code: "ResourceOperationFailure".into(),
                message: format!(
                    "The resource operation completed with terminal provisioning state 'Failed' (injected by the fault plan, seed {}).",
                    plan.seed
                ),
            });
        }
        None
    }

    fn finish_now_if_configured(&mut self, op_id: &str) {
        if self.options.polls_until_done == 0 {
            self.complete(op_id);
        }
    }

    /// Completes the operation in flight on `key`, if any (a new write to a resource waits
    /// for the previous one).
    fn settle(&mut self, key: &str) {
        if let Some(id) = self.inflight.get(key).cloned() {
            self.complete(&id);
        }
    }

    fn poll(&mut self, op_id: &str, location_style: bool) -> Outcome {
        let Some(op) = self.state.operations.get_mut(op_id) else {
            return Err(err(
                404,
                "OperationNotFound",
                &format!("The operation '{op_id}' was not found."),
            ));
        };
        let mut done = false;
        if op.status == OpStatus::InProgress {
            op.polls += 1;
            done = op.polls >= op.polls_needed;
        }
        if done {
            self.complete(op_id);
        }
        let op = self.state.operations[op_id].clone();
        if location_style {
            return Ok(match op.status {
                OpStatus::InProgress => respond(
                    202,
                    vec![
                        (
                            "location".to_string(),
                            self.url(&op.location_path, &op.api_version),
                        ),
                        ("retry-after".to_string(), self.retry_after()),
                    ],
                    None,
                ),
                OpStatus::Succeeded => match &op.action {
                    OpAction::Put => {
                        let body = self.representation(&op.resource_id.to_ascii_lowercase());
                        respond(if body.is_some() { 200 } else { 204 }, Vec::new(), body)
                    }
                    OpAction::Action { name, .. } if name == "provisionmanagednetwork" => {
                        let status = self
                            .state
                            .resources
                            .get(&op.resource_id.to_ascii_lowercase())
                            .and_then(|w| w.body.pointer("/properties/managedNetwork/status"))
                            .cloned();
                        respond(200, Vec::new(), status)
                    }
                    _ => respond(204, Vec::new(), None),
                },
                OpStatus::Failed => {
                    let e = op.error.clone().unwrap_or(OpError {
                        code: "OperationFailed".into(),
                        message: "The operation failed.".into(),
                    });
                    error_response(&ArmError {
                        status: 400,
                        code: e.code,
                        message: e.message,
                    })
                }
            });
        }
        let mut body = json!({
            "id": op.async_path,
            "name": op.id,
            "status": op.status.as_str(),
            "startTime": iso_time(op.started_ms),
            "percentComplete": if op.status == OpStatus::InProgress {
                (100 * op.polls / op.polls_needed.max(1)).min(99)
            } else {
                100
            },
        });
        if let Some(end) = op.ended_ms {
            body["endTime"] = json!(iso_time(end));
        }
        if let Some(e) = &op.error {
            body["error"] = json!({"code": e.code, "message": e.message});
        }
        let headers = if op.status == OpStatus::InProgress {
            vec![("retry-after".to_string(), self.retry_after())]
        } else {
            Vec::new()
        };
        Ok(respond(200, headers, Some(body)))
    }

    /// Finishes an operation with the outcome decided when it started, and applies it.
    fn complete(&mut self, op_id: &str) {
        let now = self.state.clock;
        let Some(op) = self.state.operations.get_mut(op_id) else {
            return;
        };
        if op.status != OpStatus::InProgress {
            return;
        }
        let failed = op.fails_with.is_some();
        op.status = if failed {
            OpStatus::Failed
        } else {
            OpStatus::Succeeded
        };
        op.error = op.fails_with.clone();
        op.ended_ms = Some(now);
        let op = op.clone();
        let key = op.resource_id.to_ascii_lowercase();
        if self.inflight.get(&key).map(String::as_str) == Some(op_id) {
            self.inflight.remove(&key);
        }
        self.touch();
        let outcome = if failed { "Failed" } else { "Succeeded" };
        match &op.action {
            OpAction::Put => {
                if let Some(r) = self.state.resources.get_mut(&key) {
                    set_provisioning_state(&mut r.body, outcome);
                }
                if !failed {
                    self.after_create(&key);
                }
            }
            OpAction::Delete { purge } => {
                if failed {
                    if let Some(r) = self.state.resources.get_mut(&key) {
                        set_provisioning_state(&mut r.body, "Failed");
                    }
                } else {
                    self.remove_resource(&key, *purge, Some(op_id));
                }
            }
            OpAction::Action { name, body } => {
                if !failed {
                    self.apply_action(&key, name, body.as_ref());
                }
            }
            OpAction::Noop => {}
        }
    }

    /// What finishing a create does beyond `Succeeded`: a workspace created with
    /// `provisionNetworkNow`, or the first compute of an isolated workspace, provisions the
    /// managed network.
    fn after_create(&mut self, key: &str) {
        let Some(path) = self
            .state
            .resources
            .get(key)
            .and_then(|r| ArmPath::parse(&r.id))
        else {
            return;
        };
        let ws_key = match Kind::of(&path) {
            Kind::Workspace => {
                let now = self.state.resources[key]
                    .body
                    .pointer("/properties/provisionNetworkNow")
                    .and_then(Value::as_bool)
                    == Some(true);
                if !now {
                    return;
                }
                key.to_string()
            }
            Kind::Compute => match path.parent() {
                Some(ws) => ws.key(),
                None => return,
            },
            _ => return,
        };
        if let Some(ws) = self.state.resources.get_mut(&ws_key)
            && isolation_enabled(&ws.body)
            && let Some(status) = ws
                .body
                .pointer_mut("/properties/managedNetwork/status/status")
        {
            *status = json!("Active");
        }
    }

    fn apply_action(&mut self, key: &str, name: &str, body: Option<&Value>) {
        let Some(r) = self.state.resources.get_mut(key) else {
            return;
        };
        let arg = |field: &str| body.and_then(|b| b.get(field)).cloned();
        match name {
            "provisionmanagednetwork" => {
                let spark = arg("includeSpark")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                if let Some(mn) = r
                    .body
                    .pointer_mut("/properties/managedNetwork")
                    .and_then(Value::as_object_mut)
                {
                    mn.insert(
                        "status".into(),
                        json!({"status": "Active", "sparkReady": spark}),
                    );
                }
            }
            "start" | "restart" | "stop" => {
                let state = if name == "stop" { "Stopped" } else { "Running" };
                if let Some(inner) = r
                    .body
                    .pointer_mut("/properties/properties")
                    .and_then(Value::as_object_mut)
                {
                    inner.insert("state".into(), json!(state));
                }
            }
            "resize" | "updateidleshutdownsetting" => {
                let (field, value) = if name == "resize" {
                    ("vmSize", arg("targetVMSize"))
                } else {
                    ("idleTimeBeforeShutdown", arg("idleTimeBeforeShutdown"))
                };
                if let (Some(v), Some(inner)) = (
                    value,
                    r.body
                        .pointer_mut("/properties/properties")
                        .and_then(Value::as_object_mut),
                ) {
                    inner.insert(field.into(), v);
                }
            }
            _ => {}
        }
    }

    fn prune_operations(&mut self) {
        let done: Vec<(u64, String)> = self
            .state
            .operations
            .values()
            .filter(|o| o.status != OpStatus::InProgress)
            .map(|o| (o.seq, o.id.clone()))
            .collect();
        if done.len() <= KEEP_COMPLETED_OPERATIONS + KEEP_COMPLETED_OPERATIONS / 5 {
            return;
        }
        let mut done = done;
        done.sort();
        for (_, id) in done.iter().take(done.len() - KEEP_COMPLETED_OPERATIONS) {
            self.state.operations.remove(id);
        }
    }

    fn url(&self, path: &str, api_version: &str) -> String {
        format!(
            "{}{path}?api-version={api_version}",
            self.options.base_url.trim_end_matches('/')
        )
    }

    fn retry_after(&self) -> String {
        self.options.retry_after_secs.to_string()
    }
}

// ---- helpers ----------------------------------------------------------------------------

fn respond(status: u16, headers: Vec<(String, String)>, body: Option<Value>) -> ArmResponse {
    ArmResponse {
        status,
        headers,
        body,
    }
}

fn err(status: u16, code: &str, message: &str) -> ArmError {
    ArmError {
        status,
        code: code.to_string(),
        message: message.to_string(),
    }
}

/// ARM's error body: `{"error":{"code","message"}}`.
fn error_response(e: &ArmError) -> ArmResponse {
    respond(
        e.status,
        Vec::new(),
        Some(json!({"error": {"code": e.code, "message": e.message}})),
    )
}

fn fault_response(status: u16, code: &str, message: &str) -> ArmResponse {
    let mut r = error_response(&err(status, code, message));
    if status == 429 {
        r.headers.push(("retry-after".into(), "1".into()));
    }
    r
}

fn not_found(path: &ArmPath) -> ArmError {
    let ty = kinds::canonical_type(path);
    let rg = path
        .resource_group()
        .map(|rg| format!(" under resource group '{rg}'"))
        .unwrap_or_default();
    err(
        404,
        "ResourceNotFound",
        &format!(
            "The Resource '{ty}/{}'{rg} was not found.",
            path.names.join("/")
        ),
    )
}

fn method_not_allowed(req: &ArmRequest) -> ArmError {
    err(
        405,
        "MethodNotAllowed",
        &format!(
            "The method '{}' is not allowed on '{}'.",
            req.method.as_str(),
            req.path
        ),
    )
}

fn required_rule_error(path: &ArmPath) -> ArmError {
    err(
        400,
        "UserError",
        &format!(
            "Outbound rule '{}' is a required rule managed by the service and cannot be deleted.",
            path.name()
        ),
    )
}

fn check_api_version(v: &str) -> Result<(), ArmError> {
    if v.trim().is_empty() {
        return Err(err(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    }
    let b = v.as_bytes();
    let date_ok = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    let suffix_ok = matches!(&v[10.min(v.len())..], "" | "-preview" | "-beta" | "-alpha");
    if date_ok && suffix_ok {
        Ok(())
    } else {
        Err(err(
            400,
            "InvalidApiVersionParameter",
            &format!(
                "The api-version '{v}' is invalid. The supported format is YYYY-MM-DD(-preview)."
            ),
        ))
    }
}

fn query<'a>(req: &'a ArmRequest, name: &str) -> Option<&'a str> {
    req.query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn set_provisioning_state(body: &mut Value, state: &str) {
    if let Some(p) = body.get_mut("properties").and_then(Value::as_object_mut)
        && p.contains_key("provisioningState")
    {
        p.insert("provisioningState".into(), json!(state));
    }
}

fn rule_status(workspace: &Value) -> &'static str {
    let active = workspace
        .pointer("/properties/managedNetwork/status/status")
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("Active"));
    if active && isolation_enabled(workspace) {
        "Active"
    } else {
        "Inactive"
    }
}

fn rule_resource(ws_id: &str, name: &str, rule: Value) -> Value {
    json!({
        "id": format!("{ws_id}/outboundRules/{name}"),
        "name": name,
        "type": "Microsoft.MachineLearningServices/workspaces/outboundRules",
        "properties": rule,
    })
}

fn role_guid(body: &Value) -> String {
    body.pointer("/properties/roleDefinitionId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A deterministic secret-looking string.
fn secret(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(seed.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// JSON merge patch (RFC 7396).
fn merge_patch(target: &mut Value, patch: &Value) {
    let Some(patch) = patch.as_object() else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("just made an object");
    for (k, v) in patch {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// Checks ARM makes on the request alone: names, required properties.
fn validate(kind: Kind, path: &ArmPath, body: &Value) -> Result<(), ArmError> {
    let name = path.name();
    let invalid_name = |rule: &str| {
        Err(err(
            400,
            "InvalidResourceName",
            &format!("The resource name '{name}' is invalid: {rule}."),
        ))
    };
    match kind {
        Kind::Workspace | Kind::OutboundRule => {
            let ok = (3..=33).contains(&name.len())
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                return invalid_name(
                    "it must be 3 to 33 letters, digits, '_' or '-', starting with a letter or digit",
                );
            }
        }
        Kind::Compute => {
            let tail_digits = name
                .rsplit_once('-')
                .is_some_and(|(_, t)| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()));
            let ok = (3..=24).contains(&name.len())
                && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !tail_digits;
            if !ok {
                return invalid_name(
                    "it must be 3 to 24 letters, digits or '-', start with a letter and not end in '-' and digits",
                );
            }
        }
        Kind::RoleAssignment if uuid::Uuid::parse_str(name).is_err() => {
            return Err(err(
                400,
                "InvalidRoleAssignmentId",
                &format!(
                    "The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID."
                ),
            ));
        }
        _ => {}
    }
    if kind.requires_location()
        && body
            .get("location")
            .and_then(Value::as_str)
            .is_none_or(|l| l.trim().is_empty())
    {
        return Err(err(
            400,
            "LocationRequired",
            "The location property is required for this definition.",
        ));
    }
    let prop = |p: &str| {
        body.get("properties")
            .and_then(|x| x.get(p))
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    match kind {
        Kind::Workspace => {
            let project = body
                .get("kind")
                .and_then(Value::as_str)
                .is_some_and(|k| k.eq_ignore_ascii_case("Project"));
            if !project {
                for p in ["storageAccount", "keyVault"] {
                    if prop(p).is_none() {
                        return Err(err(
                            400,
                            "ValidationError",
                            &format!(
                                "A workspace requires properties.{p}: the ARM ID of an existing {}.",
                                if p == "keyVault" {
                                    "key vault"
                                } else {
                                    "storage account"
                                }
                            ),
                        ));
                    }
                }
            }
        }
        Kind::OutboundRule => {
            let ok = prop("type").is_some_and(|t| {
                ["FQDN", "PrivateEndpoint", "ServiceTag"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(t))
            });
            if !ok {
                return Err(err(
                    400,
                    "ValidationError",
                    "properties.type must be one of FQDN, PrivateEndpoint, ServiceTag.",
                ));
            }
        }
        Kind::RoleAssignment => {
            for p in ["roleDefinitionId", "principalId"] {
                if prop(p).is_none() {
                    return Err(err(
                        400,
                        "InvalidRequestContent",
                        &format!("properties.{p} is required."),
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}
