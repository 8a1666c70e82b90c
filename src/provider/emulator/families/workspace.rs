//! Workspaces and their outbound rules: the managed network (isolation is one-way, needs no
//! computes to be turned on, is provisioned by the first compute or on request), the
//! `Required` rules the service adds by itself, inline rules in a workspace PUT, encryption
//! (only the key may rotate), soft delete.

use serde_json::{Map, Value, json};

use super::super::path::ArmPath;
use super::super::response::err;
use super::super::rules::loosely_equal;
use super::super::shape::{
    Materialise, guid, materialise, normalise_request, props_mut, set_default, tenant_id,
};
use super::super::store::StoredResource;
use super::super::types::canonical_type;
use super::super::{Emulator, Outcome};
use crate::provider::ArmError;

/// ARM's workspace and outbound-rule name rule.
pub(super) fn validate_name(name: &str) -> Result<(), ArmError> {
    let ok = (3..=33).contains(&name.len())
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(super::invalid_name(
            name,
            "it must be 3 to 33 letters, digits, '_' or '-', starting with a letter or digit",
        ))
    }
}

/// A workspace needs its storage account and key vault (a `Project` workspace shares its
/// hub's).
pub(super) fn validate_workspace(body: &Value) -> Result<(), ArmError> {
    let project = body
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k.eq_ignore_ascii_case("Project"));
    if project {
        return Ok(());
    }
    for p in ["storageAccount", "keyVault"] {
        if super::prop(body, p).is_none() {
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
    Ok(())
}

pub(super) fn validate_rule(body: &Value) -> Result<(), ArmError> {
    let ok = super::prop(body, "type").is_some_and(|t| {
        ["FQDN", "PrivateEndpoint", "ServiceTag"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(t))
    });
    if ok {
        Ok(())
    } else {
        Err(err(
            400,
            "ValidationError",
            "properties.type must be one of FQDN, PrivateEndpoint, ServiceTag.",
        ))
    }
}

pub(super) fn normalise_workspace(body: &mut Value) {
    if let Some(obj) = body.as_object_mut() {
        set_default(obj, "kind", json!("Default"));
        set_default(obj, "sku", json!({"name": "Basic", "tier": "Basic"}));
    }
    let p = props_mut(body);
    set_default(p, "hbiWorkspace", json!(false));
    set_default(p, "publicNetworkAccess", json!("Enabled"));
    set_default(p, "v1LegacyMode", json!(false));
    let mn = p
        .entry("managedNetwork")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(mn) = mn.as_object_mut() {
        // Rules live as child resources (see `apply_inline_rules`).
        mn.remove("outboundRules");
        set_default(mn, "isolationMode", json!("Disabled"));
    }
}

pub(super) fn normalise_rule(body: &mut Value) {
    props_mut(body).insert("category".into(), json!("UserDefined"));
}

pub(super) fn materialise_workspace(m: &Materialise<'_>, body: &mut Value) {
    let key = m.path.key();
    let status = m
        .old
        .and_then(|o| o.pointer("/properties/managedNetwork/status"))
        .cloned()
        .unwrap_or_else(|| json!({"status": "Inactive", "sparkReady": false}));
    let enabled = isolation_enabled(body);
    let location = &m.location;
    let p = props_mut(body);
    p.insert(
        "workspaceId".into(),
        json!(guid(&format!("{key}#workspace"))),
    );
    p.insert(
        "discoveryUrl".into(),
        json!(format!("https://{location}.api.azureml.ms/discovery")),
    );
    p.insert(
        "mlFlowTrackingUri".into(),
        json!(format!(
            "azureml://{location}.api.azureml.ms/mlflow/v1.0{}",
            m.id
        )),
    );
    p.insert("tenantId".into(), json!(tenant_id()));
    p.insert("storageHnsEnabled".into(), json!(false));
    p.insert("privateLinkCount".into(), json!(0));
    if let Some(mn) = p.get_mut("managedNetwork").and_then(Value::as_object_mut) {
        let status = if enabled {
            status
        } else {
            json!({"status": "Inactive", "sparkReady": false})
        };
        mn.insert("status".into(), status);
        if enabled {
            mn.insert("networkId".into(), json!(guid(&format!("{key}#network"))));
        }
    }
}

/// Workspace changes that are not plain create-only properties: customer-managed-key
/// encryption (only the key may rotate), the managed network's isolation mode (no way back
/// to `Disabled`) and kind (no way back from `V2` to `V1`).
pub(super) fn transition(old: &Value, new: &Value) -> Option<ArmError> {
    let strip_key = |v: &Value| {
        let mut e = v
            .pointer("/properties/encryption")
            .cloned()
            .unwrap_or(Value::Null);
        if let Some(kv) = e
            .get_mut("keyVaultProperties")
            .and_then(Value::as_object_mut)
        {
            kv.remove("keyIdentifier");
        }
        e
    };
    if !loosely_equal(&strip_key(old), &strip_key(new)) {
        return Some(err(
            400,
            "PropertyChangeNotAllowed",
            "Changing property 'properties.encryption' is not allowed; only keyVaultProperties.keyIdentifier can be rotated.",
        ));
    }
    if isolation_enabled(old) && !isolation_enabled(new) {
        return Some(err(
            400,
            "UserError",
            "Managed network isolation cannot be disabled once it has been enabled (properties.managedNetwork.isolationMode).",
        ));
    }
    let kind_of = |v: &Value| {
        v.pointer("/properties/managedNetwork/managedNetworkKind")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    if kind_of(old).as_deref() == Some("v2") && kind_of(new).as_deref() == Some("v1") {
        return Some(err(
            400,
            "UserError",
            "properties.managedNetwork.managedNetworkKind cannot be switched back from V2 to V1.",
        ));
    }
    None
}

/// Whether the workspace body has managed-network isolation on.
pub(crate) fn isolation_enabled(body: &Value) -> bool {
    isolation_mode(body).is_some_and(|m| !m.eq_ignore_ascii_case("Disabled"))
}

pub(crate) fn isolation_mode(body: &Value) -> Option<&str> {
    body.pointer("/properties/managedNetwork/isolationMode")
        .and_then(Value::as_str)
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
    let id = format!("{ws_id}/outboundRules/{name}");
    let ty = ArmPath::parse(&id).map(|p| canonical_type(&p));
    json!({
        "id": id,
        "name": name,
        "type": ty,
        "properties": rule,
    })
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

/// The outbound rules the service adds by itself to a workspace with managed-network
/// isolation on (`category: Required`): private-endpoint rules to its storage account, key
/// vault and container registry, and, in `AllowOnlyApprovedOutbound` mode, the service tags
/// the workspace needs.
pub(crate) fn required_outbound_rules(workspace: &Value) -> Vec<(String, Value)> {
    if !isolation_enabled(workspace) {
        return Vec::new();
    }
    let status = rule_status(workspace);
    let location = workspace
        .get("location")
        .and_then(Value::as_str)
        .unwrap_or("global");
    let mut rules = Vec::new();
    for (prop, subresources) in crate::azure::managed_network::REQUIRED_PRIVATE_ENDPOINTS {
        let Some(target) = workspace
            .pointer(&format!("/properties/{prop}"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let target_name = target.rsplit('/').next().unwrap_or(target);
        for sub in *subresources {
            rules.push((
                format!("__SYS_PE_{target_name}_{sub}"),
                json!({
                    "type": "PrivateEndpoint",
                    "category": "Required",
                    "status": status,
                    "destination": {
                        "serviceResourceId": target,
                        "subresourceTarget": sub,
                        "sparkEnabled": false,
                        "sparkStatus": "Inactive",
                    },
                }),
            ));
        }
    }
    if isolation_mode(workspace)
        .is_some_and(|m| m.eq_ignore_ascii_case("AllowOnlyApprovedOutbound"))
    {
        for tag in crate::azure::managed_network::required_service_tags(location) {
            rules.push((
                format!("__SYS_ST_{}", tag.replace('.', "_")),
                json!({
                    "type": "ServiceTag",
                    "category": "Required",
                    "status": status,
                    "destination": {
                        "serviceTag": tag,
                        "protocol": "TCP",
                        "portRanges": "443",
                        "action": "Allow",
                    },
                }),
            ));
        }
    }
    rules
}

impl Emulator {
    /// A workspace reads with its outbound rules (child resources and `Required` ones) in
    /// `managedNetwork.outboundRules`.
    pub(super) fn read_workspace(&self, stored: &StoredResource, body: &mut Value) {
        let prefix = format!("{}/outboundrules/", stored.id.to_ascii_lowercase());
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

    /// A rule reads with the status of its workspace's managed network.
    pub(super) fn read_rule(&self, path: &ArmPath, body: &mut Value) {
        let status = path
            .parent()
            .and_then(|ws| self.state.resources.get(&ws.key()))
            .map_or("Inactive", |w| rule_status(&w.body));
        if let Some(p) = body.get_mut("properties").and_then(Value::as_object_mut) {
            p.insert("status".into(), json!(status));
        }
    }

    /// A service-added outbound rule, read through its child-resource ID.
    pub(crate) fn required_rule(&self, path: &ArmPath) -> Option<Value> {
        if super::super::types::family(path) != crate::schema::semantics::Family::OutboundRule {
            return None;
        }
        let ws = self.state.resources.get(&path.parent()?.key())?;
        required_outbound_rules(&ws.body)
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(path.name()))
            .map(|(n, rule)| rule_resource(&ws.id, &n, rule))
    }

    /// The `Required` rules a LIST of a workspace's outbound rules shows besides the stored ones.
    pub(super) fn listed_rules(&self, collection: &ArmPath) -> Vec<Value> {
        let Some(stored) = collection
            .owner()
            .and_then(|ws| self.state.resources.get(&ws.key()))
        else {
            return Vec::new();
        };
        required_outbound_rules(&stored.body)
            .into_iter()
            .map(|(name, rule)| rule_resource(&stored.id, &name, rule))
            .collect()
    }

    /// Isolation cannot be turned on while the workspace has computes or managed online
    /// endpoints.
    pub(super) fn check_workspace(
        &self,
        path: &ArmPath,
        existing: Option<&StoredResource>,
        body: &Value,
    ) -> Result<(), ArmError> {
        let key = path.key();
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
        Ok(())
    }

    /// The service's own rules cannot be written.
    pub(super) fn check_rule(&self, path: &ArmPath) -> Result<(), ArmError> {
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
        Ok(())
    }

    /// A PUT of a soft-deleted workspace's name is refused until it is purged.
    pub(super) fn check_soft_deleted(&self, path: &ArmPath) -> Result<(), ArmError> {
        let key = path.key();
        if self.state.soft_deleted.contains_key(&key) && !self.state.resources.contains_key(&key) {
            return Err(err(
                409,
                "SoftDeletedWorkspaceExists",
                &format!(
                    "A soft-deleted workspace named '{}' exists in this resource group. Purge it (DELETE with forceToPurge=true) or wait for its retention period to end before reusing the name.",
                    path.name()
                ),
            ));
        }
        Ok(())
    }

    /// A workspace PUT with `managedNetwork.outboundRules`: the map is the whole set of
    /// user-defined rules (service-added `Required` rules are left alone).
    pub(super) fn apply_inline_rules(
        &mut self,
        ws_key: &str,
        ws_id: &str,
        api_version: &str,
        rules: &Value,
    ) {
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
            let normalised = normalise_request(&path, api_version, json!({ "properties": rule }));
            let body = materialise(&path, normalised, existing.as_ref(), "Succeeded", now);
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

    /// A DELETE of a workspace that is already gone: a purge of a soft-deleted one is a
    /// long-running no-op, anything else 204. A rule the service added cannot be deleted.
    /// `None` when the family has nothing to say.
    pub(super) fn delete_missing_workspace(
        &mut self,
        req: &crate::provider::ArmRequest,
        path: &ArmPath,
        purge: bool,
    ) -> Option<Outcome> {
        let key = path.key();
        if !self.state.soft_deleted.contains_key(&key) {
            return None;
        }
        if !purge {
            return Some(Ok(super::super::response::respond(204, Vec::new(), None)));
        }
        self.state.soft_deleted.remove(&key);
        self.touch();
        let op = self.start_operation(path, super::super::store::OpAction::Noop, &req.api_version);
        Some(Ok(self.accepted(&op)))
    }

    pub(super) fn delete_missing_rule(&self, path: &ArmPath) -> Option<Outcome> {
        self.required_rule(path)
            .map(|_| Err(required_rule_error(path)))
    }

    /// A workspace created with `provisionNetworkNow`, or the first compute of an isolated
    /// workspace, provisions the managed network.
    pub(super) fn provision_network(&mut self, ws_key: &str) {
        if let Some(ws) = self.state.resources.get_mut(ws_key)
            && isolation_enabled(&ws.body)
            && let Some(status) = ws
                .body
                .pointer_mut("/properties/managedNetwork/status/status")
        {
            *status = json!("Active");
        }
    }

    pub(super) fn after_create_workspace(&mut self, key: &str) {
        let now = self
            .state
            .resources
            .get(key)
            .and_then(|r| r.body.pointer("/properties/provisionNetworkNow"))
            .and_then(Value::as_bool)
            == Some(true);
        if now {
            self.provision_network(key);
        }
    }

    /// `provisionManagedNetwork`: long-running, only with isolation on.
    pub(super) fn workspace_action(&self, key: &str, action: &str) -> Result<bool, ArmError> {
        if action != "provisionmanagednetwork" {
            return Ok(false);
        }
        let enabled = self
            .state
            .resources
            .get(key)
            .is_some_and(|w| isolation_enabled(&w.body));
        if !enabled {
            return Err(err(
                400,
                "UserError",
                "The workspace has no managed network to provision (isolationMode is Disabled).",
            ));
        }
        Ok(true)
    }

    pub(super) fn apply_workspace_action(&mut self, key: &str, name: &str, body: Option<&Value>) {
        if name != "provisionmanagednetwork" {
            return;
        }
        let spark = body
            .and_then(|b| b.get("includeSpark"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if let Some(mn) = self
            .state
            .resources
            .get_mut(key)
            .and_then(|r| r.body.pointer_mut("/properties/managedNetwork"))
            .and_then(Value::as_object_mut)
        {
            mn.insert(
                "status".into(),
                json!({"status": "Active", "sparkReady": spark}),
            );
        }
    }

    /// The final answer of a finished `provisionManagedNetwork`: the network's status.
    pub(super) fn workspace_action_result(&self, key: &str, name: &str) -> Option<Value> {
        (name == "provisionmanagednetwork").then(|| {
            self.state
                .resources
                .get(key)
                .and_then(|w| w.body.pointer("/properties/managedNetwork/status"))
                .cloned()
                .unwrap_or(Value::Null)
        })
    }
}

/// Keeps a deleted workspace (unless purged) under its name for the retention period.
pub(super) fn soft_delete(emu: &mut Emulator, key: &str, mut stored: StoredResource) {
    stored.deleted_ms = Some(emu.state.clock);
    emu.state.soft_deleted.insert(key.to_string(), stored);
}
