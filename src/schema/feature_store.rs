//! `feature_store`: an Azure ML managed feature store, which ARM models as a workspace of
//! `kind: FeatureStore` (`Microsoft.MachineLearningServices/workspaces`) with
//! `featureStoreSettings`; its offline and online materialization stores are workspace
//! connections (`workspaces/{fs}/connections/{name}`) that the settings name.
//!
//! A feature store is a workspace: it takes every attribute and block of the workspace kind,
//! its implicit storage account, key vault and Application Insights, its checks, cost and
//! lowering ([`super::workspace::ATTRS`], [`super::workspace::BLOCKS`],
//! [`super::workspace::CHILDREN`] and `arm::lower::workspace::lower`, not copies). What is its
//! own is here: the `kind` constant, `offline_store`/`online_store` (each a connection entry,
//! named in the settings), `compute_runtime`, and the role assignment that lets the feature
//! store's identity write the offline store.
//!
//! Sources (workspaceRP.json 2025-09-01): `FeatureStoreSettings` is `computeRuntime`
//! (`ComputeRuntimeDto.sparkRuntimeVersion`), `offlineStoreConnectionName` and
//! `onlineStoreConnectionName`; `WorkspaceConnectionPropertiesV2` requires `authType` (the
//! discriminator) and has `category` (`ADLSGen2`, `Redis`, ...) and `target`;
//! `createdByWorkspaceArmId` and `group` are read-only; `WorkspaceConnections_Create` answers
//! 200, `_Update` (PATCH) 200 and `_Delete` 200/204: none is long-running. azure-ai-ml names
//! the offline store's category `ADLSGen2` and the online store's `Redis`, and grants the
//! materialization identity `Storage Blob Data Contributor` on the offline store. The
//! connections here authenticate as `AAD` (`AADAuthTypeWorkspaceConnectionProperties`, no
//! stored credentials): the store is reached with the feature store's own identity, which is
//! why that identity gets the role.
//!
//! The role assignment needs the identity's principal ID, known once the feature store exists
//! (`Resource::known`): until then its principal and ID are unknown in the plan, as a
//! `role_assignment` naming `feature_store.x.principal_id` is. A feature store whose only
//! identity is user-assigned gets none (the identity's principal is not in the manifest; grant
//! it with a `role_assignment`). Not modelled: user-assigned materialization identities on the
//! connections.

use serde_json::{Map, Value as Json, json};

use super::semantics::{ArmSemantics, OperationUrls};
use super::workspace::{ATTRS, BLOCKS, CHILDREN};
use super::{
    ArmTypeSchema, AttrSchema, AttrType, BlockSchema, IdTemplate, KindBehavior, KindSchema,
    LoweredAt, NestedSchema,
};
use crate::arm::Desired;
use crate::arm::lower::{Ctx, EntryInit, apply_behavior, body, entry, present};
use crate::azure::names::NameRule;
use crate::azure::roles;
use crate::check::rules::RuleCtx;
use crate::diagnostic::Diagnostics;
use crate::lang::value::Value;
use crate::model::Resource;

/// The data role the feature store's identity needs on its offline store: materialization
/// jobs write the feature tables there.
pub const OFFLINE_STORE_ROLE: &str = "Storage Blob Data Contributor";

/// The names of the store connections in the feature store (each store has one).
const OFFLINE_NAME: &str = "offline-store";
const ONLINE_NAME: &str = "online-store";

const OFFLINE_TYPES: &[&str] = &[
    "Microsoft.Storage/storageAccounts",
    "Microsoft.Storage/storageAccounts/blobServices/containers",
];

/// The feature store's own attributes, after the workspace's.
const OWN_ATTRS: [AttrSchema; 2] = [
    AttrSchema::new(
        "offline_store",
        AttrType::ArmId(OFFLINE_TYPES),
        "",
        "ARM ID of the ADLS Gen2 storage account (or its container) that holds the offline store; the feature store's identity is granted Storage Blob Data Contributor on it.",
    )
    .lowered_at(&[LoweredAt::entry("offline_store_connection", "properties.target")]),
    AttrSchema::new(
        "online_store",
        AttrType::ArmId(&["Microsoft.Cache/Redis"]),
        "",
        "ARM ID of the Azure Cache for Redis that holds the online store (optional).",
    )
    .lowered_at(&[LoweredAt::entry("online_store_connection", "properties.target")]),
];

