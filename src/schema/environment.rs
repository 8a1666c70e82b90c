//! `environment`: one version of an Azure ML environment
//! (`workspaces/environments/versions`), the container image jobs and deployments run in.
//!
//! A version's content is immutable in Azure: changing it means bumping `version` (or, with
//! `lifecycle { replace_versions = true }`, deleting and re-creating the version). Only the
//! description and tags change in place. Asset tags live in `properties.tags`, not at the top
//! level of the body.

use super::semantics::{ArmSemantics, Family};
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, IdTemplate, KindBehavior,
    KindSchema, NestedSchema, Wire,
};
use crate::azure::names::NameRule;

static OS_TYPES: &[EnumValue] = &[
    EnumValue::new("linux", "Linux"),
    EnumValue::new("windows", "Windows"),
];

static BUILD: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "context",
            AttrType::String,
            "contextUri",
            "URI of the uploaded Docker build context (a blob or `azureml://` URI, not a local directory).",
        )
        .required()
        .create_only(),
        AttrSchema::new(
            "dockerfile_path",
            AttrType::String,
            "dockerfilePath",
            "Path of the Dockerfile inside the build context.",
        )
        .default(DefaultValue::Str("Dockerfile"))
        .create_only(),
    ],
    blocks: &[],
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "environment",
    arm_type: "Microsoft.MachineLearningServices/workspaces/environments/versions",
    api_version: "2025-12-01",
    name_rule: NameRule::Asset,
    // Sent as `properties.tags`: asset versions have no top-level tags.
    has_tags: true,
    tags_path: "properties.tags",
    has_location: false,
    doc: "One immutable version of an environment: a base image or Docker build, optionally with a conda specification. \
          Its tags are stored on the version.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the environment is registered in.",
            )
            .create_only(),
            // Part of the resource ID, in place of `workspace`.
            AttrSchema::new(
                "registry",
                AttrType::Ref(&["registry"]),
                "",
                "The registry the environment lives in instead of a workspace (shared by every workspace).",
            )
            .create_only(),
            // Part of the resource ID.
            AttrSchema::new(
                "version",
                AttrType::String,
                "",
                "The version string; bump it to change the environment's content.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "image",
                AttrType::String,
                "properties.image",
                "The base container image, as a full reference (`mcr.microsoft.com/azureml/...:TAG`).",
            )
            .create_only(),
            // The file is read and its content sent.
            AttrSchema::new(
                "conda_file",
                AttrType::FilePath,
                "properties.condaFile",
                "A conda environment YAML file, relative to the manifest file, whose content is installed on top of the image.",
            )
            .wire(Wire::FileContent)
            .create_only(),
            AttrSchema::new(
                "os_type",
                AttrType::Enum(OS_TYPES),
                "properties.osType",
                "The operating system of the image.",
            )
            .default(DefaultValue::Str("linux"))
            .create_only(),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of this version.",
            ),
        ],
        blocks: &[NestedSchema {
            name: "build",
            labels: 0,
            min: 0,
            max: Some(1),
            body: &BUILD,
            arm_path: "properties.build",
            create_only: true,
            doc: "Build the image from a Docker build context instead of using `image`.",
        }],
    },
    exports: &[],
    id: IdTemplate::VersionedAsset {
        parent: "workspace",
        version: "version",
        registry: Some("registry"),
        version_from: None,
    },
    // A conda file compares as parsed YAML: `az ml` and the service re-serialise it.
    behavior: KindBehavior {
        yaml_paths: &["properties.condaFile"],
        ..KindBehavior::VERSIONED_ASSET
    },
    semantics: &SEMANTICS,
    constants: &[],
    lower: None,
    children: &[],
    role_scope: false,
    checks: &[super::registry::check_asset_home],
    cost: Some(cost),
    review: &[],
};

static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/environments/versions",
    read_only: &["properties.environmentType"],
    family: Family::EnvironmentVersion,
    ..super::arm_types::ASSET_VERSION
};

/// The kind's cost model: nothing is billed for it.
fn cost(_: &crate::model::Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free("an environment version costs nothing of its own (its image is stored in the workspace's registry, billed there)".into())
}
