//! `monitor`: model monitoring of an online deployment, a schedule whose action is a monitor
//! definition (`workspaces/schedules`, `actionType: CreateMonitor`): data drift, prediction
//! drift and data quality signals with their metric and threshold, alert emails, and the
//! serverless Spark compute the monitoring runs on. Its trigger is a schedule's (`cron` or
//! `recurrence`: the blocks, their check and their lowering are `schedule`'s).
//!
//! Sources (mfe.json 2025-09-01): `CreateMonitorAction` (`monitorDefinition` required),
//! `MonitorDefinition` (`computeConfiguration` and `signals` required, `monitoringTarget`,
//! `alertNotificationSettings.emailNotificationSettings.emails`; every property
//! `x-ms-mutability: create, read`, so any change replaces the monitor),
//! `MonitorServerlessSparkCompute` (`computeType: ServerlessSpark`, `instanceType`,
//! `runtimeVersion` matching `^[0-9]+\.[0-9]+$`, `computeIdentity.computeIdentityType`
//! `AmlToken` | `ManagedIdentity`), `MonitoringTarget` (`taskType` Classification |
//! Regression, `deploymentId`), `DataDriftMonitoringSignal` / `DataQualityMonitoringSignal`
//! (`metricThresholds`, `productionData`, `referenceData` required, `features` a
//! `MonitoringFeatureFilterBase`: `AllFeatures` | `FeatureSubset`), `PredictionDrift` the
//! same without features, metric thresholds `{dataType, metric, threshold: {value}}`,
//! `RollingInputData` (`windowSize`, `windowOffset`). Production data is what the
//! deployment's data collector registers (`{endpoint}-{deployment}-model_inputs`, or
//! `model_outputs` for prediction drift); the reference is the same data one window earlier,
//! as the studio's out-of-box monitor sets it.

use serde_json::{Map, Value as Json, json};

use super::schedule::{CRON_BLOCK, RECURRENCE_BLOCK, check_trigger, lower_trigger};
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, IdTemplate, KindBehavior,
    KindSchema, LoweredAt, NestedSchema,
};
use crate::arm::Desired;
use crate::arm::lower::{Ctx, body, complete, present, start};
use crate::azure::names::NameRule;
use crate::check::rules::RuleCtx;
use crate::diagnostic::Diagnostics;
use crate::diagnostics::constraints;
use crate::model::{Block, Resource};

const DEFINITION: &str = "properties.action.monitorDefinition";
const SIGNALS: &str = "properties.action.monitorDefinition.signals";
static IN_SIGNALS: &[LoweredAt] = &[LoweredAt::own(SIGNALS)];
/// How much production data one run looks at (and how far back the reference window is).
const WINDOW: &str = "P7D";

static SIGNAL_TYPES: &[EnumValue] = &[
    EnumValue::new("data_drift", "DataDrift"),
    EnumValue::new("prediction_drift", "PredictionDrift"),
    EnumValue::new("data_quality", "DataQuality"),
];
static DATA_TYPES: &[EnumValue] = &[
    EnumValue::new("numerical", "Numerical"),
    EnumValue::new("categorical", "Categorical"),
];
static METRICS: &[EnumValue] = &[
    EnumValue::new("jensen_shannon_distance", "JensenShannonDistance"),
    EnumValue::new("population_stability_index", "PopulationStabilityIndex"),
    EnumValue::new(
        "normalized_wasserstein_distance",
        "NormalizedWassersteinDistance",
    ),
    EnumValue::new(
        "two_sample_kolmogorov_smirnov_test",
        "TwoSampleKolmogorovSmirnovTest",
    ),
    EnumValue::new("pearsons_chi_squared_test", "PearsonsChiSquaredTest"),
    EnumValue::new("null_value_rate", "NullValueRate"),
    EnumValue::new("data_type_error_rate", "DataTypeErrorRate"),
    EnumValue::new("out_of_bounds_rate", "OutOfBoundsRate"),
];
static TASK_TYPES: &[EnumValue] = &[
    EnumValue::new("classification", "Classification"),
    EnumValue::new("regression", "Regression"),
];
static FEATURE: AttrType = AttrType::String;
static EMAIL: AttrType = AttrType::String;

