//! `compute_instance`: a personal Azure ML compute instance (`workspaces/computes` with
//! `computeType: ComputeInstance`).
//!
//! ARM has no in-place update for compute instances: almost everything is fixed at creation.
//! The two exceptions are changed through actions, not PUT: `vm_size` (the `resize` action) and
//! `idle_shutdown` (the `updateIdleShutdownSetting` action), as `COMPUTE_SEMANTICS`'s
//! `update_actions` say; a PUT that changes them is refused, the plan reads
//! `updated in-place via action resize` and apply POSTs the action. The stable api-version has
//! no action for schedules, so a `schedule` change is a replacement.

use super::descriptor::ReviewFact;
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

/// How an always-on VM may be bought for the forecast (`usage { reservation }`).
pub(crate) static RESERVATIONS: &[EnumValue] = &[
    EnumValue::new("none", "none"),
    EnumValue::new("1y", "1y"),
    EnumValue::new("3y", "3y"),
];

static USAGE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "running_hours_per_month",
            AttrType::Number,
            "",
            "Expected hours per month the instance is running (730 is always on), for the cost forecast.",
        ),
        AttrSchema::new(
            "reservation",
            AttrType::Enum(RESERVATIONS),
            "",
            "Price the instance at a reserved-instance rate (`1y`, `3y`) in the cost forecast; a reservation is paid all month.",
        )
        .default(DefaultValue::Str("none")),
    ],
    blocks: &[],
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "compute_instance",
    arm_type: "Microsoft.MachineLearningServices/workspaces/computes",
    api_version: "2025-12-01",
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
    cost: Some(cost),
    review: &[
        ReviewFact::NodePublicIp("node_public_ip"),
        ReviewFact::PublicSsh("ssh_public_access"),
        ReviewFact::LocalAuth("local_auth"),
        ReviewFact::Subnet("subnet"),
        ReviewFact::IdleShutdown("idle_shutdown"),
    ],
};

/// Working days a month and hours a working day the forecast assumes for an instance that
/// stops itself (idle shutdown, or a stop schedule without a start schedule).
const WORKING_DAYS: f64 = 22.0;
const WORKING_HOURS: f64 = 8.0;

/// `"M H * * DOW"` read as (hour of day, days a week); `None` for anything else (the
/// forecast then falls back to its working-day assumption).
fn daily_cron(cron: &str) -> Option<(f64, f64)> {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let [minute, hour, "*", "*", dow] = fields.as_slice() else {
        return None;
    };
    let minute: f64 = minute.parse().ok()?;
    let hour: f64 = hour.parse().ok()?;
    let mut days = [false; 7];
    for part in dow.split(',') {
        match part.split_once('-') {
            _ if part == "*" => days = [true; 7],
            Some((a, b)) => {
                let (a, b): (usize, usize) = (a.parse().ok()?, b.parse().ok()?);
                for d in a..=b.min(7) {
                    days[d % 7] = true;
                }
            }
            None => days[part.parse::<usize>().ok()? % 7] = true,
        }
    }
    let count = days.iter().filter(|d| **d).count() as f64;
    Some((hour + minute / 60.0, count))
}

