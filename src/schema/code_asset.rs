//! The code asset (`workspaces/codes/{name}/versions/{version}`): a directory of code a kind
//! runs (a deployment's scoring code; a component's, later), uploaded by amlplan. Any kind
//! with a `code` directory lists [`CODE_VERSION`] among its children and lowers it with
//! `arm::lower::code_asset`.
//!
//! The version is the content hash of the directory, so a changed file is a new version, and
//! the version's content is immutable like every asset version's. Its files go up before the
//! version PUT: `POST {version}/startPendingUpload` hands out a blob SAS URI, each file is
//! written under it, and `codeUri` names the blob directory (mfe.json 2025-09-01:
//! `CodeVersions_CreateOrGetStartPendingUpload`, `PendingUploadRequestDto` /
//! `PendingUploadResponseDto.blobReferenceForConsumption`; `CodeVersion.codeUri` and
//! `isAnonymous` create-only).

use super::semantics::{ArmSemantics, Family};
use super::{ArmTypeSchema, KindBehavior};

pub static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/codes/versions",
    family: Family::CodeVersion,
    source: "mfe.json 2025-09-01: CodeVersion (codeUri, isAnonymous create-only), synchronous and immutable once registered; startPendingUpload hands out a SAS blob reference",
    ..ArmSemantics::PLAIN
};

/// The code version entry of a kind with a `code` directory (`KIND.NAME.code`).
pub const CODE_VERSION: ArmTypeSchema = ArmTypeSchema {
    kind: "code_version",
    arm_type: "Microsoft.MachineLearningServices/workspaces/codes/versions",
    api_version: "2025-12-01",
    block: "",
    constants: &[],
    behavior: KindBehavior {
        // The service answers the blob URI with its own casing.
        case_insensitive_paths: &["properties.codeUri"],
        ..KindBehavior::VERSIONED_ASSET
    },
    semantics: &SEMANTICS,
    doc: "The `code` directory as a code asset version named by its content hash, uploaded before the version is registered.",
};

/// The action that hands out the upload URL, and where the blob URI goes in the body.
pub const UPLOAD_ACTION: &str = "startPendingUpload";
pub const CODE_URI_PATH: &str = "properties.codeUri";
