//! `online_deployment`: a managed online deployment (`workspaces/onlineEndpoints/deployments`),
//! the model, environment, code and VMs behind an online endpoint.
//!
//! Only `instance_type` is fixed at creation; every other change is a rolling update.
//!
//! `data_collector` is the deployment's model data collector (mfe.json 2025-12-01
//! `OnlineDeployment.dataCollector`, `DataCollector`: `collections` required, a map of name to
//! `Collection` {`clientId`, `dataCollectionMode` `Enabled`/`Disabled` (default `Disabled`),
//! `dataId`, `samplingRate` (a double, default 1: "1.0 means we collect 100% of data")},
//! `requestLogging.captureHeaders`, `rollingRate` `Minute`/`Hour`/`Day`/`Month`/`Year`
//! (default `Hour`)). Nothing in it is `x-ms-mutability`-restricted, so a change is a PUT in
//! place. A collection is a labelled block (`collection "model_inputs" { ... }`) rather than a
//! map attribute, as a monitor's `signal "NAME"` and a Kubernetes compute's `instance_type
//! "NAME"` are: each entry of the ARM map has a body of its own that is checked attribute by
//! attribute (the sampling rate, the data asset) and documented, which a map of objects is not.
//! The names the monitor reads are `model_inputs` and `model_outputs` (the custom logging
//! names az ml documents; its data assets are `{endpoint}-{deployment}-{collection}`);
//! `request` and `response` are payload logging; any other name is custom logging. The
//! collector is for managed and Kubernetes deployments alike (the data collection docs: "Support
//! for managed online endpoints and Kubernetes online endpoints").

use super::descriptor::ReviewFact;
use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    ArmTypeSchema, AttrSchema, AttrType, BlockSchema, DefaultValue, IdTemplate, KindBehavior,
    KindSchema, LoweredAt, NestedSchema, Wire,
};
use crate::azure::names::NameRule;

/// The body of the `code` block, shared with `batch_deployment` (ARM `codeConfiguration`).
/// The directory is uploaded as a code asset and its ID sent as `codeId`.
pub static CODE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "path",
            AttrType::DirPath,
            "",
            "The directory holding the scoring code, relative to the manifest file; it is uploaded as a code asset whose version is its content hash (files its `.amlignore`, else `.gitignore`, names are left out), so any change is a new version and a rolling update.",
        )
        .required(),
        AttrSchema::new(
            "scoring_script",
            AttrType::String,
            "scoringScript",
            "The script that loads the model and answers requests, relative to `path` (`score.py`).",
        )
        .required(),
    ],
    blocks: &[],
};

/// The `code` block as online and batch deployments use it.
pub static CODE_BLOCK: NestedSchema = NestedSchema {
    name: "code",
    labels: 0,
    min: 0,
    max: Some(1),
    body: &CODE,
    arm_path: "properties.codeConfiguration",
    create_only: false,
    doc: "The scoring code, for models that are not MLflow models.",
};

const DURATION: AttrType = AttrType::Duration {
    min_secs: None,
    max_secs: None,
};

const POSITIVE: AttrType = AttrType::Integer {
    min: Some(1),
    max: None,
};

// Managed online deployments take only `scaleType: "Default"` (a fixed `sku.capacity`);
// `TargetUtilization` is for Kubernetes deployments (mfe.json 2025-09-01: "defaults to
// TargetUtilizationScaleSettings for KubernetesOnlineDeployment and to DefaultScaleSettings for
// ManagedOnlineDeployment"; the azure-ai-ml SDK refuses anything else for managed ones). So a
// `scale` block is an autoscale setting of its own (`Microsoft.Insights/autoscalesettings`,
// the `autoscale_setting` entry) that targets the deployment and changes its `sku.capacity`
// on CPU utilisation; `instance_count` is then the capacity it starts from.
static SCALE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "min_instances",
            AttrType::Integer {
                min: Some(0),
                max: None,
            },
            "",
            "The fewest instances the autoscaler keeps (default 1).",
        )
        .wire(Wire::DecimalText)
        .lowered_at(&[LoweredAt::entry(
            "autoscale_setting",
            "properties.profiles.0.capacity.minimum",
        )]),
        AttrSchema::new(
            "max_instances",
            POSITIVE,
            "",
            "The most instances the autoscaler scales up to; quota is reserved for all of them (default 1).",
        )
        .wire(Wire::DecimalText)
        .lowered_at(&[LoweredAt::entry(
            "autoscale_setting",
            "properties.profiles.0.capacity.maximum",
        )]),
        AttrSchema::new(
            "target_utilization",
            AttrType::Integer {
                min: Some(1),
                max: Some(100),
            },
            "",
            "The average CPU utilisation, in percent from 1 to 100, above which an instance is added (below half of it, one is removed; default 70).",
        )
        // The scale-out rule's threshold; the scale-in rule's (half of it) is derived.
        .lowered_at(&[LoweredAt::entry(
            "autoscale_setting",
            "properties.profiles.0.rules.0.metricTrigger.threshold",
        )]),
        AttrSchema::new(
            "polling_interval",
            // Azure Monitor's bounds of an autoscale rule's `timeWindow`.
            AttrType::Duration {
                min_secs: Some(300),
                max_secs: Some(43_200),
            },
            "",
            "The window over which CPU utilisation is averaged before the autoscaler acts, from 5m to 12h (default 5m).",
        )
        // Both rules average over it; the plan names it at the scale-out rule.
        .lowered_at(&[LoweredAt::entry(
            "autoscale_setting",
            "properties.profiles.0.rules.0.metricTrigger.timeWindow",
        )]),
    ],
    blocks: &[],
};