/// The kind's cost model: the VM's hours at pay as you go (or a reservation, paid all month),
/// fewer than 730 when the instance stops itself; and the load balancer Azure ML bills for
/// every compute instance, every day.
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
    let usage_body = usage(resource);
    let reservation = VmRate::reservation(usage_body.and_then(|u| u.str("reservation")));
    let schedules: Vec<(&str, Option<(f64, f64)>)> = resource
        .body
        .blocks("schedule")
        .filter(|b| b.body.value("enabled").and_then(|v| v.as_bool()) != Some(false))
        .filter_map(|b| {
            Some((
                b.body.str("action")?,
                b.body.str("cron").and_then(daily_cron),
            ))
        })
        .collect();
    let start = schedules
        .iter()
        .find(|(a, _)| *a == "start")
        .and_then(|(_, c)| *c);
    let stop = schedules.iter().find(|(a, _)| *a == "stop");
    let idle = resource
        .body
        .str("idle_shutdown")
        .and_then(|d| crate::lang::duration::parse_duration(d).ok())
        .map(|d| d.as_secs_f64() / 3600.0);
    let mut advice = Vec::new();
    let (expected, why) = if let Some(rate) = reservation {
        let line = lines::vm_hours(
            ctx,
            &region,
            size,
            rate,
            Range::fixed(HOURS_PER_MONTH),
            "reserved: paid for all 730 hours whether running or not",
        );
        let lb = instance_balancer(ctx, &region);
        return crate::cost::KindCost::Billed(vec![line, lb], advice);
    } else if let Some(h) = usage_body.and_then(|u| number(u, "running_hours_per_month")) {
        (h.min(HOURS_PER_MONTH), format!("{h} hours a month (usage)"))
    } else if let (Some((on, days_on)), Some((_, Some((off, days_off))))) = (start, stop) {
        let per_day = (off - on).rem_euclid(24.0);
        let days = days_on.min(*days_off) * HOURS_PER_MONTH / 24.0 / 7.0;
        (
            (per_day * days).min(HOURS_PER_MONTH),
            format!(
                "started and stopped by its schedules: {per_day} h a day, {days_on} days a week"
            ),
        )
    } else if stop.is_some() || idle.is_some() {
        let extra = idle.unwrap_or(0.0);
        let what = match (stop.is_some(), idle) {
            (true, _) => "stopped by its schedule".to_string(),
            (false, Some(_)) => format!("stopped after {extra} h idle"),
            _ => String::new(),
        };
        let extra = if stop.is_some() { 0.0 } else { extra };
        (
            WORKING_DAYS * (WORKING_HOURS + extra),
            format!(
                "{what}: assumed in use {WORKING_HOURS} h on {WORKING_DAYS} working days a month"
            ),
        )
    } else {
        (
            HOURS_PER_MONTH,
            "running all month: no idle_shutdown, schedule or usage { running_hours_per_month }"
                .to_string(),
        )
    };
    let vm = lines::vm_hours(
        ctx,
        &region,
        size,
        VmRate::PayAsYouGo,
        Range::new(expected, expected, HOURS_PER_MONTH),
        format!("{why}; high: running all month"),
    );
    if idle.is_none()
        && schedules.is_empty()
        && let Some(p) = vm.unit_price
    {
        let saved = HOURS_PER_MONTH - WORKING_DAYS * (WORKING_HOURS + 1.0);
        advice.push(crate::cost::advice::Advice {
            address: resource.address.clone(),
            message: "no idle_shutdown and no schedule: the instance runs until someone stops it; idle_shutdown = \"1h\" stops it".into(),
            monthly_saving: saved * p,
        });
    }
    if expected >= HOURS_PER_MONTH
        && let (Some(p), Some(r)) = (
            vm.unit_price,
            ctx.price("vm", size, "reserved_1y", &region).amount,
        )
        && r < p
    {
        advice.push(crate::cost::advice::Advice {
            address: resource.address.clone(),
            message: "always on at pay as you go: usage { reservation = \"1y\" } prices a 1-year reservation".into(),
            monthly_saving: HOURS_PER_MONTH * (p - r),
        });
    }
    crate::cost::KindCost::Billed(vec![vm, instance_balancer(ctx, &region)], advice)
}

fn instance_balancer(ctx: &crate::cost::CostCtx<'_>, region: &str) -> crate::cost::CostLine {
    crate::cost::lines::load_balancers(
        ctx,
        region,
        crate::cost::Range::fixed(1.0),
        "one per compute instance, billed every day, running or not",
    )
}

#[cfg(test)]
mod cost_tests {
    use super::daily_cron;

    #[test]
    fn daily_crons_read_as_hour_and_days_a_week() {
        assert_eq!(daily_cron("0 20 * * *"), Some((20.0, 7.0)));
        assert_eq!(daily_cron("30 8 * * 1-5"), Some((8.5, 5.0)));
        assert_eq!(daily_cron("0 8 * * 0,6"), Some((8.0, 2.0)));
        assert_eq!(daily_cron("0 8 1 * *"), None);
        assert_eq!(daily_cron("x"), None);
    }
}
