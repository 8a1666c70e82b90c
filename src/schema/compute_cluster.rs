//! `compute_cluster`: an autoscaling Azure ML compute cluster (`workspaces/computes` with
//! `computeType: AmlCompute`).
//!
//! Only the scale settings (and identity, tags) can change in place; everything else that
//! defines the nodes is fixed at creation, as terraform azurerm treats it.
//!
//! Networks (`check::rules::check_compute_network`, E0712/E0713; the emulator refuses the
//! subnet case too): a workspace with a managed network runs its computes in that network and
//! cannot place them in a custom VNet subnet, and nodes without public IPs need a subnet or a
//! managed network (Azure ML docs, "Workspace managed virtual network isolation" →
//! Limitations, and "Compute instance/cluster with no public IP"; learn.microsoft.com
//! /azure/machine-learning/how-to-managed-network). Both apply to compute instances alike.

use super::descriptor::ReviewFact;
use super::meta::IDENTITY;
use super::semantics::{ArmSemantics, Family, Lro, LroStyle, OperationUrls, UpdateAction};
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, ExportSchema, IdTemplate,
    KindBehavior, KindSchema, NestedSchema, Wire,
};
use crate::azure::names::NameRule;

// AmlCompute's `vmPriority` only has `Dedicated` and `LowPriority`. Since the low-priority VM
// offering was retired (2026-03-31), clusters created with `LowPriority` run on Spot capacity,
// so `spot` is sent as `LowPriority`; `low_priority` is kept as a deprecated alias of it.
static PRIORITIES: &[EnumValue] = &[
    EnumValue::new("dedicated", "Dedicated"),
    EnumValue::new("spot", "LowPriority"),
    EnumValue::deprecated("low_priority", "LowPriority"),
];

static OS_TYPES: &[EnumValue] = &[
    EnumValue::new("linux", "Linux"),
    EnumValue::new("windows", "Windows"),
];

static SSH: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "admin_username",
            AttrType::String,
            "adminUserName",
            "The name of the administrator account created on each node.",
        )
        .required()
        .create_only(),
        AttrSchema::new(
            "admin_password",
            AttrType::String,
            "adminUserPassword",
            "The administrator account's password (prefer `public_key`).",
        )
        .create_only()
        .sensitive(),
        AttrSchema::new(
            "public_key",
            AttrType::String,
            "adminUserSshPublicKey",
            "The SSH public key (OpenSSH format) allowed to log in as the administrator.",
        )
        .create_only(),
    ],
    blocks: &[],
};

static USAGE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "node_hours_per_month",
            AttrType::Number,
            "",
            "Expected node-hours per month, summed over all nodes, for the cost forecast.",
        ),
        AttrSchema::new(
            "reservation",
            AttrType::Enum(super::compute_instance::RESERVATIONS),
            "",
            "Price the `min_nodes` nodes, which run all month, at a reserved-instance rate (`1y`, `3y`) in the cost forecast; nodes above them keep the cluster's priority's rate.",
        )
        .default(DefaultValue::Str("none")),
    ],
    blocks: &[],
};

