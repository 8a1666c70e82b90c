//! `role_assignment`: an Azure RBAC role assignment (`Microsoft.Authorization/roleAssignments`).
//!
//! The assignment's name is a GUID derived from scope, principal and role, and its ID is
//! `{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}`, so the kind builds both
//! itself. Only the description and the condition can change in place.

use super::semantics::{ArmSemantics, Family};
use super::{
    AttrSchema, AttrType, BlockSchema, EnumValue, IdTemplate, KindBehavior, KindSchema, LoweredAt,
};
use crate::azure::names::NameRule;

static PRINCIPAL_TYPES: &[EnumValue] = &[
    EnumValue::new("user", "User"),
    EnumValue::new("group", "Group"),
    EnumValue::new("service_principal", "ServicePrincipal"),
    EnumValue::new("foreign_group", "ForeignGroup"),
    EnumValue::new("device", "Device"),
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "role_assignment",
    arm_type: "Microsoft.Authorization/roleAssignments",
    api_version: "2022-04-01",
    name_rule: NameRule::Generic,
    has_tags: false,
    tags_path: "tags",
    has_location: false,
    doc: "Grants a role to a user, group or service principal on a resource, resource group or subscription.",
    body: BlockSchema {
        attrs: &[
            // Resolved to `properties.roleDefinitionId`
            // (`/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}`).
            AttrSchema::new(
                "role",
                AttrType::Role,
                "",
                "The role to grant: a built-in role name (`AzureML Data Scientist`) or a role definition ARM ID.",
            )
            .required()
            .create_only()
            .lowered_at(&[LoweredAt::own("properties.roleDefinitionId")]),
            AttrSchema::new(
                "principal_id",
                AttrType::Guid,
                "properties.principalId",
                "The Microsoft Entra object ID of the user, group or service principal (a managed identity's `principal_id`).",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "principal_type",
                AttrType::Enum(PRINCIPAL_TYPES),
                "properties.principalType",
                "What kind of principal `principal_id` is; setting it avoids failures while a new principal replicates.",
            )
            .create_only(),
            // Forms the resource ID; not in the body.
            AttrSchema::new(
                "scope",
                AttrType::RoleScope,
                "",
                "Where the role applies: a resource block, or the ARM ID of a resource, resource group or subscription.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of why the role is granted.",
            ),
            AttrSchema::new(
                "condition",
                AttrType::String,
                "properties.condition",
                "An ABAC condition that narrows the assignment to matching resources.",
            ),
            AttrSchema::new(
                "condition_version",
                AttrType::String,
                "properties.conditionVersion",
                "The version of the condition language; \"2.0\" is the only accepted value.",
            ),
        ],
        blocks: &[],
    },
    exports: &[],
    id: IdTemplate::Scoped {
        scope: "scope",
        name_from: &["principal_id", "role"],
        name: crate::arm::lower::role::assignment_name_text,
    },
    behavior: KindBehavior {
        case_insensitive_paths: &["properties.principalId", "properties.roleDefinitionId"],
        retry_principal_not_found: true,
        // An assignment made outside amlplan (the portal, az, another tool) for the same
        // scope, principal and role: ARM answers `409 RoleAssignmentExists` naming it.
        adoption: Some(super::Adoption {
            existing_id,
            matches,
        }),
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[],
    lower: Some(crate::arm::lower::role::lower),
    children: &[],
    role_scope: false,
    checks: &[],
    cost: Some(cost),
    review: &[],
};

/// What ARM enforces on role assignments: only `description`, `condition` and
/// `conditionVersion` change in place; `roleDefinitionId` (lowered from `role` by the kind)
/// and the delegated identity are fixed, and any such change is
/// `RoleAssignmentUpdateNotPermitted`.
static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Authorization/roleAssignments",
    create_only: &[
        "properties.roleDefinitionId",
        "properties.delegatedManagedIdentityResourceId",
    ],
    read_only: &[
        "properties.scope",
        "properties.createdOn",
        "properties.updatedOn",
        "properties.createdBy",
        "properties.updatedBy",
    ],
    provisioning_state: false,
    family: Family::RoleAssignment,
    create_only_code: "RoleAssignmentUpdateNotPermitted",
    create_only_message: "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
    source: "readOnly flags of bicep-types authorization 2022-04-01, immutability from arm-api.md §7",
    ..ArmSemantics::PLAIN
};

/// The kind's cost model: nothing is billed for it.
fn cost(_: &crate::model::Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free("a role assignment costs nothing".into())
}

