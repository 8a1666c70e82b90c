//! `serverless_endpoint`: a pay-per-token model API (`workspaces/serverlessEndpoints`), a
//! catalogue model served by Azure without compute of the workspace's own.
//!
//! Everything about the kind is here: its attributes, ID, naming rule, ARM semantics and
//! wire forms; the engine, the checker, the emulator and the docs read it from this file.
//!
//! Sources (2025-09-01, `Azure/bicep-types-az` generated from the REST specs,
//! `ServerlessEndpointProperties`): `modelSettings.modelId` and `authMode` are the writable
//! properties (`authMode` required); `endpointState`, `inferenceEndpoint` and
//! `marketplaceSubscriptionId` are read-only; the name matches `^[a-zA-Z][a-zA-Z0-9-]{0,51}$`.
//! The endpoint serves one model for its whole life (its marketplace subscription is for that
//! model), so the model is create-only.
//!
//! Not modelled yet: models from publishers other than Microsoft need a
//! `workspaces/marketplaceSubscriptions` resource first, and `contentSafety` settings.

use super::descriptor::ReviewFact;
use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, ExportSchema, IdTemplate,
    KindBehavior, KindSchema, NestedSchema,
};
use crate::azure::names::{NameRule, NameSpec};

/// `key` is the only mode 2025-09-01 declares (an extensible enum); `aad_token` is Entra ID,
/// spelled `AAD` by the newer api-versions and SDKs that add it.
static AUTH_MODES: &[EnumValue] = &[
    EnumValue::new("key", "Key"),
    EnumValue::new("aad_token", "AAD"),
];

static NAME: NameSpec = NameSpec {
    subject: "serverless endpoint name",
    min: 1,
    max: 52,
    extra: &['-'],
    allowed_words: "letters, digits and hyphens",
    first_letter: true,
    last: None,
    description: "1 to 52 characters: letters, digits and hyphens, starting with a letter",
};

static USAGE: BlockSchema = BlockSchema {
    attrs: &[AttrSchema::new(
        "tokens_per_month",
        AttrType::Number,
        "",
        "Expected tokens per month (input and output), for the cost forecast.",
    )],
    blocks: &[],
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "serverless_endpoint",
    arm_type: "Microsoft.MachineLearningServices/workspaces/serverlessEndpoints",
    api_version: "2025-12-01",
    name_rule: NameRule::Own(&NAME),
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A serverless endpoint: a catalogue model served pay-per-token, with no compute to manage.",
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
                "model_id",
                AttrType::String,
                "properties.modelSettings.modelId",
                "The catalogue model served, as an asset ID (`azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct`).",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "auth_mode",
                AttrType::Enum(AUTH_MODES),
                "properties.authMode",
                "How callers authenticate: `key` or `aad_token` (Microsoft Entra ID).",
            )
            .default(DefaultValue::Str("key")),
        ],
        blocks: &[NestedSchema {
            name: "usage",
            labels: 0,
            min: 0,
            max: Some(1),
            body: &USAGE,
            arm_path: "",
            create_only: false,
            doc: "Expected usage, used only by the cost forecast.",
        }],
    },
    exports: &[ExportSchema {
        name: "inference_uri",
        arm_path: "properties.inferenceEndpoint.uri",
        doc: "The URL that serves the model's API.",
    }],
    id: IdTemplate::Child {
        parent: "workspace",
    },
    behavior: KindBehavior {
        case_insensitive_paths: &["location"],
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    // Pay-per-token endpoints are billed per call, on the consumption SKU `az ml` creates.
    constants: &[("sku.name", "Consumption")],
    lower: None,
    children: &[],
    role_scope: true,
    checks: &[],
    cost: Some(cost),
    review: &[ReviewFact::AuthMode {
        attr: "auth_mode",
        key: "key",
    }],
};

/// Billed per token at the model's marketplace rate. The catalogue holds no per-model token
/// prices, so the line is unpriced (shown as such) unless a price file adds one.
fn cost(
    resource: &crate::model::Resource,
    ctx: &crate::cost::CostCtx<'_>,
) -> crate::cost::KindCost {
    use crate::cost::{Range, number, usage};
    let model = resource.body.str("model_id").unwrap_or("the model");
    let Some(tokens) = usage(resource).and_then(|u| number(u, "tokens_per_month")) else {
        return crate::cost::KindCost::Free(
            "billed per token; no usage { tokens_per_month } is given, so nothing is forecast"
                .into(),
        );
    };
    let thousands = tokens.max(0.0) / 1000.0;
    let price = ctx.price("serverless_tokens", model, "per_1k", &ctx.region(resource));
    crate::cost::KindCost::Billed(
        vec![crate::cost::lines::line(
            format!("{model} tokens"),
            price,
            Range::fixed(thousands),
            "1K tokens",
            format!("usage: {tokens} tokens a month"),
        )],
        Vec::new(),
    )
}

pub(crate) static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/serverlessEndpoints",
    read_only: &[
        "properties.endpointState",
        "properties.inferenceEndpoint",
        "properties.marketplaceSubscriptionId",
    ],
    lro: LroStyle::ASYNC_PUT,
    operation_urls: OperationUrls::MachineLearning,
    requires_location: true,
    operation_timeout: true,
    family: Family::Plain,
    source: "bicep-types-az 2025-09-01 ServerlessEndpointProperties (authMode required, modelSettings writable; endpointState, inferenceEndpoint, marketplaceSubscriptionId readOnly)",
    ..ArmSemantics::PLAIN
};
