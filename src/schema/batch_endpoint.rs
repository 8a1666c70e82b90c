//! `batch_endpoint`: a batch endpoint (`workspaces/batchEndpoints`), the stable URL that starts
//! batch scoring jobs on its default deployment.
//!
//! `default_deployment` (`properties.defaults.deploymentName`, `BatchEndpointDefaults` in
//! `mfe.json` 2025-09-01) names a deployment that is created after the endpoint (inside it),
//! so it is lowered into the `batch_endpoint_defaults` partial entry, written by GET, merge,
//! PUT after every deployment of the endpoint; the emulator refuses a default naming a
//! deployment that does not exist (issue 7 item 8; the exact ARM error code is not
//! confirmed).

use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    ArmTypeSchema, AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, ExportSchema,
    IdTemplate, KindBehavior, KindSchema, LoweredAt,
};
use crate::azure::names::NameRule;

// ARM's enum also has `Key` and `AMLToken`, but batch endpoints only accept Entra tokens.
static AUTH_MODES: &[EnumValue] = &[EnumValue::new("aad_token", "AADToken")];

/// The endpoint's default deployment: a partial entry of the endpoint's own resource, set
/// once its deployments exist (ARM refuses a default that names no deployment).
static CHILDREN: &[ArmTypeSchema] = &[ArmTypeSchema {
    kind: "batch_endpoint_defaults",
    arm_type: "Microsoft.MachineLearningServices/workspaces/batchEndpoints",
    api_version: "2025-12-01",
    block: "",
    constants: &[],
    behavior: KindBehavior {
        partial: true,
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    doc: "The endpoint's `default_deployment`, applied by GET, merge, PUT.",
}];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "batch_endpoint",
    arm_type: "Microsoft.MachineLearningServices/workspaces/batchEndpoints",
    api_version: "2025-12-01",
    name_rule: NameRule::Endpoint,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A batch endpoint: an invocation URL that runs batch scoring jobs on one of its batch deployments.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the endpoint belongs to.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "auth_mode",
                AttrType::Enum(AUTH_MODES),
                "properties.authMode",
                "How callers authenticate; batch endpoints accept only Microsoft Entra tokens.",
            )
            .default(DefaultValue::Str("aad_token")),
            // A name, not a reference: the deployment itself references the endpoint.
            AttrSchema::new(
                "default_deployment",
                AttrType::String,
                "properties.defaults.deploymentName",
                "The name of the batch deployment that runs jobs when the caller names none (set once the deployments exist).",
            )
            .lowered_at(&[LoweredAt::entry(
                "batch_endpoint_defaults",
                "properties.defaults.deploymentName",
            )]),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of the endpoint.",
            ),
        ],
        blocks: &[],
    },
    exports: &[
        ExportSchema {
            name: "scoring_uri",
            arm_path: "properties.scoringUri",
            doc: "The URL that starts batch scoring jobs.",
        },
        ExportSchema {
            name: "swagger_uri",
            arm_path: "properties.swaggerUri",
            doc: "The URL of the endpoint's OpenAPI (Swagger) description.",
        },
    ],
    id: IdTemplate::Child {
        parent: "workspace",
    },
    behavior: KindBehavior {
        case_insensitive_paths: &["location"],
        cascades_delete: true,
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[],
    lower: Some(crate::arm::lower::endpoints::batch_endpoint),
    children: CHILDREN,
    role_scope: true,
    checks: &[crate::check::rules::check_same_region],
    cost: Some(cost),
    review: &[],
};

pub(crate) static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/batchEndpoints",
    read_only: &["properties.scoringUri", "properties.swaggerUri"],
    // WriteOnly (`x-ms-mutability: [create]`): use listKeys.
    secrets: &["properties.keys"],
    lro: LroStyle::ASYNC_PUT,
    operation_urls: OperationUrls::MachineLearning,
    requires_location: true,
    operation_timeout: true,
    family: Family::BatchEndpoint,
    source: "mfe.json 2025-09-01 (EndpointPropertiesBase: keys create-only and x-ms-secret, scoringUri and swaggerUri readOnly, authMode updatable)",
    ..ArmSemantics::PLAIN
};

/// The kind's cost model: nothing is billed for it.
fn cost(_: &crate::model::Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free("a batch endpoint costs nothing of its own: its deployments run on compute clusters, billed there".into())
}
