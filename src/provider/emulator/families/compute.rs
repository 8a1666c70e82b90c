//! Computes (clusters and instances): ARM's name rule, the VM size ARM upper-cases for
//! clusters, the node counts and state the service reports, the `underlyingResourceAction`
//! a DELETE needs, and the instance actions (`start`, `stop`, `restart`, `resize`,
//! `updateIdleShutdownSetting`).

use serde_json::{Map, Value, json};

use super::super::Emulator;
use super::super::path::ArmPath;
use super::super::response::err;
use super::super::shape::{Materialise, iso_time, props_mut, set_default};
use crate::provider::{ArmError, ArmRequest};

pub(super) fn validate_name(name: &str) -> Result<(), ArmError> {
    let tail_digits = name
        .rsplit_once('-')
        .is_some_and(|(_, t)| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()));
    let ok = (3..=24).contains(&name.len())
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !tail_digits;
    if ok {
        Ok(())
    } else {
        Err(super::invalid_name(
            name,
            "it must be 3 to 24 letters, digits or '-', start with a letter and not end in '-' and digits",
        ))
    }
}

fn compute_type(body: &Value) -> String {
    body.pointer("/properties/computeType")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// An attached Kubernetes compute's instance types give their resources as Kubernetes
/// quantities, strings (`InstanceResourceSchema`: maps of strings); ARM cannot deserialize
/// another value there.
pub(super) fn validate(body: &Value) -> Result<(), ArmError> {
    let Some(types) = body
        .pointer("/properties/properties/instanceTypes")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    for (name, instance) in types {
        for part in ["requests", "limits"] {
            let Some(values) = instance
                .pointer(&format!("/resources/{part}"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            if let Some((key, value)) = values.iter().find(|(_, v)| !v.is_string()) {
                return Err(err(
                    400,
                    "InvalidRequestContent",
                    &format!(
                        "The request content was invalid and could not be deserialized: Error converting value {value} to type 'System.String'. Path 'properties.properties.instanceTypes.{name}.resources.{part}['{key}']'."
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A cluster's VM size is stored upper-cased.
pub(super) fn normalise(body: &mut Value) {
    let is_aml = compute_type(body) == "amlcompute";
    if let Some(inner) = body
        .pointer_mut("/properties/properties")
        .and_then(Value::as_object_mut)
        && is_aml
        && let Some(Value::String(size)) = inner.get("vmSize")
    {
        let upper = size.to_ascii_uppercase();
        inner.insert("vmSize".into(), Value::String(upper));
    }
}

pub(super) fn materialise(m: &Materialise<'_>, body: &mut Value) {
    let created_on = m
        .old
        .and_then(|o| o.pointer("/properties/createdOn"))
        .cloned()
        .unwrap_or_else(|| json!(iso_time(m.created_ms)));
    let state = m
        .old
        .and_then(|o| o.pointer("/properties/properties/state"))
        .cloned()
        .unwrap_or_else(|| json!("Running"));
    let compute_type = compute_type(body);
    let now = m.now;
    let p = props_mut(body);
    p.insert("createdOn".into(), created_on);
    p.insert("modifiedOn".into(), json!(iso_time(now)));
    // A Kubernetes compute is an attached cluster the user brought; the others ARM made.
    p.insert(
        "isAttachedCompute".into(),
        json!(compute_type == "kubernetes"),
    );
    set_default(p, "computeLocation", json!(m.location));
    let inner = p
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(inner) = inner.as_object_mut() else {
        return;
    };
    match compute_type.as_str() {
        "amlcompute" => {
            let min = inner
                .get("scaleSettings")
                .and_then(|s| s.get("minNodeCount"))
                .and_then(Value::as_u64)
                .unwrap_or(0);
            inner.insert("allocationState".into(), json!("Steady"));
            inner.insert("allocationStateTransitionTime".into(), json!(iso_time(now)));
            inner.insert("currentNodeCount".into(), json!(min));
            inner.insert("targetNodeCount".into(), json!(min));
            inner.insert(
                "nodeStateCounts".into(),
                json!({"idleNodeCount": min, "runningNodeCount": 0, "preparingNodeCount": 0,
                       "unusableNodeCount": 0, "leavingNodeCount": 0, "preemptedNodeCount": 0}),
            );
        }
        "computeinstance" => {
            inner.insert("state".into(), state);
        }
        _ => {}
    }
}

/// A DELETE says what becomes of the VMs.
pub(super) fn before_delete(req: &ArmRequest) -> Result<(), ArmError> {
    let action = super::super::routing::query(req, "underlyingResourceAction");
    if action.is_some_and(|a| a.eq_ignore_ascii_case("Delete") || a.eq_ignore_ascii_case("Detach"))
    {
        Ok(())
    } else {
        Err(err(
            400,
            "BadRequest",
            "The query parameter 'underlyingResourceAction' is required (Delete or Detach).",
        ))
    }
}

/// The long-running actions of a compute.
pub(super) fn is_action(action: &str) -> bool {
    matches!(
        action,
        "start" | "stop" | "restart" | "resize" | "updateidleshutdownsetting"
    )
}

impl Emulator {
    pub(super) fn apply_compute_action(&mut self, key: &str, name: &str, body: Option<&Value>) {
        let Some(inner) = self
            .state
            .resources
            .get_mut(key)
            .and_then(|r| r.body.pointer_mut("/properties/properties"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        let arg = |field: &str| body.and_then(|b| b.get(field)).cloned();
        match name {
            "start" | "restart" | "stop" => {
                let state = if name == "stop" { "Stopped" } else { "Running" };
                inner.insert("state".into(), json!(state));
            }
            "resize" => {
                if let Some(v) = arg("targetVMSize") {
                    inner.insert("vmSize".into(), v);
                }
            }
            "updateidleshutdownsetting" => {
                if let Some(v) = arg("idleTimeBeforeShutdown") {
                    inner.insert("idleTimeBeforeShutdown".into(), v);
                }
            }
            _ => {}
        }
    }

    /// The first compute of an isolated workspace provisions its managed network.
    pub(super) fn after_create_compute(&mut self, path: &ArmPath) {
        if let Some(ws) = path.parent() {
            self.provision_network(&ws.key());
        }
    }
}

impl Emulator {
    /// A custom subnet is refused under a managed network (Azure ML's managed-network
    /// limitations; see `schema::compute_cluster`).
    pub(super) fn check_compute(&self, path: &ArmPath, body: &Value) -> Result<(), ArmError> {
        let Some(workspace) = path
            .parent()
            .and_then(|ws| self.state.resources.get(&ws.key()))
        else {
            return Ok(());
        };
        let managed = super::workspace::isolation_enabled(&workspace.body);
        let inner = body.pointer("/properties/properties");
        let subnet = inner
            .and_then(|p| p.pointer("/subnet/id"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        if managed && subnet.is_some() {
            let mode = super::workspace::isolation_mode(&workspace.body).unwrap_or_default();
            return Err(err(
                400,
                "UserError",
                &format!(
                    "Compute '{}' cannot use a custom virtual network subnet: its workspace has a managed virtual network (isolationMode {mode}), in which its computes run.",
                    path.name()
                ),
            ));
        }
        Ok(())
    }
}
