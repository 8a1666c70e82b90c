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