/// The body of the probe blocks (ARM `ProbeSettings`); Azure's defaults apply to what is absent.
pub static PROBE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "initial_delay",
            DURATION,
            "initialDelay",
            "How long after the container starts the first probe is sent (Azure's default is 10s).",
        ),
        AttrSchema::new(
            "period",
            DURATION,
            "period",
            "The time between probes (Azure's default is 10s).",
        ),
        AttrSchema::new(
            "timeout",
            DURATION,
            "timeout",
            "How long a probe may take before it counts as failed (Azure's default is 2s).",
        ),
        AttrSchema::new(
            "failure_threshold",
            POSITIVE,
            "failureThreshold",
            "Consecutive failed probes before the container is considered unhealthy (Azure's default is 30).",
        ),
        AttrSchema::new(
            "success_threshold",
            POSITIVE,
            "successThreshold",
            "Consecutive successful probes before the container is considered healthy again (Azure's default is 1).",
        ),
    ],
    blocks: &[],
};

static USAGE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "hours_per_month",
            AttrType::Number,
            "",
            "Expected hours per month the deployment exists (730 is always on), for the cost forecast.",
        ),
        AttrSchema::new(
            "reservation",
            AttrType::Enum(super::compute_instance::RESERVATIONS),
            "",
            "Price the instances at a reserved-instance rate (`1y`, `3y`) in the cost forecast; a reservation is paid all month.",
        )
        .default(DefaultValue::Str("none")),
    ],
    blocks: &[],
};

/// Where the kind's hook puts the collections (a map keyed by the blocks' labels).
pub const COLLECTIONS: &str = "properties.dataCollector.collections";

static ROLLING_RATES: &[super::EnumValue] = &[
    super::EnumValue::new("minute", "Minute"),
    super::EnumValue::new("hour", "Hour"),
    super::EnumValue::new("day", "Day"),
    super::EnumValue::new("month", "Month"),
    super::EnumValue::new("year", "Year"),
];

static HEADER: AttrType = AttrType::String;

/// One collection (ARM `Collection`); its attributes' paths are relative to the collection's
/// entry in `collections`, where the kind's hook places it (`@` in their `lowered_at` paths is
/// the collection's label).
pub static COLLECTION: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "enabled",
            AttrType::Bool,
            "dataCollectionMode",
            "Whether the collection collects (default true: a collection is written to be collected; Azure's own default is `Disabled`).",
        )
        .wire(Wire::EnabledDisabled)
        .default(DefaultValue::Bool(true))
        .lowered_at(&[LoweredAt::own(
            "properties.dataCollector.collections.@.dataCollectionMode",
        )]),
        AttrSchema::new(
            "sampling_rate",
            AttrType::Number,
            "samplingRate",
            "The share of requests collected, from 0 to 1 (Azure's default is 1, all of them).",
        )
        .lowered_at(&[LoweredAt::own(
            "properties.dataCollector.collections.@.samplingRate",
        )]),
        AttrSchema::new(
            "data",
            AttrType::RefOrArmId {
                kinds: &["data_asset"],
                arm_types: &["Microsoft.MachineLearningServices/workspaces/data/versions"],
            },
            "dataId",
            "The `uri_folder` data asset of the deployment's workspace the collected data is registered as (by default Azure registers `ENDPOINT-DEPLOYMENT-COLLECTION` on the workspace's blob store).",
        )
        .lowered_at(&[LoweredAt::own("properties.dataCollector.collections.@.dataId")]),
        AttrSchema::new(
            "client_id",
            AttrType::String,
            "clientId",
            "The client ID of the managed identity that writes to storage (by default one of the endpoint's identities).",
        )
        .lowered_at(&[LoweredAt::own("properties.dataCollector.collections.@.clientId")]),
    ],
    blocks: &[],
};

