//! Role assignments: the name is a GUID, the role and principal are required, the role
//! definition ID is stored subscription-scoped, one assignment per (scope, principal, role),
//! and a scope this cloud holds nothing of is accepted.

use serde_json::{Value, json};

use super::super::Emulator;
use super::super::path::ArmPath;
use super::super::response::err;
use super::super::shape::{Materialise, guid, iso_time, props_mut};
use crate::provider::ArmError;

pub(super) fn validate(path: &ArmPath, body: &Value) -> Result<(), ArmError> {
    let name = path.name();
    if uuid::Uuid::parse_str(name).is_err() {
        return Err(err(
            400,
            "InvalidRoleAssignmentId",
            &format!(
                "The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID."
            ),
        ));
    }
    for p in ["roleDefinitionId", "principalId"] {
        if super::prop(body, p).is_none() {
            return Err(err(
                400,
                "InvalidRequestContent",
                &format!("properties.{p} is required."),
            ));
        }
    }
    Ok(())
}

/// `/providers/Microsoft.Authorization/roleDefinitions/{guid}` is stored with the
/// subscription, as GET returns it.
pub(super) fn normalise(path: &ArmPath, body: &mut Value) {
    let sub = path.subscription().map(str::to_string);
    let p = props_mut(body);
    if let (Some(sub), Some(Value::String(role))) = (sub, p.get("roleDefinitionId"))
        && role
            .to_ascii_lowercase()
            .starts_with("/providers/microsoft.authorization/roledefinitions/")
    {
        let full = format!("/subscriptions/{sub}{role}");
        p.insert("roleDefinitionId".into(), Value::String(full));
    }
}

pub(super) fn materialise(m: &Materialise<'_>, body: &mut Value) {
    let created_on = m
        .old
        .and_then(|o| o.pointer("/properties/createdOn"))
        .cloned()
        .unwrap_or_else(|| json!(iso_time(m.created_ms)));
    let p = props_mut(body);
    p.insert("scope".into(), json!(m.path.scope));
    p.insert("createdOn".into(), created_on);
    p.insert("updatedOn".into(), json!(iso_time(m.now)));
    p.insert("createdBy".into(), json!(guid("actor")));
    p.insert("updatedBy".into(), json!(guid("actor")));
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

impl Emulator {
    /// An outside scope (a resource group this cloud holds nothing of) needs no parent.
    pub(super) fn scope_is_outside(&self, parent: &ArmPath) -> bool {
        let (Some(sub), Some(rg)) = (parent.subscription(), parent.resource_group()) else {
            return true;
        };
        let rg_prefix = format!("/subscriptions/{sub}/resourcegroups/{rg}/").to_ascii_lowercase();
        self.under(&rg_prefix).next().is_none()
    }

    /// One assignment per (scope, principal, role).
    pub(super) fn check_role_assignment(
        &self,
        path: &ArmPath,
        body: &Value,
    ) -> Result<(), ArmError> {
        let key = path.key();
        let principal = body
            .pointer("/properties/principalId")
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
            if other_principal.eq_ignore_ascii_case(principal) && role_guid(&other.body) == role {
                return Err(err(
                    409,
                    "RoleAssignmentExists",
                    &format!(
                        // ARM's wording: the existing name as 32 hex digits, no hyphens.
                        "The role assignment already exists. The ID of the existing role assignment is {}.",
                        other
                            .id
                            .rsplit('/')
                            .next()
                            .unwrap_or_default()
                            .replace('-', "")
                    ),
                ));
            }
        }
        Ok(())
    }
}
