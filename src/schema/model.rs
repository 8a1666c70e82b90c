//! `model`: one version of an Azure ML model (`workspaces/models/versions`).
//!
//! A registered name and version are immutable in Azure: changing the content means bumping
//! `version`. Only the description, stage and tags change in place. Asset tags live in
//! `properties.tags`, not at the top level of the body.

use super::semantics::ArmSemantics;
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, IdTemplate, KindBehavior,
    KindSchema,
};
use crate::azure::names::NameRule;

// ARM's `modelType` is a free string; these are the values Azure ML itself uses.
static MODEL_TYPES: &[EnumValue] = &[
    EnumValue::new("custom_model", "custom_model"),
    EnumValue::new("mlflow_model", "mlflow_model"),
    EnumValue::new("triton_model", "triton_model"),
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "model",
    arm_type: "Microsoft.MachineLearningServices/workspaces/models/versions",
    api_version: "2025-12-01",
    name_rule: NameRule::Asset,
    // Sent as `properties.tags`: asset versions have no top-level tags.
    has_tags: true,
    tags_path: "properties.tags",
    has_location: false,
    doc: "One immutable version of a registered model, pointing at its files in storage. Its tags are stored on the version.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the model is registered in.",
            )
            .create_only(),
            // Part of the resource ID, in place of `workspace`.
            AttrSchema::new(
                "registry",
                AttrType::Ref(&["registry"]),
                "",
                "The registry the model lives in instead of a workspace (shared by every workspace).",
            )
            .create_only(),
            // Part of the resource ID.
            AttrSchema::new(
                "version",
                AttrType::String,
                "",
                "The version string; bump it to register different model files.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "type",
                AttrType::Enum(MODEL_TYPES),
                "properties.modelType",
                "The format of the model files: any files, an MLflow model, or a Triton model repository.",
            )
            .default(DefaultValue::Str("custom_model"))
            .create_only(),
            AttrSchema::new(
                "path",
                AttrType::String,
                "properties.modelUri",
                "The URI of the model files (`azureml://datastores/NAME/paths/...` or a job output).",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of this version.",
            ),
            AttrSchema::new(
                "stage",
                AttrType::String,
                "properties.stage",
                "The lifecycle stage of this version (`Development`, `Production`, `Archived`, ...).",
            ),
        ],
        blocks: &[],
    },
    exports: &[],
    id: IdTemplate::VersionedAsset {
        parent: "workspace",
        version: "version",
        registry: Some("registry"),
        version_from: None,
    },
    behavior: KindBehavior::VERSIONED_ASSET,
    semantics: &SEMANTICS,
    constants: &[],
    lower: Some(super::datastore::lower_asset),
    children: &[],
    role_scope: false,
    checks: &[
        super::registry::check_asset_home,
        super::datastore::check_path_datastore,
    ],
    cost: Some(cost),
    review: &[],
};

static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/models/versions",
    ..super::arm_types::ASSET_VERSION
};

/// The kind's cost model: nothing is billed for it.
fn cost(_: &crate::model::Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free("a model version costs nothing of its own (its files are billed in the workspace's storage)".into())
}