static DATA_COLLECTOR: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "rolling_rate",
            AttrType::Enum(ROLLING_RATES),
            "rollingRate",
            "How often the collected data rolls to a new blob path: `minute`, `hour`, `day`, `month` or `year` (Azure's default is hour).",
        ),
        AttrSchema::new(
            "capture_headers",
            AttrType::List(&HEADER),
            "requestLogging.captureHeaders",
            "Request headers collected along with the payload by payload logging (the `request` collection).",
        ),
    ],
    blocks: &[NestedSchema {
        name: "collection",
        labels: 1,
        min: 1,
        max: None,
        body: &COLLECTION,
        // Lowered by the kind's hook, as a map keyed by the label.
        arm_path: "",
        create_only: false,
        doc: "A collection by name: `model_inputs` and `model_outputs` (custom logging from the scoring script, what a monitor reads), `request` and `response` (payload logging), or a custom name.",
    }],
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "online_deployment",
    arm_type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
    api_version: "2025-12-01",
    name_rule: NameRule::Deployment,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A managed online deployment: a model served by dedicated VMs behind an online endpoint, which routes traffic to it by name.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "endpoint",
                AttrType::Ref(&["online_endpoint"]),
                "",
                "The online endpoint the deployment serves.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "model",
                AttrType::RefOrArmId {
                    kinds: &["model"],
                    arm_types: &[],
                },
                "properties.model",
                "The model version to serve.",
            ),
            AttrSchema::new(
                "environment",
                AttrType::RefOrArmId {
                    kinds: &["environment"],
                    arm_types: &[],
                },
                "properties.environmentId",
                "The environment version the scoring container runs (not needed for MLflow models).",
            ),
            // A VM size, or on a Kubernetes cluster one of its instance types: checked by
            // `kubernetes_compute::check_deployment_compute`, not by its type.
            AttrSchema::new(
                "instance_type",
                AttrType::String,
                "properties.instanceType",
                "The VM size of each instance (`Standard_DS3_v2`), or with `compute` one of the cluster's instance types.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "compute",
                AttrType::Ref(&["kubernetes_compute"]),
                "",
                "An attached Kubernetes cluster to run on instead of managed VMs (a Kubernetes deployment).",
            )
            .create_only(),
            AttrSchema::new(
                "instance_count",
                POSITIVE,
                "sku.capacity",
                "The number of instances (at least 1); with `scale`, the capacity the autoscaler starts from and then changes.",
            )
            .default(DefaultValue::Int(1)),
            AttrSchema::new(
                "request_timeout",
                AttrType::Duration {
                    min_secs: Some(1),
                    max_secs: Some(180),
                },
                "properties.requestSettings.requestTimeout",
                "How long a scoring request may take, from 1s to 3m (Azure's default is 5s).",
            ),
            AttrSchema::new(
                "max_concurrent_requests_per_instance",
                POSITIVE,
                "properties.requestSettings.maxConcurrentRequestsPerInstance",
                "How many requests one instance handles at a time (Azure's default is 1).",
            ),
            // Bool in the manifest, `Enabled`/`Disabled` on the wire.
            AttrSchema::new(
                "egress_public_network_access",
                AttrType::Bool,
                "properties.egressPublicNetworkAccess",
                "Whether the deployment may make outbound calls to the public internet (default false).",
            )
            .wire(Wire::EnabledDisabled)
            .default(DefaultValue::Bool(false)),
            AttrSchema::new(
                "environment_variables",
                AttrType::Map(&AttrType::String),
                "properties.environmentVariables",
                "Environment variables set in the scoring container.",
            ),
            AttrSchema::new(
                "app_insights",
                AttrType::Bool,
                "properties.appInsightsEnabled",
                "Whether request logs and metrics are sent to the workspace's Application Insights.",
            )
            .default(DefaultValue::Bool(false)),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of the deployment.",
            ),
        ],
        blocks: &[
            CODE_BLOCK,
            NestedSchema {
                name: "scale",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &SCALE,
                // Lowered to the `autoscale_setting` entry.
                arm_path: "",
                create_only: false,
                doc: "Autoscaling on CPU utilisation through an Azure Monitor autoscale setting of its own, starting from `instance_count`.",
            },
            NestedSchema {
                name: "liveness_probe",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &PROBE,
                arm_path: "properties.livenessProbe",
                create_only: false,
                doc: "How Azure checks that the scoring container is alive (it is restarted when not).",
            },
            NestedSchema {
                name: "readiness_probe",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &PROBE,
                arm_path: "properties.readinessProbe",
                create_only: false,
                doc: "How Azure checks that the scoring container is ready for traffic.",
            },
            NestedSchema {
                name: "data_collector",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &DATA_COLLECTOR,
                arm_path: "properties.dataCollector",
                create_only: false,
                doc: "The model data collector: what the deployment logs to the workspace's blob storage for monitoring and auditing, by collection.",
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
    exports: &[],
    id: IdTemplate::Child { parent: "endpoint" },
    behavior: KindBehavior {
        case_insensitive_paths: &[
            "location",
            "properties.instanceType",
            "properties.model",
            "properties.environmentId",
        ],
        // A new code version, model or environment is a rolling update of the instances, as
        // `az ml online-deployment update` documents (mfe.json marks `codeConfiguration`
        // `[create, read]`; the service updates it in place, so amlplan follows the service).
        rolling: Some(super::Rolling {
            paths: &[
                "properties.codeConfiguration",
                "properties.model",
                "properties.environmentId",
                "properties.environmentVariables",
            ],
            parent_traffic: "properties.traffic",
        }),
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[("sku.name", "Default"), ("properties.endpointComputeType", "Managed")],
    lower: Some(crate::arm::lower::endpoints::online_deployment),
    children: CHILDREN,
    role_scope: false,
    checks: &[
        crate::check::rules::check_instances,
        crate::check::rules::check_same_region,
        super::kubernetes_compute::check_deployment_compute,
        check_data_collector,
    ],
    cost: Some(cost),
    review: &[
        ReviewFact::PublicEgress("egress_public_network_access"),
        ReviewFact::PlainText("environment_variables"),
        ReviewFact::Serves {
            model: "model",
            environment: "environment",
        },
    ],
};

/// The deployment's autoscale setting, from its `scale` block (see [`SCALE`]).
static CHILDREN: &[ArmTypeSchema] = &[
    super::code_asset::CODE_VERSION,
    ArmTypeSchema {
        kind: "autoscale_setting",
        arm_type: "Microsoft.Insights/autoscalesettings",
        api_version: "2022-10-01",
        // Lowered by the kind's hook from `scale` (a block without an ARM path of its own).
        block: "",
        constants: &[],
        behavior: KindBehavior::PLAIN,
        semantics: &AUTOSCALE_SEMANTICS,
        doc: "The deployment's Azure Monitor autoscale setting (`ENDPOINT-DEPLOYMENT-autoscale`): CPU rules around `target_utilization`, capacity from `min_instances` to `max_instances`.",
    },
];

static AUTOSCALE_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Insights/autoscalesettings",
    requires_location: true,
    provisioning_state: false,
    source: "autoscale_API.json 2022-10-01 (monitor): PUT and DELETE synchronous (200/201, 200/204); a tracked resource",
    ..ArmSemantics::PLAIN
};

static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
    // The discriminator; `instanceType` is create-only through its attribute.
    create_only: &["properties.endpointComputeType"],
    lro: LroStyle::ASYNC_PUT,
    operation_urls: OperationUrls::MachineLearning,
    requires_location: true,
    operation_timeout: true,
    family: Family::OnlineDeployment,
    source: "mfe.json 2025-09-01 (OnlineDeployment: instanceType create-only, provisioningState the only readOnly)",
    ..ArmSemantics::PLAIN
};