/// The metrics a signal type computes over a data type (the spec's metric enums).
pub fn metrics_for(signal: &str, data_type: &str) -> &'static [&'static str] {
    match (signal, data_type) {
        ("data_drift" | "prediction_drift", "numerical") => &[
            "jensen_shannon_distance",
            "population_stability_index",
            "normalized_wasserstein_distance",
            "two_sample_kolmogorov_smirnov_test",
        ],
        ("data_drift" | "prediction_drift", "categorical") => &[
            "jensen_shannon_distance",
            "population_stability_index",
            "pearsons_chi_squared_test",
        ],
        ("data_quality", _) => &[
            "null_value_rate",
            "data_type_error_rate",
            "out_of_bounds_rate",
        ],
        _ => &[],
    }
}

static SIGNAL: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "type",
            AttrType::Enum(SIGNAL_TYPES),
            "",
            "What the signal watches: `data_drift` (the deployment's inputs), `prediction_drift` (its outputs) or `data_quality` (its inputs' integrity).",
        )
        .required()
        .lowered_at(IN_SIGNALS),
        AttrSchema::new(
            "features",
            AttrType::List(&FEATURE),
            "",
            "The features it is computed over (all when absent); not for `prediction_drift`.",
        )
        .lowered_at(IN_SIGNALS),
        AttrSchema::new(
            "data_type",
            AttrType::Enum(DATA_TYPES),
            "",
            "The data type the metric is computed for: `numerical` or `categorical`.",
        )
        .default(DefaultValue::Str("numerical"))
        .lowered_at(IN_SIGNALS),
        AttrSchema::new(
            "metric",
            AttrType::Enum(METRICS),
            "",
            "The metric (drift: `jensen_shannon_distance`, `population_stability_index`, `normalized_wasserstein_distance`, `two_sample_kolmogorov_smirnov_test` numerical, `pearsons_chi_squared_test` categorical; quality: `null_value_rate`, `data_type_error_rate`, `out_of_bounds_rate`).",
        )
        .required()
        .lowered_at(IN_SIGNALS),
        AttrSchema::new(
            "threshold",
            AttrType::Number,
            "",
            "The metric value above which the signal alerts.",
        )
        .required()
        .lowered_at(IN_SIGNALS),
    ],
    blocks: &[],
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "monitor",
    arm_type: "Microsoft.MachineLearningServices/workspaces/schedules",
    api_version: "2025-12-01",
    name_rule: NameRule::Asset,
    has_tags: true,
    tags_path: "properties.tags",
    has_location: false,
    doc: "Model monitoring of an online deployment on a schedule: data drift, prediction drift and data quality signals with thresholds and alert emails, run on serverless Spark.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the monitor runs in.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "deployment",
                AttrType::Ref(&["online_deployment"]),
                "properties.action.monitorDefinition.monitoringTarget.deploymentId",
                "The online deployment it watches (its data collector's inputs and outputs).",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "task_type",
                AttrType::Enum(TASK_TYPES),
                "properties.action.monitorDefinition.monitoringTarget.taskType",
                "The model's task: `classification` or `regression`.",
            )
            .default(DefaultValue::Str("classification"))
            .create_only(),
            AttrSchema::new(
                "compute",
                AttrType::String,
                "properties.action.monitorDefinition.computeConfiguration.instanceType",
                "The serverless Spark instance type the monitoring runs on (`Standard_E4s_v3`).",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "spark_runtime_version",
                AttrType::String,
                "properties.action.monitorDefinition.computeConfiguration.runtimeVersion",
                "The Spark runtime version (`MAJOR.MINOR`).",
            )
            .default(DefaultValue::Str("3.4"))
            .create_only(),
            AttrSchema::new(
                "alert_emails",
                AttrType::List(&EMAIL),
                "properties.action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails",
                "Who is mailed when a signal passes its threshold.",
            )
            .create_only(),
            AttrSchema::new(
                "display_name",
                AttrType::String,
                "properties.displayName",
                "The name shown in the studio.",
            ),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description.",
            ),
            AttrSchema::new(
                "enabled",
                AttrType::Bool,
                "properties.isEnabled",
                "Whether the monitor runs (default true).",
            )
            .default(DefaultValue::Bool(true)),
        ],
        blocks: &[
            CRON_BLOCK,
            RECURRENCE_BLOCK,
            NestedSchema {
                name: "signal",
                labels: 1,
                min: 1,
                max: None,
                body: &SIGNAL,
                arm_path: "",
                create_only: true,
                doc: "A signal the monitor computes, by name: its type, metric and threshold.",
            },
        ],
    },
    exports: &[],
    id: IdTemplate::Child {
        parent: "workspace",
    },
    behavior: KindBehavior::PLAIN,
    semantics: &super::schedule::SEMANTICS,
    constants: &[
        ("properties.action.actionType", "CreateMonitor"),
        (
            "properties.action.monitorDefinition.computeConfiguration.computeType",
            "ServerlessSpark",
        ),
        (
            "properties.action.monitorDefinition.computeConfiguration.computeIdentity.computeIdentityType",
            "AmlToken",
        ),
    ],
    lower: Some(lower),
    children: &[],
    role_scope: false,
    checks: &[check],
    cost: Some(cost),
    review: &[],
};

