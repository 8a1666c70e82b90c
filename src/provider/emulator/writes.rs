//! PUT, PATCH, DELETE and POST: the generic checks and storage of a write, answered as the
//! type's long-running-operation style says, with each family's rules called in between.

use serde_json::{Map, Value};

use super::families::{self, Action};
use super::path::{ArmPath, is_at_or_under};
use super::response::{err, method_not_allowed, not_found, respond};
use super::routing::query;
use super::rules::update_violation;
use super::shape::{materialise, normalise_request, set_provisioning_state};
use super::store::{OpAction, OpError, OpStatus, StoredResource};
use super::types::{canonical_type, delete_is_lro, family, lro, semantics};
use super::{Emulator, Outcome};
use crate::provider::{ArmError, ArmRequest};
use crate::schema::ArmSemantics;
use crate::schema::semantics::{Lro, ReadOnlyPolicy};

impl Emulator {
    pub(crate) fn put(&mut self, req: &ArmRequest, path: &ArmPath, is_patch: bool) -> Outcome {
        if path.is_collection() || path.types.is_empty() {
            return Err(method_not_allowed(req));
        }
        let family = family(path);
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
        self.check_serial(path)?;
        self.before_put(family, path, &request_body)?;
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
        self.check_parent(family, path)?;
        validate(family, path, &req.api_version, &body)?;
        let normalised = normalise_request(path, &req.api_version, body.clone());
        if let Some(old) = &existing {
            let old_norm = normalise_request(path, &req.api_version, old.body.clone());
            if let Some(e) = update_violation(path, &old_norm, &normalised) {
                return Err(e);
            }
        }
        self.check_family(family, path, existing.as_ref(), &normalised)?;

        let style = lro(path);
        let lro = if is_patch { style.patch } else { style.put };
        let creating = existing.is_none();
        let state = match lro {
            Lro::Sync => "Succeeded",
            _ if creating => "Creating",
            _ => "Updating",
        };
        let now = self.state.clock;
        let stored_body = materialise(path, normalised, existing.as_ref(), state, now);
        let stored = StoredResource {
            id: existing
                .as_ref()
                .map_or_else(|| path.path.clone(), |e| e.id.clone()),
            created_ms: existing.as_ref().map_or(now, |e| e.created_ms),
            modified_ms: now,
            body: stored_body,
            deleted_ms: None,
        };
        let id = stored.id.clone();
        self.state.resources.insert(key.clone(), stored);
        self.after_put(family, &key, &id, &req.api_version, &body);
        self.touch();

        let status = if creating { 201 } else { 200 };
        match lro {
            Lro::Sync => Ok(respond(status, Vec::new(), self.representation(&key))),
            Lro::AsyncOperation => {
                let op = self.start_operation(path, OpAction::Put, &req.api_version);
                let mut headers = self.async_operation_headers(&op);
                if semantics(path).is_some_and(|s| s.operation_timeout) {
                    headers.push(("x-ms-async-operation-timeout".into(), "PT1H".into()));
                }
                self.finish_now_if_configured(&op.id);
                Ok(respond(status, headers, self.representation(&key)))
            }
            Lro::Location => {
                let op = self.start_operation(path, OpAction::Put, &req.api_version);
                Ok(self.accepted(&op))
            }
            Lro::AcceptedWithBoth => {
                let op = self.start_operation(path, OpAction::Put, &req.api_version);
                Ok(self.accepted_with_both(&op))
            }
            Lro::Provisioning => {
                // Reads of the resource count as polls (`poll_by_read`).
                let op = self.start_operation(path, OpAction::Put, &req.api_version);
                self.finish_now_if_configured(&op.id);
                Ok(respond(status, Vec::new(), self.representation(&key)))
            }
        }
    }

    /// A type whose writes under one parent may not overlap (`serial_under_parent`: a
    /// workspace's outbound rules) refuses a write while one to a sibling is in progress.
    fn check_serial(&self, path: &ArmPath) -> Result<(), ArmError> {
        if !semantics(path).is_some_and(|s| s.serial_under_parent) {
            return Ok(());
        }
        let (Some(parent), key) = (path.parent(), path.key()) else {
            return Ok(());
        };
        let siblings = format!("{}/{}/", parent.key(), path.last_type());
        let busy = self
            .inflight
            .keys()
            .find(|k| k.starts_with(&siblings) && **k != key && !k[siblings.len()..].contains('/'));
        match busy {
            Some(other) => Err(err(
                409,
                "Conflict",
                &format!(
                    "Another operation on '{}' is in progress; outbound rules of a workspace are changed one at a time.",
                    other.rsplit('/').next().unwrap_or_default()
                ),
            )),
            None => Ok(()),
        }
    }

