//! `online_endpoint`: a managed online (real-time) endpoint
//! (`workspaces/onlineEndpoints`), the stable URL that routes requests to its deployments.
//!
//! Region: an endpoint's `location` must equal its workspace's and a deployment's its
//! endpoint's (`check::rules::check_same_region`, E0714, for all four endpoint and deployment
//! kinds; the emulator answers `400 InvalidLocation`, its error code not confirmed against
//! live ARM). Source: `../shared/reference/arm-api.md` §5 (`location` required, "must equal
//! the workspace region"); in `mfe.json` 2025-09-01 `location` is the required field of the
//! TrackedResource the endpoints and deployments are.
//!
//! Identity: without an `identity` block the endpoint is created with a system-assigned one
//! (the lowering hook sends `identity.type: SystemAssigned`, and the plan shows it as
//! `identity.type`), as `az ml online-endpoint create` does: its deployments use the endpoint
//! identity to pull their image and model (Azure ML docs, "Access Azure resources from an
//! online endpoint with a managed identity", which makes the system-assigned identity the
//! default; wording not re-checked against the page).

use super::descriptor::ReviewFact;
use super::meta::IDENTITY;
use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    ArmTypeSchema, AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, ExportSchema,
    IdTemplate, KindBehavior, KindSchema, LoweredAt, Wire,
};
use crate::azure::names::NameRule;

/// Authentication modes for invoking an endpoint, with ARM's spelling.
pub static AUTH_MODES: &[EnumValue] = &[
    EnumValue::new("key", "Key"),
    EnumValue::new("aml_token", "AMLToken"),
    EnumValue::new("aad_token", "AADToken"),
];

/// The endpoint's traffic: a partial entry of the endpoint's own resource, set once its
/// deployments exist.
static CHILDREN: &[ArmTypeSchema] = &[ArmTypeSchema {
    kind: "endpoint_traffic",
    arm_type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
    api_version: "2025-12-01",
    block: "",
    constants: &[],
    behavior: KindBehavior {
        partial: true,
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    doc: "The endpoint's `traffic` and `mirror_traffic`, applied by GET, merge, PUT.",
}];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "online_endpoint",
    arm_type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
    api_version: "2025-12-01",
    name_rule: NameRule::Endpoint,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A managed online endpoint: a scoring URL that splits (and mirrors) traffic between its online deployments.",
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
            // ARM requires it; the default is the one `az ml` uses.
            AttrSchema::new(
                "auth_mode",
                AttrType::Enum(AUTH_MODES),
                "properties.authMode",
                "How callers authenticate: endpoint keys, Azure ML tokens or Microsoft Entra tokens.",
            )
            .default(DefaultValue::Str("key")),
            // Bool in the manifest, `Enabled`/`Disabled` on the wire.
            AttrSchema::new(
                "public_network_access",
                AttrType::Bool,
                "properties.publicNetworkAccess",
                "Whether the scoring URL can be reached from the public internet (default false: through the workspace's private endpoint only).",
            )
            .wire(Wire::EnabledDisabled)
            .default(DefaultValue::Bool(false)),
            // Keys are deployment names; sent after the deployments exist.
            AttrSchema::new(
                "traffic",
                AttrType::Map(&AttrType::Integer {
                    min: Some(0),
                    max: Some(100),
                }),
                "properties.traffic",
                "Percentage of requests each deployment (by name) serves; the values must sum to 100, or the map be empty.",
            )
            .lowered_at(&[LoweredAt::entry("endpoint_traffic", "properties.traffic")]),
            AttrSchema::new(
                "mirror_traffic",
                AttrType::Map(&AttrType::Integer {
                    min: Some(0),
                    max: Some(100),
                }),
                "properties.mirrorTraffic",
                "Percentage of requests copied to each deployment (by name) whose answers are discarded; the values sum to at most 50.",
            )
            .lowered_at(&[LoweredAt::entry("endpoint_traffic", "properties.mirrorTraffic")]),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of the endpoint.",
            ),
        ],
        blocks: &[IDENTITY],
    },
    exports: &[
        ExportSchema {
            name: "scoring_uri",
            arm_path: "properties.scoringUri",
            doc: "The URL clients send scoring requests to.",
        },
        ExportSchema {
            name: "swagger_uri",
            arm_path: "properties.swaggerUri",
            doc: "The URL of the endpoint's OpenAPI (Swagger) description.",
        },
        ExportSchema {
            name: "principal_id",
            arm_path: "identity.principalId",
            doc: "The object ID of the endpoint's system-assigned identity (it has one unless `identity` says otherwise).",
        },
    ],
    id: IdTemplate::Child { parent: "workspace" },
    behavior: KindBehavior {
        case_insensitive_paths: &["location"],
        cascades_delete: true,
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[],
    lower: Some(crate::arm::lower::endpoints::online_endpoint),
    children: CHILDREN,
    role_scope: true,
    checks: &[crate::check::rules::check_traffic, crate::check::rules::check_same_region],
    cost: Some(cost),
    review: &[
        ReviewFact::PublicNetworkAccess("public_network_access"),
        ReviewFact::AuthMode {
            attr: "auth_mode",
            key: "key",
        },
    ],
};

pub(crate) static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
    read_only: &["properties.scoringUri", "properties.swaggerUri"],
    // WriteOnly (`x-ms-mutability: [create]`): use listKeys.
    secrets: &["properties.keys"],
    lro: LroStyle::ASYNC_PUT,
    operation_urls: OperationUrls::MachineLearning,
    requires_location: true,
    operation_timeout: true,
    family: Family::OnlineEndpoint,
    source: "mfe.json 2025-09-01 (EndpointPropertiesBase: keys create-only and x-ms-secret, scoringUri and swaggerUri readOnly, authMode updatable)",
    ..ArmSemantics::PLAIN
};

/// The kind's cost model: nothing is billed for it.
fn cost(_: &crate::model::Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free(
        "an online endpoint costs nothing of its own: its deployments' instances are billed".into(),
    )
}