/// `N` attributes then `M`: the workspace's and the feature store's, in one table.
const fn concat<const N: usize, const M: usize, const T: usize>(
    first: [AttrSchema; N],
    then: [AttrSchema; M],
) -> [AttrSchema; T] {
    assert!(N + M == T && N > 0);
    let mut out = [first[0]; T];
    let mut i = 0;
    while i < N {
        out[i] = first[i];
        i += 1;
    }
    let mut j = 0;
    while j < M {
        out[N + j] = then[j];
        j += 1;
    }
    out
}

static ALL_ATTRS: [AttrSchema; 12] = concat(ATTRS, OWN_ATTRS);

static COMPUTE_RUNTIME: BlockSchema = BlockSchema {
    attrs: &[AttrSchema::new(
        "spark_runtime_version",
        AttrType::String,
        "sparkRuntimeVersion",
        "The Azure Synapse Spark runtime version that materializes features (`3.4`).",
    )
    .required()],
    blocks: &[],
};

const COMPUTE_RUNTIME_BLOCK: NestedSchema = NestedSchema {
    name: "compute_runtime",
    labels: 0,
    min: 1,
    max: Some(1),
    body: &COMPUTE_RUNTIME,
    arm_path: "properties.featureStoreSettings.computeRuntime",
    create_only: false,
    doc: "The Spark runtime of the feature store's materialization jobs.",
};

static CONNECTION_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/connections",
    read_only: &["properties.createdByWorkspaceArmId", "properties.group"],
    operation_urls: OperationUrls::MachineLearning,
    provisioning_state: false,
    source: "workspaceRP.json 2025-09-01: WorkspaceConnections_Create 200, _Update 200, _Delete 200/204 (none long-running); createdByWorkspaceArmId and group readOnly; no provisioningState",
    ..ArmSemantics::PLAIN
};

const CONNECTION_BEHAVIOR: KindBehavior = KindBehavior {
    case_insensitive_paths: &["properties.target"],
    ..KindBehavior::PLAIN
};

/// The offline store's connection (`FS.offline_store_connection`).
const OFFLINE_CONNECTION: ArmTypeSchema = ArmTypeSchema {
    kind: "offline_store_connection",
    arm_type: "Microsoft.MachineLearningServices/workspaces/connections",
    api_version: "2025-12-01",
    block: "",
    constants: &[
        ("properties.authType", "AAD"),
        ("properties.category", "ADLSGen2"),
    ],
    behavior: CONNECTION_BEHAVIOR,
    semantics: &CONNECTION_SEMANTICS,
    doc: "The connection of a feature store to its offline store (ADLS Gen2).",
};

/// The online store's connection (`FS.online_store_connection`).
const ONLINE_CONNECTION: ArmTypeSchema = ArmTypeSchema {
    kind: "online_store_connection",
    constants: &[
        ("properties.authType", "AAD"),
        ("properties.category", "Redis"),
    ],
    doc: "The connection of a feature store to its online store (Azure Cache for Redis).",
    ..OFFLINE_CONNECTION
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "feature_store",
    doc: "A managed feature store: a workspace of kind FeatureStore, with the Spark runtime that materializes features and the connections of its offline and online stores. \
          Everything a workspace accepts, a feature store accepts; its identity is granted the data role it needs on the offline store.",
    body: BlockSchema {
        attrs: &ALL_ATTRS,
        blocks: &[
            BLOCKS[0],
            BLOCKS[1],
            BLOCKS[2],
            BLOCKS[3],
            BLOCKS[4],
            COMPUTE_RUNTIME_BLOCK,
        ],
    },
    id: IdTemplate::ResourceGroup,
    constants: &[
        ("sku.name", "Basic"),
        ("sku.tier", "Basic"),
        ("kind", "FeatureStore"),
    ],
    lower: Some(lower),
    checks: &[
        crate::check::rules::check_managed_network,
        check_offline_store_not_sensitive,
    ],
    children: &[
        CHILDREN[0],
        CHILDREN[1],
        CHILDREN[2],
        CHILDREN[3],
        CHILDREN[4],
        OFFLINE_CONNECTION,
        ONLINE_CONNECTION,
    ],
    name_rule: NameRule::Workspace,
    ..super::workspace::SCHEMA_BASE
};