/// How ARM treats computes (clusters and instances are both `workspaces/computes`).
pub(crate) const COMPUTE_BEHAVIOR: KindBehavior = KindBehavior {
    case_insensitive_paths: &[
        "location",
        "properties.properties.vmSize",
        "properties.properties.subnet.id",
    ],
    // A password is never read back.
    server_paths: &["properties.properties.userAccountCredentials.adminUserPassword"],
    // Deleting a compute ARM created must delete its VMs too (`Detach` is for attached ones).
    delete_query: &[("underlyingResourceAction", "Delete")],
    ..KindBehavior::PLAIN
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "compute_cluster",
    arm_type: "Microsoft.MachineLearningServices/workspaces/computes",
    api_version: "2025-12-01",
    name_rule: NameRule::Compute,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A compute cluster (AmlCompute) that scales between `min_nodes` and `max_nodes` to run training and batch jobs.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the cluster belongs to.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "vm_size",
                AttrType::VmSize,
                "properties.properties.vmSize",
                "The VM size of each node (`Standard_DS3_v2`).",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "priority",
                AttrType::Enum(PRIORITIES),
                "properties.properties.vmPriority",
                "Whether nodes are dedicated VMs or cheaper, evictable Spot VMs.",
            )
            .default(DefaultValue::Str("dedicated"))
            .create_only(),
            AttrSchema::new(
                "min_nodes",
                AttrType::Integer {
                    min: Some(0),
                    max: None,
                },
                "properties.properties.scaleSettings.minNodeCount",
                "The number of nodes kept running when idle (0 lets the cluster scale to nothing).",
            )
            .default(DefaultValue::Int(0)),
            AttrSchema::new(
                "max_nodes",
                AttrType::Integer {
                    min: Some(1),
                    max: None,
                },
                "properties.properties.scaleSettings.maxNodeCount",
                "The largest number of nodes the cluster scales up to (at least 1).",
            )
            .required(),
            AttrSchema::new(
                "scale_down_after",
                AttrType::Duration {
                    min_secs: None,
                    max_secs: None,
                },
                "properties.properties.scaleSettings.nodeIdleTimeBeforeScaleDown",
                "How long a node stays idle before it is released.",
            )
            .default(DefaultValue::Str("2m")),
            AttrSchema::new(
                "subnet",
                AttrType::ArmId(&["Microsoft.Network/virtualNetworks/subnets"]),
                "properties.properties.subnet.id",
                "ARM ID of the existing subnet the nodes join (none: the workspace's managed network or Azure's default network).",
            )
            .create_only(),
            // Azure's default is true; amlplan's is the secure one.
            AttrSchema::new(
                "node_public_ip",
                AttrType::Bool,
                "properties.properties.enableNodePublicIp",
                "Whether nodes get public IP addresses (default false, which needs a `subnet` or a workspace managed network).",
            )
            .default(DefaultValue::Bool(false))
            .create_only(),
            // Bool in the manifest, `remoteLoginPortPublicAccess: Enabled|Disabled` on the wire.
            AttrSchema::new(
                "ssh_public_access",
                AttrType::Bool,
                "properties.properties.remoteLoginPortPublicAccess",
                "Whether the nodes' SSH port is open to the public internet (default false).",
            )
            .wire(Wire::EnabledDisabled)
            .default(DefaultValue::Bool(false))
            .create_only(),
            // ARM's flag is `disableLocalAuth`, the negation.
            AttrSchema::new(
                "local_auth",
                AttrType::Bool,
                "properties.disableLocalAuth",
                "Whether the cluster accepts key-based (local) authentication besides Microsoft Entra ID (default false).",
            )
            .wire(Wire::Negated)
            .default(DefaultValue::Bool(false))
            .create_only(),
            AttrSchema::new(
                "os_type",
                AttrType::Enum(OS_TYPES),
                "properties.properties.osType",
                "The operating system of the nodes.",
            )
            .default(DefaultValue::Str("linux"))
            .create_only(),
            // Terraform forces a new cluster when it changes: ARM only patches scale settings.
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of the cluster.",
            )
            .create_only(),
        ],
        blocks: &[
            IDENTITY,
            NestedSchema {
                name: "ssh",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &SSH,
                arm_path: "properties.properties.userAccountCredentials",
                create_only: true,
                doc: "The administrator account created on every node, for SSH access.",
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
        doc: "The object ID of the cluster's system-assigned identity.",
    }],
    id: IdTemplate::Child { parent: "workspace" },
    behavior: COMPUTE_BEHAVIOR,
    semantics: &COMPUTE_SEMANTICS,
    constants: &[("properties.computeType", "AmlCompute")],
    lower: None,
    children: &[],
    role_scope: true,
    checks: &[
        crate::check::rules::check_nodes,
        crate::check::rules::check_priority,
        crate::check::rules::check_compute_network,
        check_reservation,
    ],
    cost: Some(cost),
    review: &[
        ReviewFact::NodePublicIp("node_public_ip"),
        ReviewFact::PublicSsh("ssh_public_access"),
        ReviewFact::LocalAuth("local_auth"),
        ReviewFact::Subnet("subnet"),
        ReviewFact::MinNodes("min_nodes"),
    ],
};

