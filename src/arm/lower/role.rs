//! Role assignments: a name derived from scope, principal and role, and the role definition
//! ID in the form ARM returns it.

use serde_json::Value as Json;
use uuid::Uuid;

use super::body::{self, put};
use super::unknown::marker;
use super::{Ctx, complete, start};
use crate::arm::Desired;
use crate::azure::arm_id::{self, ArmId};
use crate::azure::roles;
use crate::diagnostic::Diagnostic;
use crate::diagnostics::{constraints, values};
use crate::lang::value::Value;
use crate::model::Resource;

/// The UUID v5 namespace of role-assignment names. A constant picked at random once for
/// amlplan (`70e31209-2780-4765-a0c1-cd7b4f3d40a3`); changing it would rename, and so
/// duplicate, every assignment amlplan has ever made.
pub const ROLE_ASSIGNMENT_NAMESPACE: Uuid =
    Uuid::from_u128(0x70e3_1209_2780_4765_a0c1_cd7b_4f3d_40a3);

/// The name (a GUID) of the assignment of a role to a principal at a scope: UUID v5 in
/// [`ROLE_ASSIGNMENT_NAMESPACE`] of `scope_id|principal_id|role_definition_guid`, lowercased
/// (ARM compares all three without regard to case). The same triple always gives the same
/// name, so planning again never duplicates an assignment, and any other triple another name.
pub fn role_assignment_name(
    scope_id: &str,
    principal_id: &str,
    role_definition_guid: &str,
) -> Uuid {
    let seed = format!(
        "{}|{}|{}",
        scope_id.trim_end_matches('/'),
        principal_id,
        role_definition_guid
    )
    .to_ascii_lowercase();
    Uuid::new_v5(&ROLE_ASSIGNMENT_NAMESPACE, seed.as_bytes())
}

/// The role definition GUID an assignment grants: a built-in role by name, or the last
/// segment of a role definition ID. `Ok(None)` while the role is unknown.
fn role_guid(r: &Resource) -> Result<Option<String>, Diagnostic> {
    let Some(attr) = r.body.attr("role") else {
        return Ok(None);
    };
    let Some(text) = attr.value.as_str() else {
        return Ok(None);
    };
    // The lowering meets a role the checker did not see (one known only after apply), so it
    // reports what the checker would: the same codes, and never the value of a secret.
    let hide = |d: Diagnostic| {
        if attr.sensitive {
            crate::sensitive::hide(d, &attr.value)
        } else {
            d
        }
    };
    if text.starts_with('/') {
        if let Err(e) = arm_id::expect_type(text, &["Microsoft.Authorization/roleDefinitions"]) {
            return Err(hide(values::invalid_role_id(&e.to_string(), attr.span)));
        }
        return roles::role_definition_guid(text)
            .map(Some)
            .map_err(|e| hide(constraints::invalid_role_definition_id(&e, attr.span)));
    }
    match roles::role_by_name(text) {
        Some(role) => Ok(Some(role.guid.to_string())),
        None => Err(hide(constraints::unresolvable_role(text, attr.span))),
    }
}

/// The assignment's name, or `None` while scope, principal or role is unknown.
pub(crate) fn assignment_name(
    r: &Resource,
    scope_id: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Uuid> {
    let role = match role_guid(r) {
        Ok(role) => role?,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let principal = r.body.value("principal_id").and_then(Value::as_str)?;
    if scope_id.contains(marker()) {
        return None;
    }
    Some(role_assignment_name(scope_id, principal, &role))
}

/// [`assignment_name`] as the text of the ID's last segment (the role-assignment kind's
/// `IdTemplate::Scoped` name).
pub(crate) fn assignment_name_text(
    r: &Resource,
    scope_id: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    assignment_name(r, scope_id, diags).map(|guid| guid.to_string())
}

/// The subscription of a scope ID, for the role definition ID (ARM reports it in the
/// subscription of the assignment).
fn scope_subscription(scope: &str) -> Option<String> {
    ArmId::parse(scope).ok().and_then(|id| id.subscription)
}

pub(crate) fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let kind = r.schema;
    let id = ctx.id(&r.address);
    let mut d = start(ctx, r, &[]);
    let scope = id
        .split_once(&format!("/providers/{}/", kind.arm_type))
        .map_or(id.as_str(), |(scope, _)| scope);
    let subscription = scope_subscription(scope).unwrap_or_else(|| ctx.azure.subscription.clone());
    // Reported when the ID was computed.
    let definition = match role_guid(r) {
        Ok(Some(guid)) => roles::role_definition_id(&subscription, &guid),
        _ => marker().to_string(),
    };
    put(
        &mut d.body,
        "properties.roleDefinitionId",
        Json::String(definition),
    );
    if r.body.attr("role").is_some_and(|a| a.sensitive) {
        d.sensitive.push("properties.roleDefinitionId".into());
    }
    let table = body::kind_paths(kind, &[]);
    complete(&mut d, r, &table);
    vec![d]
}
