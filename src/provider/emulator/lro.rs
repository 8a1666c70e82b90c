//! The long-running-operation lifecycle: an operation starts with a write (its outcome
//! decided then: seeded faults, injected failures), is polled through its
//! `Azure-AsyncOperation` or `Location` URL (with `Retry-After`), finishes after
//! [`EmulatorOptions::polls_until_done`](super::EmulatorOptions::polls_until_done) polls or when
//! another write to the resource needs it settled, and is applied then (a delete removes, an
//! action takes effect). Where the URLs live is the type's
//! [`OperationUrls`](crate::schema::semantics::OperationUrls).

use serde_json::{Value, json};

use super::path::ArmPath;
use super::response::{err, error_response, respond};
use super::shape::{guid, iso_time, set_provisioning_state};
use super::store::{OpAction, OpError, OpStatus, Operation};
use super::types::{family, semantics};
use super::{Emulator, KEEP_COMPLETED_OPERATIONS, Outcome};
use crate::provider::{ArmError, ArmResponse};
use crate::schema::semantics::{Lro, OperationUrls};

impl Emulator {
    pub(crate) fn start_operation(
        &mut self,
        resource: &ArmPath,
        action: OpAction,
        api: &str,
    ) -> Operation {
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

    pub(crate) fn decide_failure(&mut self, key: &str) -> Option<OpError> {
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

    pub(crate) fn finish_now_if_configured(&mut self, op_id: &str) {
        if self.options.polls_until_done == 0 {
            self.complete(op_id);
        }
    }

    /// Completes the operation in flight on `key`, if any (a new write to a resource waits
    /// for the previous one).
    pub(crate) fn settle(&mut self, key: &str) {
        if let Some(id) = self.inflight.get(key).cloned() {
            self.complete(&id);
        }
    }

    pub(crate) fn poll(&mut self, op_id: &str, location_style: bool) -> Outcome {
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
                    OpAction::Action { name, .. } => {
                        let key = op.resource_id.to_ascii_lowercase();
                        let result = ArmPath::parse(&op.resource_id)
                            .and_then(|p| self.action_result(family(&p), &key, name));
                        match result {
                            Some(body) => respond(200, Vec::new(), Some(body)),
                            None => respond(204, Vec::new(), None),
                        }
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
    pub(crate) fn complete(&mut self, op_id: &str) {
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
                if !failed && let Some(path) = ArmPath::parse(&op.resource_id) {
                    self.after_create(family(&path), &key, &path);
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
                if !failed && let Some(path) = ArmPath::parse(&op.resource_id) {
                    self.apply_action(family(&path), &key, name, body.as_ref());
                }
            }
            OpAction::Noop => {}
        }
    }

    pub(crate) fn prune_operations(&mut self) {
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

    pub(crate) fn url(&self, path: &str, api_version: &str) -> String {
        format!(
            "{}{path}?api-version={api_version}",
            self.options.base_url.trim_end_matches('/')
        )
    }

    pub(crate) fn retry_after(&self) -> String {
        self.options.retry_after_secs.to_string()
    }

    /// `202 Accepted` with `Location` and `Retry-After`, for an operation just started.
    pub(crate) fn accepted(&mut self, op: &Operation) -> ArmResponse {
        let headers = vec![
            (
                "location".to_string(),
                self.url(&op.location_path, &op.api_version),
            ),
            ("retry-after".to_string(), self.retry_after()),
        ];
        self.finish_now_if_configured(&op.id);
        respond(202, headers, None)
    }

    /// 202 with both `Azure-AsyncOperation` and `Location` (private DNS zones and links).
    pub(crate) fn accepted_with_both(&mut self, op: &Operation) -> ArmResponse {
        let mut headers = self.async_operation_headers(op);
        headers.push((
            "location".to_string(),
            self.url(&op.location_path, &op.api_version),
        ));
        self.finish_now_if_configured(&op.id);
        respond(202, headers, None)
    }

    /// A read of a resource whose type reports a write's progress only through its
    /// `provisioningState` (`Lro::Provisioning`) is a poll of the operation in flight on it.
    pub(crate) fn poll_by_read(&mut self, path: &ArmPath) {
        let style = super::types::lro(path);
        if style.put != Lro::Provisioning && style.patch != Lro::Provisioning {
            return;
        }
        if let Some(id) = self.inflight.get(&path.key()).cloned() {
            let _ = self.poll(&id, false);
        }
    }

    /// `Azure-AsyncOperation` and `Retry-After` for an operation just started.
    pub(crate) fn async_operation_headers(&self, op: &Operation) -> Vec<(String, String)> {
        vec![
            (
                "azure-asyncoperation".to_string(),
                self.url(&op.async_path, &op.api_version),
            ),
            ("retry-after".to_string(), self.retry_after()),
        ]
    }
}

/// Operation-status path segments (`Azure-AsyncOperation` style), lower-cased.
pub(crate) const ASYNC_OPERATION_TYPES: [&str; 4] = [
    "mfeoperationsstatus",
    "operations",
    "privatednsoperationstatuses",
    "operationstatuses",
];
/// Operation-result path segments (`Location` style), lower-cased.
pub(crate) const LOCATION_OPERATION_TYPES: [&str; 3] = [
    "mfeoperationresults",
    "operationresults",
    "privatednsoperationresults",
];

/// The operation URL paths (async-operation, location) for an operation on `resource`, as
/// the resource's provider spells them.
pub(crate) fn operation_paths(resource: &ArmPath, location: &str, op_id: &str) -> (String, String) {
    let sub = resource
        .subscription()
        .unwrap_or("00000000-0000-0000-0000-000000000000");
    let semantics = semantics(resource);
    // The provider's namespace as ARM spells it.
    let ns = semantics
        .and_then(|s| s.arm_type.split('/').next())
        .unwrap_or(resource.namespace.as_str());
    let urls = semantics.map_or(OperationUrls::Generic, |s| s.operation_urls);
    let (base, status, result) = match urls {
        OperationUrls::MachineLearning => (
            format!("/subscriptions/{sub}/providers/{ns}/locations/{location}"),
            "mfeOperationsStatus",
            "mfeOperationResults",
        ),
        OperationUrls::PrivateDns => {
            let rg = resource.resource_group().unwrap_or("default");
            (
                format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}"),
                "privateDnsOperationStatuses",
                "privateDnsOperationResults",
            )
        }
        OperationUrls::Network => (
            format!("/subscriptions/{sub}/providers/{ns}/locations/{location}"),
            "operations",
            "operationResults",
        ),
        OperationUrls::Generic => (
            format!("/subscriptions/{sub}/providers/{ns}/locations/{location}"),
            "operationStatuses",
            "operationResults",
        ),
    };
    (
        format!("{base}/{status}/{op_id}"),
        format!("{base}/{result}/{op_id}"),
    )
}

/// For an operation-status path: (operation id, polled through `Location`?).
pub(crate) fn operation_of(path: &ArmPath) -> Option<(String, bool)> {
    if path.is_collection() || path.types.is_empty() {
        return None;
    }
    let last = path.last_type();
    let under_provider_root = path.types.len() == 1 || {
        let first = path.types[0].to_ascii_lowercase();
        first == "locations" && path.types.len() == 2
    };
    if !under_provider_root {
        return None;
    }
    let id = path.name().to_string();
    if ASYNC_OPERATION_TYPES.contains(&last.as_str()) {
        Some((id, false))
    } else if LOCATION_OPERATION_TYPES.contains(&last.as_str()) {
        Some((id, true))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_paths_round_trip() {
        for p in [
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
        ] {
            let r = ArmPath::parse(p).unwrap();
            let (a, l) = operation_paths(&r, "westeurope", "op1");
            assert_eq!(
                operation_of(&ArmPath::parse(&a).unwrap()),
                Some(("op1".into(), false)),
                "{a}"
            );
            assert_eq!(
                operation_of(&ArmPath::parse(&l).unwrap()),
                Some(("op1".into(), true)),
                "{l}"
            );
            assert_eq!(operation_of(&r), None);
        }
    }
}