/// The kind's cost model: `instance_count` instances of `instance_type` for the month (or
/// `usage { hours_per_month }`); with `scale`, from `min_instances` (low) to `max_instances`
/// (high). Managed endpoints bill no load balancer of their own.
fn cost(
    resource: &crate::model::Resource,
    ctx: &crate::cost::CostCtx<'_>,
) -> crate::cost::KindCost {
    use crate::cost::lines::{self, VmRate};
    use crate::cost::{HOURS_PER_MONTH, Range, number, usage};
    let region = ctx.region(resource);
    if resource.body.attr("compute").is_some() {
        return crate::cost::KindCost::Free(
            "runs on an attached Kubernetes cluster, billed as that cluster's nodes".into(),
        );
    }
    let Some(size) = resource.body.str("instance_type") else {
        return crate::cost::KindCost::Free("its instance type is known only after apply".into());
    };
    let count = number(&resource.body, "instance_count")
        .unwrap_or(1.0)
        .max(0.0);
    let usage_body = usage(resource);
    let reservation = VmRate::reservation(usage_body.and_then(|u| u.str("reservation")));
    let hours = match reservation {
        Some(_) => HOURS_PER_MONTH,
        None => usage_body
            .and_then(|u| number(u, "hours_per_month"))
            .unwrap_or(HOURS_PER_MONTH)
            .min(HOURS_PER_MONTH),
    };
    let (instances, why) = match resource.body.block("scale") {
        Some(scale) => {
            let min = number(&scale.body, "min_instances").unwrap_or(1.0).max(0.0);
            let max = number(&scale.body, "max_instances").unwrap_or(1.0).max(min);
            (
                Range::new(min, count.clamp(min, max), max),
                format!(
                    "autoscaled: {min} instances (low) to {max} (high), {} expected (instance_count)",
                    count.clamp(min, max)
                ),
            )
        }
        None => (Range::fixed(count), format!("instance_count = {count}")),
    };
    let rate = reservation.unwrap_or(VmRate::PayAsYouGo);
    let when = if reservation.is_some() {
        "reserved: paid for all 730 hours".to_string()
    } else if hours < HOURS_PER_MONTH {
        format!("{hours} hours a month (usage)")
    } else {
        "all month".to_string()
    };
    let vm = lines::vm_hours(
        ctx,
        &region,
        size,
        rate,
        instances.scale(hours),
        format!("{why}, {when}"),
    );
    let mut advice = Vec::new();
    if reservation.is_none()
        && hours >= HOURS_PER_MONTH
        && let (Some(p), Some(r)) = (
            vm.unit_price,
            ctx.price("vm", size, "reserved_1y", &region).amount,
        )
        && r < p
    {
        advice.push(crate::cost::advice::Advice {
            address: resource.address.clone(),
            message: "always on at pay as you go: usage { reservation = \"1y\" } prices a 1-year reservation".into(),
            monthly_saving: instances.low * HOURS_PER_MONTH * (p - r),
        });
    }
    crate::cost::KindCost::Billed(vec![vm], advice)
}

