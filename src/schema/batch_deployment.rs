//! `batch_deployment`: a batch deployment (`workspaces/batchEndpoints/deployments`), the model,
//! environment, code and compute cluster a batch endpoint's scoring jobs run with.

use super::descriptor::ReviewFact;
use super::online_deployment::CODE_BLOCK;
use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, IdTemplate, KindBehavior,
    KindSchema, NestedSchema,
};
use crate::azure::names::NameRule;

const POSITIVE: AttrType = AttrType::Integer {
    min: Some(1),
    max: None,
};

static LOGGING_LEVELS: &[EnumValue] = &[
    EnumValue::new("info", "Info"),
    EnumValue::new("warning", "Warning"),
    EnumValue::new("debug", "Debug"),
];

static OUTPUT_ACTIONS: &[EnumValue] = &[
    EnumValue::new("summary_only", "SummaryOnly"),
    EnumValue::new("append_row", "AppendRow"),
];

static RETRY: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "max_retries",
            AttrType::Integer {
                min: Some(0),
                max: None,
            },
            "maxRetries",
            "How many times a failed mini-batch is retried (Azure's default is 3).",
        ),
        AttrSchema::new(
            "timeout",
            AttrType::Duration {
                min_secs: Some(1),
                max_secs: None,
            },
            "timeout",
            "How long one mini-batch may run before it counts as failed (Azure's default is 30s).",
        ),
    ],
    blocks: &[],
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "batch_deployment",
    arm_type: "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments",
    api_version: "2025-12-01",
    name_rule: NameRule::Deployment,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A batch deployment: how a batch endpoint's jobs score data, split into mini-batches over the nodes of a compute cluster.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "endpoint",
                AttrType::Ref(&["batch_endpoint"]),
                "",
                "The batch endpoint the deployment belongs to.",
            )
            .required()
            .create_only(),
            // Lowered to an `Id` asset reference: `{referenceType: "Id", assetId: ...}`.
            AttrSchema::new(
                "model",
                AttrType::RefOrArmId {
                    kinds: &["model"],
                    arm_types: &[],
                },
                "properties.model.assetId",
                "The model version to score with.",
            ),
            AttrSchema::new(
                "environment",
                AttrType::RefOrArmId {
                    kinds: &["environment"],
                    arm_types: &[],
                },
                "properties.environmentId",
                "The environment version the scoring jobs run in (not needed for MLflow models).",
            ),
            AttrSchema::new(
                "compute",
                AttrType::Ref(&["compute_cluster"]),
                "properties.compute",
                "The compute cluster the scoring jobs run on.",
            )
            .required(),
            AttrSchema::new(
                "instance_count",
                POSITIVE,
                "properties.resources.instanceCount",
                "The number of cluster nodes each job uses (at least 1).",
            )
            .default(DefaultValue::Int(1)),
            AttrSchema::new(
                "mini_batch_size",
                POSITIVE,
                "properties.miniBatchSize",
                "The number of files (or, for tabular data, bytes) passed to one scoring call (Azure's default is 10).",
            ),
            AttrSchema::new(
                "max_concurrency_per_instance",
                POSITIVE,
                "properties.maxConcurrencyPerInstance",
                "How many scoring processes run in parallel on each node (Azure's default is 1).",
            ),
            AttrSchema::new(
                "error_threshold",
                AttrType::Integer {
                    min: Some(-1),
                    max: None,
                },
                "properties.errorThreshold",
                "How many failed files or records abort the job; -1 ignores all failures (Azure's default).",
            ),
            AttrSchema::new(
                "logging_level",
                AttrType::Enum(LOGGING_LEVELS),
                "properties.loggingLevel",
                "How verbose the job logs are (Azure's default is info).",
            ),
            AttrSchema::new(
                "output_action",
                AttrType::Enum(OUTPUT_ACTIONS),
                "properties.outputAction",
                "Whether results are appended as rows to one output file or only a summary is kept.",
            ),
            AttrSchema::new(
                "output_file_name",
                AttrType::String,
                "properties.outputFileName",
                "The name of the output file for `append_row` (Azure's default is predictions.csv).",
            ),
            AttrSchema::new(
                "environment_variables",
                AttrType::Map(&AttrType::String),
                "properties.environmentVariables",
                "Environment variables set in the scoring jobs.",
            ),
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
                name: "retry",
                labels: 0,
                min: 0,
                max: Some(1),
                body: &RETRY,
                arm_path: "properties.retrySettings",
                create_only: false,
                doc: "How failed mini-batches are retried.",
            },
        ],
    },
    exports: &[],
    id: IdTemplate::Child { parent: "endpoint" },
    behavior: KindBehavior {
        case_insensitive_paths: &[
            "location",
            "properties.compute",
            "properties.model.assetId",
            "properties.environmentId",
        ],
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[],
    lower: Some(crate::arm::lower::endpoints::batch_deployment),
    children: &[super::code_asset::CODE_VERSION],
    role_scope: false,
    checks: &[crate::check::rules::check_same_region],
    cost: Some(cost),
    review: &[
        ReviewFact::PlainText("environment_variables"),
        ReviewFact::Serves {
            model: "model",
            environment: "environment",
        },
    ],
};

static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments",
    lro: LroStyle::ASYNC_PUT,
    operation_urls: OperationUrls::MachineLearning,
    requires_location: true,
    operation_timeout: true,
    family: Family::Plain,
    source: "mfe.json 2025-09-01",
    ..ArmSemantics::PLAIN
};

/// The kind's cost model: the jobs run on the deployment's cluster, whose node-hours are
/// that cluster's lines.
fn cost(resource: &crate::model::Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    let cluster = resource
        .body
        .value("compute")
        .and_then(crate::lang::value::Value::as_ref)
        .map_or_else(
            || "its compute cluster".to_string(),
            |r| format!("`{}`", r.address),
        );
    crate::cost::KindCost::Elsewhere(format!(
        "billed on {cluster}: its scoring jobs are that cluster's node-hours"
    ))
}
