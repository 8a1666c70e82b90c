//! `compute_instance`: a personal Azure ML compute instance (`workspaces/computes` with
//! `computeType: ComputeInstance`).
//!
//! ARM has no in-place update for compute instances: almost everything is fixed at creation.
//! The two exceptions are changed through actions, not PUT: `vm_size` (the `resize` action) and
//! `idle_shutdown` (the `updateIdleShutdownSetting` action).

use super::meta::IDENTITY_BODY;
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, ExportSchema, IdTemplate,
    KindSchema, NestedSchema, Wire,
};
use crate::azure::names::NameRule;

static ASSIGNED_USER: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "object_id",
            AttrType::Guid,
            "objectId",
            "The Microsoft Entra object ID of the user the instance belongs to.",
        )
        .required()
        .create_only(),
        AttrSchema::new(
            "tenant_id",
            AttrType::Guid,
            "tenantId",
            "The Microsoft Entra tenant ID of that user.",
        )
        .required()
        .create_only(),
    ],
    blocks: &[],
};

static SCHEDULE_ACTIONS: &[EnumValue] = &[
    EnumValue::new("start", "Start"),
    EnumValue::new("stop", "Stop"),
];

// Each `schedule "NAME"` block is one element of `computeStartStop`; the label is not sent. The
// lowering sets `triggerType: "Cron"` and sends `enabled` as `status: Enabled|Disabled`.
static SCHEDULE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "action",
            AttrType::Enum(SCHEDULE_ACTIONS),
            "action",
            "Whether the schedule starts or stops the instance.",
        )
        .required()
        .create_only(),
        AttrSchema::new(
            "cron",
            AttrType::String,
            "cron.expression",
            "When the action runs, as a five-field cron expression (`\"0 20 * * 1-5\"`).",
        )
        .required()
        .create_only(),
        AttrSchema::new(
            "time_zone",
            AttrType::String,
            "cron.timeZone",
            "The Windows time-zone name the cron expression is read in (`\"UTC\"`, `\"W. Europe Standard Time\"`).",
        )
        .default(DefaultValue::Str("UTC"))
        .create_only(),
        AttrSchema::new(
            "enabled",
            AttrType::Bool,
            "status",
            "Whether the schedule is active.",
        )
        .wire(Wire::EnabledDisabled)
        .default(DefaultValue::Bool(true))
        .create_only(),
    ],
    blocks: &[],
};

static USAGE: BlockSchema = BlockSchema {
    attrs: &[AttrSchema::new(
        "running_hours_per_month",
        AttrType::Number,
        "",
        "Expected hours per month the instance is running (730 is always on), for the cost forecast.",
    )],
    blocks: &[],
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "compute_instance",
    arm_type: "Microsoft.MachineLearningServices/workspaces/computes",
    api_version: "2025-09-01",
    name_rule: NameRule::Compute,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A single-user development VM (compute instance) with Jupyter, VS Code and a terminal, assigned to one user.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the instance belongs to.",
            )
            .required()
            .create_only(),
            // Updated in place through the `resize` action (the instance must be stopped).
            AttrSchema::new(
                "vm_size",
                AttrType::VmSize,
                "properties.properties.vmSize",
                "The VM size of the instance (`Standard_DS3_v2`).",
            )
            .required(),
            // Updated in place through the `updateIdleShutdownSetting` action.
            AttrSchema::new(
                "idle_shutdown",
                AttrType::Duration {
                    min_secs: Some(15 * 60),
                    max_secs: Some(3 * 86_400),
                },
                "properties.properties.idleTimeBeforeShutdown",
                "How long the instance may sit idle before it is stopped, from 15m to 3d.",
            ),
            AttrSchema::new(
                "subnet",
                AttrType::ArmId(&["Microsoft.Network/virtualNetworks/subnets"]),
                "properties.properties.subnet.id",
                "ARM ID of the existing subnet the instance joins (none: the workspace's managed network or Azure's default network).",
            )
            .create_only(),
            // Azure's default is true; amlplan's is the secure one.
            AttrSchema::new(
                "node_public_ip",
                AttrType::Bool,
                "properties.properties.enableNodePublicIp",
                "Whether the instance gets a public IP address (default false, which needs a `subnet` or a workspace managed network).",
            )
            .default(DefaultValue::Bool(false))
            .create_only(),
            // Bool in the manifest, `sshSettings.sshPublicAccess: Enabled|Disabled` on the wire.
            AttrSchema::new(
                "ssh_public_access",
                AttrType::Bool,
                "properties.properties.sshSettings.sshPublicAccess",
                "Whether the instance's SSH port is open to the public internet (default false).",
            )
            .wire(Wire::EnabledDisabled)
            .default(DefaultValue::Bool(false))
            .create_only(),
            AttrSchema::new(
                "ssh_public_key",
                AttrType::String,
                "properties.properties.sshSettings.adminPublicKey",
                "The SSH public key (OpenSSH format) allowed to log in to the instance.",
            )
            .create_only(),
            // ARM's flag is `disableLocalAuth`, the negation.
            AttrSchema::new(
                "local_auth",
                AttrType::Bool,
                "properties.disableLocalAuth",
                "Whether the instance accepts key-based (local) authentication besides Microsoft Entra ID (default false).",
            )
            .wire(Wire::Negated)
            .default(DefaultValue::Bool(false))
            .create_only(),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of the instance.",
            )
            .create_only(),
        ],
        blocks: &[
            NestedSchema {
                name: "assigned_user",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &ASSIGNED_USER,
                arm_path: "properties.properties.personalComputeInstanceSettings.assignedUser",
                create_only: true,
                doc: "The user the instance is created for, when it is not the identity running amlplan.",
            },
            NestedSchema {
                name: "schedule",
                labels: 1,
                min: 0,
                max: None,
                body: &SCHEDULE,
                arm_path: "properties.properties.schedules.computeStartStop",
                create_only: true,
                doc: "A named start or stop schedule for the instance.",
            },
            NestedSchema {
                name: "identity",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &IDENTITY_BODY,
                arm_path: "identity",
                create_only: true,
                doc: "The managed identity the instance uses to reach other Azure resources.",
            },
            NestedSchema {
                name: "usage",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &USAGE,
                arm_path: "",
                create_only: false,
                doc: "Expected usage, used only by the cost forecast.",
            },
        ],
    },
    exports: &[ExportSchema {
        name: "principal_id",
            arm_path: "identity.principalId",
        doc: "The object ID of the instance's system-assigned identity.",
    }],
    id: IdTemplate::Child { parent: "workspace" },
    behavior: super::compute_cluster::COMPUTE_BEHAVIOR,
    semantics: &super::compute_cluster::COMPUTE_SEMANTICS,
    constants: &[("properties.computeType", "ComputeInstance")],
    lower: Some(crate::arm::lower::compute::instance),
    children: &[],
    role_scope: true,
    checks: &[crate::check::rules::check_compute_network],
    cost: None,
    review: &[],
};