/// The data collector's checks: each collection's sampling rate is a share from 0 to 1
/// (E0747; the spec's "1.0 means we collect 100% of data", the docs' "ranging from 0 – 100%"),
/// the data asset it registers its data as is a `uri_folder` (the collector writes files
/// into a folder) of the deployment's own workspace (E0748), and headers are captured only
/// where payloads are logged (E0749: `RequestLogging.captureHeaders` "for payload logging":
/// headers are collected along with the `request` payload).
fn check_data_collector(
    r: &crate::model::Resource,
    ctx: &crate::check::rules::RuleCtx<'_>,
    diags: &mut crate::diagnostic::Diagnostics,
) {
    use crate::diagnostics::constraints;
    let Some(collector) = r.body.block("data_collector") else {
        return;
    };
    let workspace = ctx
        .referenced(r, "endpoint")
        .and_then(crate::model::Resource::parent_address);
    let payload_logged = collector.body.blocks("collection").any(|c| {
        matches!(c.label(), Some("request" | "response"))
            && c.body
                .value("enabled")
                .is_none_or(|v| v.as_bool() != Some(false))
    });
    if let Some(headers) = collector.body.attr("capture_headers")
        && headers.value.as_list().is_some_and(|l| !l.is_empty())
        && !payload_logged
    {
        diags.push(constraints::headers_without_payload_logging(
            headers.key_span.to(headers.span),
        ));
    }
    for collection in collector.body.blocks("collection") {
        let name = collection.label().unwrap_or_default();
        if let Some(rate) = collection.body.attr("sampling_rate")
            && let Some(n) = rate.value.as_f64()
            && !(0.0..=1.0).contains(&n)
        {
            let shown = if rate.sensitive {
                "(sensitive value)".to_string()
            } else {
                crate::lang::value::format_float(n)
            };
            diags.push(constraints::sampling_rate_out_of_range(
                name, &shown, rate.span,
            ));
        }
        let Some(data) = collection.body.attr("data") else {
            continue;
        };
        let Some(asset) = data
            .value
            .as_ref()
            .filter(|t| t.attr.is_empty())
            .and_then(|t| ctx.resource(&t.address))
        else {
            continue;
        };
        let kind = asset.body.str("type");
        let why = if kind.is_some_and(|k| k != "uri_folder") {
            Some(format!("is a `{}` asset", kind.unwrap_or_default()))
        } else {
            match (asset.parent_address(), workspace) {
                (Some(its), Some(ours)) if its != ours => {
                    Some(format!("is registered in `{its}`, not in `{ours}`"))
                }
                _ => None,
            }
        };
        if let Some(why) = why {
            diags.push(constraints::collection_asset_unusable(
                name,
                &asset.address,
                &why,
                data.span,
            ));
        }
    }
}