fn check(r: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    check_trigger(r, diags);
    for signal in r.body.blocks("signal") {
        let name = signal.label().unwrap_or_default();
        let Some(kind) = signal.body.str("type") else {
            continue;
        };
        let data_type = signal.body.str("data_type").unwrap_or("numerical");
        if let Some(metric) = signal.body.attr("metric")
            && let Some(m) = metric.value.as_str()
            && !metrics_for(kind, data_type).contains(&m)
        {
            diags.push(constraints::monitor_metric_not_for_signal(
                name,
                m,
                kind,
                data_type,
                metrics_for(kind, data_type),
                metric.span,
            ));
        }
        if kind == "prediction_drift"
            && let Some(features) = signal.body.attr("features")
        {
            diags.push(constraints::monitor_prediction_drift_features(
                name,
                features.key_span.to(features.span),
            ));
        }
    }
    if let Some(deployment) = ctx.referenced(r, "deployment") {
        check_collected(r, deployment, diags);
    }
    // The deployment is watched in its own workspace.
    if let Some(workspace) = r.parent_address()
        && let Some(deployment) = ctx.referenced(r, "deployment")
        && let Some(its) = ctx
            .referenced(deployment, "endpoint")
            .and_then(|e| e.parent_address())
        && its != workspace
        && let Some(attr) = r.body.attr("deployment")
    {
        diags.push(constraints::monitor_deployment_elsewhere(
            &deployment.address,
            its,
            workspace,
            attr.span,
        ));
    }
}

/// The collection a signal type reads: prediction drift the deployment's outputs, the others
/// its inputs.
fn collection_of(signal_type: &str) -> &'static str {
    if signal_type == "prediction_drift" {
        "model_outputs"
    } else {
        "model_inputs"
    }
}

/// How the deployment's data collector has collection `name`: `None` when it collects it (an
/// `enabled` not known until apply counts as collecting), else what W0109's help says.
fn collected<'d>(deployment: &'d Resource, name: &str) -> Option<constraints::CollectionSeen<'d>> {
    use constraints::CollectionSeen;
    let collections: Vec<&Block> = deployment
        .body
        .block("data_collector")
        .into_iter()
        .flat_map(|c| c.body.blocks("collection"))
        .collect();
    let mut disabled = false;
    for c in collections.iter().filter(|c| c.label() == Some(name)) {
        if c.body
            .value("enabled")
            .is_none_or(|v| v.as_bool() != Some(false))
        {
            return None;
        }
        disabled = true;
    }
    if disabled {
        return Some(CollectionSeen::Disabled);
    }
    // The names with a meaning of their own are not misspellings of each other.
    const KNOWN: [&str; 4] = ["model_inputs", "model_outputs", "request", "response"];
    let others = collections
        .iter()
        .filter_map(|c| c.label())
        .filter(|l| !KNOWN.contains(l));
    Some(
        crate::diagnostic::similar_names(name, others)
            .first()
            .map_or(CollectionSeen::Absent, |near| CollectionSeen::Near(near)),
    )
}

/// W0109: each collection the signals read is collected by the deployment; ARM accepts the
/// schedule either way, and its runs then find no production data.
fn check_collected(r: &Resource, deployment: &Resource, diags: &mut Diagnostics) {
    let mut warned = Vec::new();
    for signal in r.body.blocks("signal") {
        let Some(kind) = signal.body.attr("type") else {
            continue;
        };
        let Some(name) = kind.value.as_str().map(collection_of) else {
            continue;
        };
        if warned.contains(&name) {
            continue;
        }
        let Some(seen) = collected(deployment, name) else {
            continue;
        };
        warned.push(name);
        diags.push(constraints::monitor_without_collected_data(
            signal.label().unwrap_or_default(),
            &deployment.address,
            name,
            seen,
            kind.span,
        ));
    }
}

fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, &[]);
    let mut out = std::mem::take(&mut d.body);
    lower_trigger(r, &mut out);
    let mut signals = Map::new();
    for signal in r.body.blocks("signal") {
        if let Some(name) = signal.label() {
            let kind = signal.body.str("type").unwrap_or("data_drift");
            let data = collected_data(ctx, r, collection_of(kind));
            signals.insert(name.to_string(), signal_body(ctx, signal, &data));
        }
    }
    body::put(&mut out, SIGNALS, Json::Object(signals));
    if r.body.blocks("signal").any(|s| {
        ["features", "threshold"]
            .iter()
            .any(|a| s.body.attr(a).is_some_and(|a| a.sensitive))
    }) {
        d.sensitive.push(SIGNALS.into());
    }
    if body::get(&out, DEFINITION).is_none() {
        body::put(&mut out, DEFINITION, json!({}));
    }
    d.body = out;
    let table = body::kind_paths(r.schema, &[]);
    complete(&mut d, r, &table);
    vec![d]
}

/// The data asset a signal reads for `collection`: the one the deployment's collection names
/// (`data`), else the one the collector registers (`{endpoint}-{deployment}-{collection}`).
fn collected_data(ctx: &Ctx<'_>, r: &Resource, collection: &str) -> String {
    let deployment = r
        .body
        .value("deployment")
        .and_then(crate::lang::value::Value::as_ref)
        .and_then(|d| ctx.resource(&d.address));
    let named = deployment
        .and_then(|d| d.body.block("data_collector"))
        .into_iter()
        .flat_map(|c| c.body.blocks("collection"))
        .find(|c| c.label() == Some(collection))
        .and_then(|c| c.body.value("data"))
        .and_then(crate::lang::value::Value::as_ref)
        .filter(|t| t.attr.is_empty())
        .and_then(|t| ctx.resource(&t.address));
    if let Some(asset) = named
        && let Some(version) = asset.body.str("version")
    {
        return format!("azureml:{}:{version}", asset.name);
    }
    let endpoint = deployment
        .and_then(Resource::parent_address)
        .and_then(|e| ctx.resource(e));
    match (endpoint, deployment) {
        (Some(e), Some(d)) => format!("azureml:{}-{}-{collection}:1", e.name, d.name),
        _ => format!("azureml:deployment-{collection}:1"),
    }
}

fn signal_body(ctx: &Ctx<'_>, signal: &Block, data: &str) -> Json {
    let arm = |values: &[EnumValue], name: &str, default: &str| {
        let v = signal.body.str(name).unwrap_or(default);
        values
            .iter()
            .find(|e| e.hcl == v)
            .map_or(v, |e| e.arm)
            .to_string()
    };
    let kind = signal.body.str("type").unwrap_or("data_drift");
    let context = collection_of(kind);
    let window = |offset: &str| {
        json!({
            "inputDataType": "Rolling",
            "jobInputType": "uri_folder",
            "uri": data,
            "dataContext": context,
            "windowSize": WINDOW,
            "windowOffset": offset,
        })
    };
    let threshold = signal
        .body
        .attr("threshold")
        .map_or(Json::Null, |a| ctx.json(&a.value));
    let mut s = Map::new();
    s.insert(
        "signalType".into(),
        json!(arm(SIGNAL_TYPES, "type", "data_drift")),
    );
    s.insert("notificationTypes".into(), json!(["AmlNotification"]));
    s.insert(
        "metricThresholds".into(),
        json!([{
            "dataType": arm(DATA_TYPES, "data_type", "numerical"),
            "metric": arm(METRICS, "metric", ""),
            "threshold": {"value": threshold},
        }]),
    );
    s.insert("productionData".into(), window("P0D"));
    s.insert("referenceData".into(), window(WINDOW));
    if kind != "prediction_drift" {
        let features = match present(&signal.body, "features") {
            Some(f) => json!({"filterType": "FeatureSubset", "features": ctx.json(&f.value)}),
            None => json!({"filterType": "AllFeatures"}),
        };
        s.insert("features".into(), features);
    }
    Json::Object(s)
}

/// The kind's cost model: the monitoring runs are serverless Spark jobs, billed per run.
fn cost(_: &Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Elsewhere(
        "its runs are serverless Spark jobs, billed per run on the instance type".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::{METRICS, metrics_for};

    #[test]
    fn every_metric_belongs_to_a_signal_and_data_type() {
        for m in METRICS {
            let used = ["data_drift", "prediction_drift", "data_quality"]
                .iter()
                .any(|s| {
                    ["numerical", "categorical"]
                        .iter()
                        .any(|t| metrics_for(s, t).contains(&m.hcl))
                });
            assert!(used, "{}", m.hcl);
        }
        assert!(
            !metrics_for("data_drift", "categorical")
                .contains(&"two_sample_kolmogorov_smirnov_test")
        );
    }
}