/// A reservation pays for nodes all month, so it only fits the nodes that never scale away
/// (`min_nodes`), and not Spot nodes, which a reservation does not cover (W0104).
fn check_reservation(
    resource: &crate::model::Resource,
    _: &crate::check::rules::RuleCtx<'_>,
    diags: &mut crate::diagnostic::Diagnostics,
) {
    let Some(attr) = crate::cost::usage(resource).and_then(|u| u.attr("reservation")) else {
        return;
    };
    if !matches!(attr.value.as_str(), Some("1y" | "3y")) {
        return;
    }
    let why = if matches!(resource.body.str("priority"), Some("spot" | "low_priority")) {
        Some("the cluster runs on Spot nodes, which a reservation does not cover")
    } else if crate::cost::number(&resource.body, "min_nodes").unwrap_or(0.0) <= 0.0 {
        Some("min_nodes is 0: no node runs all month to use it")
    } else {
        None
    };
    if let Some(why) = why {
        diags.push(crate::diagnostics::cost::reservation_not_always_on(
            why, attr.span,
        ));
    }
}

/// The kind's cost model: nodes at the VM's rate (Spot for `spot`) from `min_nodes` running
/// all month (low) to `max_nodes` running all month (high), the expected figure from
/// `usage { node_hours_per_month }`; with `usage { reservation }`, the `min_nodes` nodes at
/// the reserved rate on a line of their own; and the load balancer Azure ML bills per 50
/// nodes.
fn cost(
    resource: &crate::model::Resource,
    ctx: &crate::cost::CostCtx<'_>,
) -> crate::cost::KindCost {
    use crate::cost::lines::{self, VmRate};
    use crate::cost::{HOURS_PER_MONTH, Range, number, usage};
    let region = ctx.region(resource);
    let Some(size) = resource.body.str("vm_size") else {
        return crate::cost::KindCost::Free("its VM size is known only after apply".into());
    };
    let min = number(&resource.body, "min_nodes").unwrap_or(0.0).max(0.0);
    let max = number(&resource.body, "max_nodes").unwrap_or(min).max(min);
    let spot = matches!(resource.body.str("priority"), Some("spot" | "low_priority"));
    let rate = if spot {
        VmRate::Spot
    } else {
        VmRate::PayAsYouGo
    };
    // Reserved nodes are dedicated ones running all month; W0104 says when that is not so.
    let reservation = VmRate::reservation(usage(resource).and_then(|u| u.str("reservation")))
        .filter(|_| !spot && min > 0.0);
    let floor = min * HOURS_PER_MONTH;
    let used = usage(resource).and_then(|u| number(u, "node_hours_per_month"));
    let (expected, why) = match used {
        Some(h) if h > floor => (h, format!("{h} node-hours a month (usage)")),
        Some(h) => (
            floor,
            format!("{h} node-hours a month (usage), but min_nodes = {min} keeps {floor} running"),
        ),
        None => (
            floor,
            format!("min_nodes = {min} running all month (no usage {{ node_hours_per_month }})"),
        ),
    };
    let mut advice = Vec::new();
    let mut vm_lines = Vec::new();
    let vm = match reservation {
        Some(reserved) => {
            vm_lines.push(lines::vm_hours(
                ctx,
                &region,
                size,
                reserved,
                Range::fixed(floor),
                format!(
                    "min_nodes = {min} reserved: paid for all 730 hours whether running or not"
                ),
            ));
            lines::vm_hours(
                ctx,
                &region,
                size,
                rate,
                Range::new(0.0, expected - floor, (max - min) * HOURS_PER_MONTH),
                format!(
                    "{why}; nodes above the {min} reserved: none (low), max_nodes = {max} all month (high)"
                ),
            )
        }
        None => lines::vm_hours(
            ctx,
            &region,
            size,
            rate,
            Range::new(floor, expected, max * HOURS_PER_MONTH),
            format!("{why}; low: min_nodes = {min} all month; high: max_nodes = {max} all month"),
        ),
    };
    // What the min_nodes nodes cost an hour: reserved, or at the cluster's rate.
    let floor_price = vm_lines.first().map_or(vm.unit_price, |l| l.unit_price);
    if min > 0.0
        && let Some(p) = floor_price
    {
        advice.push(crate::cost::advice::Advice {
            address: resource.address.clone(),
            message: format!(
                "min_nodes = {min} keeps nodes running while idle; min_nodes = 0 scales to nothing"
            ),
            monthly_saving: floor * p,
        });
    }
    if !spot
        && reservation.is_none()
        && min > 0.0
        && let (Some(p), Some(r)) = (
            vm.unit_price,
            ctx.price("vm", size, "reserved_1y", &region).amount,
        )
        && r < p
    {
        advice.push(crate::cost::advice::Advice {
            address: resource.address.clone(),
            message: format!(
                "min_nodes = {min} run all month at pay as you go: usage {{ reservation = \"1y\" }} prices them at a 1-year reservation"
            ),
            monthly_saving: floor * (p - r),
        });
    }
    if !spot
        && let (Some(payg), Some(spot_price)) =
            (vm.unit_price, ctx.price("vm", size, "spot", &region).amount)
        && spot_price < payg
    {
        advice.push(crate::cost::advice::Advice {
            address: resource.address.clone(),
            message: format!(
                "{size} has a Spot price ({spot_price}/h against {payg}/h): priority = \"spot\" suits jobs that can be retried"
            ),
            monthly_saving: vm.quantity.expected * (payg - spot_price),
        });
    }
    // One balancer per started 50 nodes while nodes exist.
    let balancers = |n: f64| (n / 50.0).ceil();
    let lb = lines::load_balancers(
        ctx,
        &region,
        Range::new(balancers(min), balancers(min), balancers(max)),
        "one per 50 nodes while nodes exist: min_nodes all month (low, expected), max_nodes all month (high)",
    );
    vm_lines.push(vm);
    vm_lines.push(lb);
    crate::cost::KindCost::Billed(vm_lines, advice)
}

