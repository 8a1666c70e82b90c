//! `data_asset`: one version of an Azure ML data asset (`workspaces/data/versions`), a named,
//! versioned pointer to data in storage.
//!
//! A version's content (`type`, `path`) is immutable in Azure: changing it means bumping
//! `version`. Only the description and tags change in place. Asset tags live in
//! `properties.tags`, not at the top level of the body.

use super::semantics::ArmSemantics;
use super::{AttrSchema, AttrType, BlockSchema, EnumValue, IdTemplate, KindBehavior, KindSchema};
use crate::azure::names::NameRule;

static DATA_TYPES: &[EnumValue] = &[
    EnumValue::new("uri_file", "uri_file"),
    EnumValue::new("uri_folder", "uri_folder"),
    EnumValue::new("mltable", "mltable"),
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "data_asset",
    arm_type: "Microsoft.MachineLearningServices/workspaces/data/versions",
    api_version: "2025-12-01",
    name_rule: NameRule::Asset,
    // Sent as `properties.tags`: asset versions have no top-level tags.
    has_tags: true,
    tags_path: "properties.tags",
    has_location: false,
    doc: "One immutable version of a data asset: a file, a folder or an MLTable in storage. Its tags are stored on the version.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the data asset is registered in.",
            )
            .required()
            .create_only(),
            // Part of the resource ID.
            AttrSchema::new(
                "version",
                AttrType::String,
                "",
                "The version string; bump it to point the asset at different data.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "type",
                AttrType::Enum(DATA_TYPES),
                "properties.dataType",
                "What `path` points at: a single file, a folder, or a folder with an MLTable definition.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "path",
                AttrType::String,
                "properties.dataUri",
                "The data's URI (`azureml://datastores/NAME/paths/...`, `https://...` or `abfss://...`).",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of this version.",
            ),
        ],
        blocks: &[],
    },
    exports: &[],
    id: IdTemplate::VersionedAsset {
        parent: "workspace",
        version: "version",
        registry: None,
        version_from: None,
    },
    behavior: KindBehavior::VERSIONED_ASSET,
    semantics: &SEMANTICS,
    constants: &[],
    lower: Some(super::datastore::lower_asset),
    children: &[],
    role_scope: false,
    checks: &[super::datastore::check_path_datastore],
    cost: Some(cost),
    review: &[],
};

static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/data/versions",
    // The discriminator (mfe.json 2025-09-01: create-only).
    create_only: &["properties.dataType"],
    ..super::arm_types::ASSET_VERSION
};

/// The kind's cost model: nothing is billed for it.
fn cost(_: &crate::model::Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free(
        "a data asset version costs nothing of its own (its data is billed where it is stored)"
            .into(),
    )
}