    fn check_parent(
        &self,
        family: crate::schema::semantics::Family,
        path: &ArmPath,
    ) -> Result<(), ArmError> {
        let Some(parent) = self.required_parent(family, path) else {
            return Ok(());
        };
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

    pub(crate) fn delete(&mut self, req: &ArmRequest, path: &ArmPath) -> Outcome {
        if path.is_collection() || path.types.is_empty() {
            return Err(method_not_allowed(req));
        }
        let family = family(path);
        let key = path.key();
        let purge = query(req, "forceToPurge").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        self.settle(&key);
        if !self.state.resources.contains_key(&key) {
            return self
                .delete_missing(family, req, path, purge)
                .unwrap_or_else(|| Ok(respond(204, Vec::new(), None)));
        }
        self.before_delete(family, req, path)?;
        self.check_serial(path)?;
        if delete_is_lro(path) {
            if let Some(stored) = self.state.resources.get_mut(&key) {
                set_provisioning_state(&mut stored.body, "Deleting");
            }
            self.touch();
            let op = self.start_operation(path, OpAction::Delete { purge }, &req.api_version);
            return Ok(match lro(path).delete {
                Lro::AcceptedWithBoth => self.accepted_with_both(&op),
                _ => self.accepted(&op),
            });
        }
        let body = self.representation(&key);
        self.remove_resource(&key, purge, None);
        self.touch();
        let body = if families::delete_returns_body(family) {
            body
        } else {
            None
        };
        Ok(respond(200, Vec::new(), body))
    }

    /// Removes a resource and everything under it (children, extension resources scoped to
    /// it). A workspace is soft-deleted unless `purge`. Operations in flight on removed
    /// descendants fail; `finishing` is the operation doing the removal.
    pub(crate) fn remove_resource(&mut self, key: &str, purge: bool, finishing: Option<&str>) {
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
        self.after_remove(family(&path), key, &path, stored, purge);
    }

    pub(crate) fn post(&mut self, req: &ArmRequest, path: &ArmPath) -> Outcome {
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
        if family(&owner) == crate::schema::semantics::Family::CodeVersion
            && action == "startpendingupload"
        {
            // Create-or-get: answered before the version exists.
            return self.start_pending_upload(&owner, req.body.as_ref());
        }
        if !self.state.resources.contains_key(&okey) {
            return Err(not_found(&owner));
        }
        match self.action(family(&owner), &okey, &action)? {
            Action::Answered(outcome) => return outcome,
            Action::LongRunning => {}
            Action::Unsupported => {
                return Err(err(
                    400,
                    "UnsupportedAction",
                    &format!(
                        "The mock cloud does not implement action '{}' on {}.",
                        path.types.last().cloned().unwrap_or_default(),
                        canonical_type(&owner)
                    ),
                ));
            }
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
        Ok(self.accepted(&op))
    }
}

/// Checks ARM makes on the request alone: the name, `location` of a tracked resource, the
/// properties the family requires.
fn validate(
    family: crate::schema::semantics::Family,
    path: &ArmPath,
    api_version: &str,
    body: &Value,
) -> Result<(), ArmError> {
    families::validate_name(family, path)?;
    if semantics(path).is_some_and(|s| s.requires_location)
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
    if let Some(s) = semantics(path) {
        read_only_violation(s, api_version, body)?;
    }
    families::validate_body(family, path, body)
}

/// A type whose service refuses read-only properties in a PUT (instead of ignoring them, as
/// `shape::normalise_request` does for the others) answers `400` naming the first one.
fn read_only_violation(
    semantics: &ArmSemantics,
    api_version: &str,
    body: &Value,
) -> Result<(), ArmError> {
    if semantics.read_only_policy != ReadOnlyPolicy::Refuse {
        return Ok(());
    }
    match semantics
        .read_only_at(api_version)
        .into_iter()
        .find(|p| crate::json_path::get(body, p).is_some_and(|v| !v.is_null()))
    {
        Some(p) => Err(err(
            400,
            "InvalidRequestContent",
            &format!("The property '{p}' is read-only and cannot be set."),
        )),
        None => Ok(()),
    }
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
    let Some(t) = target.as_object_mut() else {
        return;
    };
    for (k, v) in patch {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_refusing_type_names_the_read_only_property() {
        let refusing = ArmSemantics {
            arm_type: "Microsoft.Example/things",
            read_only: &["properties.status"],
            read_only_policy: ReadOnlyPolicy::Refuse,
            ..ArmSemantics::PLAIN
        };
        let with = json!({"properties": {"status": "x", "name": "n"}});
        let without = json!({"properties": {"name": "n"}});
        let e = read_only_violation(&refusing, API, &with).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "InvalidRequestContent"));
        assert!(e.message.contains("properties.status"), "{}", e.message);
        assert!(read_only_violation(&refusing, API, &without).is_ok());
        let ignoring = ArmSemantics {
            read_only_policy: ReadOnlyPolicy::Ignore,
            ..refusing
        };
        assert!(read_only_violation(&ignoring, API, &with).is_ok());
    }

    const API: &str = "2025-12-01";

    #[test]
    fn a_property_writable_from_an_api_version_is_refused_before_it() {
        let refusing = ArmSemantics {
            arm_type: "Microsoft.Example/things",
            read_only_before: &[("properties.prefixes", "2025-12-01")],
            read_only_policy: ReadOnlyPolicy::Refuse,
            ..ArmSemantics::PLAIN
        };
        let with = json!({"properties": {"prefixes": ["10.0.0.0/8"]}});
        assert!(read_only_violation(&refusing, "2025-09-01", &with).is_err());
        assert!(read_only_violation(&refusing, "2025-12-01", &with).is_ok());
        assert!(read_only_violation(&refusing, "2026-01-15-preview", &with).is_ok());
    }
}