const INSTANCE: &[(&str, &str)] = &[("properties.computeType", "ComputeInstance")];

/// What ARM enforces on computes (clusters and instances alike; each kind's `create_only`
/// attributes apply to the bodies its `computeType` constant matches).
pub(crate) static COMPUTE_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/computes",
    // The discriminator.
    create_only: &["properties.computeType"],
    read_only: &[
        "properties.createdOn",
        "properties.modifiedOn",
        "properties.isAttachedCompute",
        "properties.provisioningErrors",
        "properties.properties.allocationState",
        "properties.properties.allocationStateTransitionTime",
        "properties.properties.currentNodeCount",
        "properties.properties.targetNodeCount",
        "properties.properties.nodeStateCounts",
        "properties.properties.errors",
        "properties.properties.state",
        // Compute instances.
        "properties.properties.applications",
        "properties.properties.connectivityEndpoints",
        "properties.properties.containers",
        "properties.properties.createdBy",
        "properties.properties.dataDisks",
        "properties.properties.dataMounts",
        "properties.properties.lastOperation",
        "properties.properties.osImageMetadata",
        "properties.properties.versions",
        "properties.properties.sshSettings.adminUserName",
        "properties.properties.sshSettings.sshPort",
    ],
    secrets: &["properties.properties.userAccountCredentials.adminUserPassword"],
    // A compute instance's size and idle shutdown change only through these POST actions
    // (machineLearningServices.json 2025-12-01: `Compute_Resize`, body `ResizeSchema`;
    // `Compute_UpdateIdleShutdownSetting`, body `IdleShutdownSetting`); a PUT that changes
    // them is refused. There is no schedules action in the stable api-version: schedules
    // are create-only (`schema::compute_instance`).
    update_actions: &[
        UpdateAction {
            path: "properties.properties.vmSize",
            action: "resize",
            arg: "targetVMSize",
            when: INSTANCE,
        },
        UpdateAction {
            path: "properties.properties.idleTimeBeforeShutdown",
            action: "updateIdleShutdownSetting",
            arg: "idleTimeBeforeShutdown",
            when: INSTANCE,
        },
    ],
    // machineLearningServices.json 2025-12-01: Compute_Delete answers 202 with both
    // `Azure-AsyncOperation` and `Location`.
    lro: LroStyle {
        delete: Lro::AcceptedWithBoth,
        ..LroStyle::ASYNC_PUT
    },
    operation_urls: OperationUrls::MachineLearning,
    requires_location: true,
    family: Family::Compute,
    source: "readOnly flags of bicep-types 2025-12-01 (generated from machineLearningServices.json), arm-api.md §2",
    ..ArmSemantics::PLAIN
};