/// The workspace's entries, the settings naming the store connections, a connection per
/// store, and the offline store's role assignment.
fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut out = crate::arm::lower::workspace::lower(ctx, r);
    let id = ctx.id(&r.address);
    let stores = [
        (
            "offline_store",
            OFFLINE_NAME,
            "offlineStoreConnectionName",
            &OFFLINE_CONNECTION,
        ),
        (
            "online_store",
            ONLINE_NAME,
            "onlineStoreConnectionName",
            &ONLINE_CONNECTION,
        ),
    ];
    // `az ml feature-store create` gives the feature store a system-assigned identity unless
    // told which: the identity the store connections and the offline store's role are for.
    if r.body.block("identity").is_none()
        && let Some(own) = out.iter_mut().find(|d| d.address == r.address)
    {
        body::put(&mut own.body, "identity.type", json!("SystemAssigned"));
    }
    for (attr_name, name, setting, produced) in stores {
        let Some(attr) = present(&r.body, attr_name) else {
            continue;
        };
        if let Some(own) = out.iter_mut().find(|d| d.address == r.address) {
            body::put(
                &mut own.body,
                &format!("properties.featureStoreSettings.{setting}"),
                json!(name),
            );
        }
        let target = ctx.json(&attr.value);
        out.push(connection(r, &id, name, produced, target, attr.sensitive));
        if attr_name == "offline_store"
            && let Some(grant) = offline_store_access(ctx, r, &ctx.text(&attr.value))
        {
            out.push(grant);
        }
    }
    out
}

/// One store's connection: the child resource `workspaces/connections/NAME`.
fn connection(
    r: &Resource,
    store_id: &str,
    name: &str,
    produced: &'static ArmTypeSchema,
    target: Json,
    sensitive: bool,
) -> Desired {
    let mut d = entry(EntryInit {
        address: format!("{}.{}", r.address, produced.kind),
        kind: produced.kind,
        id: format!("{store_id}/{}/{name}", produced.segment()),
        api_version: produced.api_version,
        span: r.header_span(),
    });
    let mut out = Json::Object(Map::new());
    for (path, value) in produced.constants {
        body::put(&mut out, path, json!(value));
    }
    body::put(&mut out, "properties.target", target);
    if sensitive {
        d.sensitive.push("properties.target".into());
    }
    d.body = out;
    d.depends_on.push(r.address.clone());
    apply_behavior(&mut d, &produced.behavior);
    d
}

/// Whether the feature store has a system-assigned identity (one without an `identity` block
/// gets one).
fn has_system_identity(r: &Resource) -> bool {
    r.body
        .block("identity")
        .and_then(|i| i.body.str("type"))
        .is_none_or(|t| t != "user_assigned")
}

/// The assignment of [`OFFLINE_STORE_ROLE`] to the feature store's system-assigned identity
/// at the offline store: `FS.offline_store_access`, an entry of the role-assignment kind.
fn offline_store_access(ctx: &Ctx<'_>, r: &Resource, scope: &str) -> Option<Desired> {
    if !has_system_identity(r) {
        return None;
    }
    let role = roles::role_by_name(OFFLINE_STORE_ROLE)?;
    let kind = &super::role_assignment::SCHEMA;
    let principal = r
        .known
        .get("principal_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let marker = crate::arm::lower::unknown::marker();
    let name = match &principal {
        Some(p) if !scope.contains(marker) => {
            crate::arm::lower::role_assignment_name(scope, p, role.guid).to_string()
        }
        _ => marker.to_string(),
    };
    let subscription = crate::azure::arm_id::ArmId::parse(scope)
        .ok()
        .and_then(|id| id.subscription)
        .unwrap_or_else(|| ctx.azure.subscription.clone());
    let mut d = entry(EntryInit {
        address: format!("{}.offline_store_access", r.address),
        kind: kind.kind,
        id: format!("{scope}/providers/{}/{name}", kind.arm_type),
        api_version: kind.api_version,
        span: r.header_span(),
    });
    d.body = json!({"properties": {
        "roleDefinitionId": roles::role_definition_id(&subscription, role.guid),
        "principalId": principal.unwrap_or_else(|| marker.to_string()),
        "principalType": "ServicePrincipal",
    }});
    d.create_only.push(crate::arm::PathRule {
        path: "properties.principalId".into(),
        attribute: "principal_id".into(),
    });
    d.depends_on.push(r.address.clone());
    apply_behavior(&mut d, &kind.behavior);
    Some(d)
}

/// E0509: the offline store is the scope of the feature store's role assignment, so it is part
/// of that assignment's ARM ID, which every plan and the state show.
fn check_offline_store_not_sensitive(store: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    if let Some(attr) = store.body.attr("offline_store")
        && attr.sensitive
        && has_system_identity(store)
    {
        diags.push(crate::diagnostics::values::sensitive_in_arm_id(
            "offline_store",
            attr.key_span,
        ));
    }
}