/// The existing assignment a `409 RoleAssignmentExists` names: "The role assignment already
/// exists. The ID of the existing role assignment is {name}." (the name as 32 hex digits, or
/// a hyphenated GUID), at the entry's scope.
fn existing_id(d: &crate::arm::Desired, e: &crate::provider::ArmError) -> Option<String> {
    if e.status != 409 || e.code != "RoleAssignmentExists" {
        return None;
    }
    let tail = e.message.split("existing role assignment is").nth(1)?;
    let name: String = tail
        .trim()
        .trim_end_matches('.')
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
        .collect();
    let guid = uuid::Uuid::parse_str(&name).ok()?;
    let (scope, _) = split_id(&d.id)?;
    Some(format!(
        "{scope}/providers/Microsoft.Authorization/roleAssignments/{}",
        guid.hyphenated()
    ))
}

/// `(scope, name)` of a role assignment ID.
fn split_id(id: &str) -> Option<(&str, &str)> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/microsoft.authorization/roleassignments/")?;
    let name = id.rsplit('/').next()?;
    Some((&id[..at], name))
}

/// The existing assignment grants the entry's role to its principal on its scope.
fn matches(d: &crate::arm::Desired, existing: &serde_json::Value) -> Result<(), String> {
    let text = |v: &serde_json::Value, p: &str| {
        crate::json_path::get(v, p)
            .and_then(serde_json::Value::as_str)
            .map(str::to_ascii_lowercase)
            .unwrap_or_default()
    };
    let role = |v: &serde_json::Value| {
        text(v, "properties.roleDefinitionId")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let scope = split_id(&d.id)
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    let theirs = text(existing, "properties.scope");
    if !theirs.is_empty() && theirs.trim_end_matches('/') != scope.trim_end_matches('/') {
        return Err(format!("it is scoped to {theirs}"));
    }
    if text(existing, "properties.principalId") != text(&d.body, "properties.principalId") {
        return Err("it is for another principal".into());
    }
    if role(existing) != role(&d.body) {
        return Err("it grants another role".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SCOPE: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w";
    const ROLE: &str = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7";

    fn entry() -> crate::arm::Desired {
        let mut d = crate::arm::lower::entry_for_tests(
            "role_assignment.r",
            &format!(
                "{SCOPE}/providers/Microsoft.Authorization/roleAssignments/0b1d7d3e-0000-5000-8000-000000000001"
            ),
        );
        d.kind = "role_assignment".into();
        d.body = json!({"properties": {"principalId": "P1", "roleDefinitionId": ROLE}});
        d
    }

    fn exists(message: &str) -> crate::provider::ArmError {
        crate::provider::ArmError {
            status: 409,
            code: "RoleAssignmentExists".into(),
            message: message.into(),
        }
    }

    #[test]
    fn the_existing_assignment_is_read_from_arms_message_at_the_entrys_scope() {
        let d = entry();
        let want = format!(
            "{SCOPE}/providers/Microsoft.Authorization/roleAssignments/5c1e0a9e-8f3b-4d6a-9b2e-7a41c0d3e8f1"
        );
        let plain = exists(
            "The role assignment already exists. The ID of the existing role assignment is 5c1e0a9e8f3b4d6a9b2e7a41c0d3e8f1.",
        );
        assert_eq!(existing_id(&d, &plain), Some(want.clone()));
        let hyphenated = exists(
            "The role assignment already exists. The ID of the existing role assignment is 5c1e0a9e-8f3b-4d6a-9b2e-7a41c0d3e8f1.",
        );
        assert_eq!(existing_id(&d, &hyphenated), Some(want));
        assert_eq!(
            existing_id(&d, &exists("The role assignment already exists.")),
            None
        );
        let other = crate::provider::ArmError {
            code: "Conflict".into(),
            ..plain
        };
        assert_eq!(existing_id(&d, &other), None);
    }

    #[test]
    fn only_an_assignment_of_the_same_scope_principal_and_role_is_adopted() {
        let d = entry();
        let existing = |scope: &str, principal: &str, role: &str| json!({"properties": {"scope": scope, "principalId": principal, "roleDefinitionId": role}});
        assert_eq!(
            matches(&d, &existing(&SCOPE.to_lowercase(), "p1", ROLE)),
            Ok(())
        );
        assert!(matches(&d, &existing("/subscriptions/s", "P1", ROLE)).is_err());
        assert!(matches(&d, &existing(SCOPE, "P2", ROLE)).is_err());
        let contributor = ROLE.replace(
            "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            "b24988ac-6180-42a0-ab88-20f7382dd24c",
        );
        assert!(matches(&d, &existing(SCOPE, "P1", &contributor)).is_err());
    }
}
