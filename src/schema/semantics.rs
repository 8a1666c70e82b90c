//! What ARM enforces on a resource type, as the emulator must enforce it: create-only
//! properties, read-only (server-set) properties a request may carry, secrets ARM accepts but
//! never returns, how writes are answered (synchronously or as long-running operations), and
//! the type's canonical casing.
//!
//! One [`ArmSemantics`] per ARM type, referenced by every [`KindSchema`] and [`ArmTypeSchema`]
//! of that type (a compute cluster and a compute instance share `workspaces/computes`); types
//! the emulator stores but amlplan does not model are in [`super::arm_types`].
//! [`arm_semantics`] finds a type's entry by its ARM type, [`create_only_paths`] the create-only
//! paths that apply to one body of it: the type's own list (ARM's, from the spec) plus the ARM
//! paths of every attribute its descriptors mark `create_only`.
//!
//! What cannot be data (a workspace's service-added outbound rules, an endpoint's traffic
//! checks, immutable asset versions, soft delete, ...) is code in the emulator, one file per
//! [`Family`], chosen through [`ArmSemantics::family`].

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{ArmTypeSchema, AttrSchema, BlockSchema, EntryKind, KINDS, KindSchema, meta};

/// How ARM answers one method on the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lro {
    /// Done when answered: PUT 200/201, DELETE 200.
    Sync,
    /// 201 (update: 200) with `Azure-AsyncOperation` and `Retry-After`.
    AsyncOperation,
    /// 202 with `Location` and `Retry-After`.
    Location,
    /// 202 with both `Azure-AsyncOperation` and `Location` (and `Retry-After`): private DNS.
    AcceptedWithBoth,
    /// 200/201 whose body's `provisioningState` is not terminal yet, and no status URL: the
    /// resource itself is read until it is (ARM's "original-uri" polling; Key Vault, Log
    /// Analytics).
    Provisioning,
}

/// Where the final resource of a long-running PUT is read (`x-ms-long-running-operation-options`
/// `final-state-via`; ARM's default for a PUT is the resource itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalStateVia {
    OriginalUri,
    Location,
    AzureAsyncOperation,
}

/// The long-running-operation style of each write method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LroStyle {
    pub put: Lro,
    pub patch: Lro,
    pub delete: Lro,
    /// Where a long-running PUT's final resource is read.
    pub final_state_via: FinalStateVia,
}

impl LroStyle {
    pub const SYNC: LroStyle = LroStyle {
        put: Lro::Sync,
        patch: Lro::Sync,
        delete: Lro::Sync,
        final_state_via: FinalStateVia::OriginalUri,
    };
    /// PUT and PATCH through `Azure-AsyncOperation`, DELETE through `Location`.
    pub const ASYNC_OPERATION: LroStyle = LroStyle {
        put: Lro::AsyncOperation,
        patch: Lro::AsyncOperation,
        delete: Lro::Location,
        final_state_via: FinalStateVia::AzureAsyncOperation,
    };
    /// PUT through `Azure-AsyncOperation`, PATCH and DELETE through `Location` (Azure ML
    /// computes, endpoints and deployments).
    pub const ASYNC_PUT: LroStyle = LroStyle {
        put: Lro::AsyncOperation,
        patch: Lro::Location,
        delete: Lro::Location,
        final_state_via: FinalStateVia::OriginalUri,
    };
    /// Every write through `Location`.
    pub const LOCATION: LroStyle = LroStyle {
        put: Lro::Location,
        patch: Lro::Location,
        delete: Lro::Location,
        final_state_via: FinalStateVia::Location,
    };
    /// Every write 202 with both status headers (private DNS zones and links).
    pub const ACCEPTED_WITH_BOTH: LroStyle = LroStyle {
        put: Lro::AcceptedWithBoth,
        patch: Lro::AcceptedWithBoth,
        delete: Lro::AcceptedWithBoth,
        final_state_via: FinalStateVia::OriginalUri,
    };
}

/// A property ARM does not change by PUT but through a POST action on the resource
/// (`…/computes/{name}/resize` with `{"targetVMSize": …}`).
#[derive(Debug, Clone, Copy)]
pub struct UpdateAction {
    /// The dotted path of the property in the body.
    pub path: &'static str,
    /// The action (the last segment of the POST path).
    pub action: &'static str,
    /// The field of the action's body that carries the new value.
    pub arg: &'static str,
    /// Constants a body must hold for the action to apply (a compute instance's
    /// `computeType`); empty: every body of the type.
    pub when: &'static [(&'static str, &'static str)],
}

impl ArmSemantics {
    /// The read-only paths at `api_version`: [`Self::read_only`] and those of
    /// [`Self::read_only_before`] that `api_version` precedes.
    pub fn read_only_at(&self, api_version: &str) -> Vec<&'static str> {
        let older = self
            .read_only_before
            .iter()
            .filter(|(_, writable_from)| api_version_before(api_version, writable_from))
            .map(|(path, _)| *path);
        self.read_only.iter().copied().chain(older).collect()
    }
}

/// Whether api-version `a` is older than `b`: their dates (`YYYY-MM-DD`, a `-preview`
/// suffix aside) compare as text.
pub fn api_version_before(a: &str, b: &str) -> bool {
    let date = |v: &str| v.get(..10).unwrap_or(v).to_string();
    date(a) < date(b)
}

impl UpdateAction {
    /// The action's POST body setting the property to `value`.
    pub fn request_body(&self, value: &serde_json::Value) -> serde_json::Value {
        let mut args = serde_json::Map::new();
        args.insert(self.arg.to_string(), value.clone());
        serde_json::Value::Object(args)
    }
}

/// A type whose DELETE keeps the resource soft-deleted under its name for a retention
/// period, and how a PUT of the name takes it back.
#[derive(Debug, Clone, Copy)]
pub struct SoftDeleted {
    /// The soft-deleted resource's ID, with `{subscription}`, `{location}` and `{name}`.
    pub deleted_id: &'static str,
    /// The property and value a PUT carries to recover it (a create would be refused).
    pub recover: (&'static str, &'static str),
    /// The body property that, when `true`, forbids purging it: the name stays taken until
    /// the retention period ends.
    pub purge_protection: &'static str,
}

impl SoftDeleted {
    /// The ID of the soft-deleted copy of the resource at `id` in `location`.
    pub fn deleted_id_of(&self, id: &str, location: &str) -> Option<String> {
        let mut parts = id.split('/');
        let subscription = parts.nth(2)?;
        let name = id.rsplit('/').next()?;
        Some(
            self.deleted_id
                .replace("{subscription}", subscription)
                .replace(
                    "{location}",
                    &location.to_ascii_lowercase().replace(' ', ""),
                )
                .replace("{name}", name),
        )
    }
}

/// What ARM does with a read-only property a PUT carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnlyPolicy {
    /// Dropped without a word (the specs' "any attempt to set this value will be ignored").
    Ignore,
    /// Refused with `400`.
    Refuse,
}

/// Where the type's provider serves its operation-status URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationUrls {
    /// `{sub}/providers/{namespace}/locations/{location}/operationStatuses|operationResults/{id}`.
    Generic,
    /// `…/Microsoft.MachineLearningServices/locations/{location}/mfeOperationsStatus|mfeOperationResults/{id}`.
    MachineLearning,
    /// `…/Microsoft.Network/locations/{location}/operations|operationResults/{id}`.
    Network,
    /// `{sub}/resourceGroups/{rg}/providers/Microsoft.Network/privateDnsOperationStatuses|privateDnsOperationResults/{id}`.
    PrivateDns,
}

/// The emulator's code for a type family beyond what the data here says (one file per family
/// in `provider/emulator/families/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Stored and returned as sent.
    Plain,
    Workspace,
    OutboundRule,
    Compute,
    OnlineEndpoint,
    OnlineDeployment,
    BatchEndpoint,
    /// `environments`, `data`, `models`, `codes`, `components` (workspace-scoped).
    AssetContainer,
    /// `.../{asset}/versions/{version}`: immutable once registered.
    AssetVersion,
    /// An environment version: an asset version the service marks `UserCreated`.
    EnvironmentVersion,
    /// A code version: an asset version whose `codeUri` must name uploaded blobs.
    CodeVersion,
    /// A `Microsoft.Consumption` budget: its period and notifications.
    Budget,
    /// A workspace schedule: the job or monitor definition its action needs.
    Schedule,
    PrivateEndpoint,
    /// A Key Vault: soft delete, purge protection, recovery by `createMode: recover`.
    KeyVault,
    DnsZone,
    VnetLink,
    DnsRecord,
    RoleAssignment,
    /// Other `Microsoft.Network` resources (virtual networks, subnets): etags.
    Network,
    ResourceGroup,
}

/// What ARM enforces on one resource type. See the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct ArmSemantics {
    /// The type with ARM's casing (`Microsoft.MachineLearningServices/workspaces/onlineEndpoints`).
    pub arm_type: &'static str,
    /// Create-only properties ARM has beyond the attributes marked `create_only` (which are
    /// derived from the descriptors, never repeated here), by dotted path; `a[].b` is field
    /// `b` of every element of the array at `a`.
    pub create_only: &'static [&'static str],
    /// Read-only (server-set) properties: what a PUT may not set.
    pub read_only: &'static [&'static str],
    /// Properties read-only only at the api-versions before the one named with each: what an
    /// older api-version's schema marks `readOnly` and a newer one makes writable. See
    /// [`ArmSemantics::read_only_at`].
    pub read_only_before: &'static [(&'static str, &'static str)],
    pub read_only_policy: ReadOnlyPolicy,
    /// Write-only properties: accepted and kept, never returned by GET.
    pub secrets: &'static [&'static str],
    /// Properties a PUT may not change but an action does.
    pub update_actions: &'static [UpdateAction],
    /// DELETE soft-deletes and a PUT of the name recovers it (a Key Vault).
    pub soft_deleted: Option<SoftDeleted>,
    /// Writes (PUT, DELETE) of resources of the type under one parent may not overlap: a
    /// second one while another is in progress fails (apply runs them one at a time).
    pub serial_under_parent: bool,
    pub lro: LroStyle,
    pub operation_urls: OperationUrls,
    /// A tracked resource: a PUT without `location` is refused.
    pub requires_location: bool,
    /// The service reports `properties.provisioningState`.
    pub provisioning_state: bool,
    /// Long-running operations report `x-ms-async-operation-timeout`.
    pub operation_timeout: bool,
    /// Responses carry an `etag`.
    pub etag: bool,
    pub family: Family,
    /// The error code of a PUT that changes a create-only property.
    pub create_only_code: &'static str,
    /// Its message; empty for ARM's usual "Changing property '{path}' is not allowed."
    pub create_only_message: &'static str,
    /// Where the lists come from (spec file and api-version), for whoever checks them next.
    pub source: &'static str,
}

impl ArmSemantics {
    /// A type with no special semantics; entries start from this with struct-update syntax.
    pub const PLAIN: ArmSemantics = ArmSemantics {
        arm_type: "",
        create_only: &[],
        read_only: &[],
        read_only_before: &[],
        read_only_policy: ReadOnlyPolicy::Ignore,
        secrets: &[],
        update_actions: &[],
        serial_under_parent: false,
        soft_deleted: None,
        lro: LroStyle::SYNC,
        operation_urls: OperationUrls::Generic,
        requires_location: false,
        provisioning_state: true,
        operation_timeout: false,
        etag: false,
        family: Family::Plain,
        create_only_code: "PropertyChangeNotAllowed",
        create_only_message: "",
        source: "",
    };
}

/// Read-only properties of every ARM resource and managed identity, besides each type's own.
pub const ENVELOPE_READ_ONLY: &[&str] = &[
    "id",
    "name",
    "type",
    "systemData",
    "etag",
    "identity.principalId",
    "identity.tenantId",
    "properties.provisioningState",
];

/// Every ARM type with semantics, by lower-cased type.
static REGISTRY: LazyLock<HashMap<String, &'static ArmSemantics>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let produced = super::produced_entries().map(|c| c.semantics);
    for s in KINDS
        .iter()
        .map(|k| k.semantics)
        .chain(produced)
        .chain(super::arm_types::UNMODELED.iter())
    {
        map.entry(s.arm_type.to_ascii_lowercase()).or_insert(s);
    }
    map
});

/// The semantics of an ARM type (any casing), if amlplan or the emulator knows it.
pub fn arm_semantics(arm_type: &str) -> Option<&'static ArmSemantics> {
    REGISTRY.get(&arm_type.to_ascii_lowercase()).copied()
}

/// Every type with semantics (each once, in no particular order).
pub fn all_arm_semantics() -> impl Iterator<Item = &'static ArmSemantics> {
    REGISTRY.values().copied()
}

/// The update actions of `arm_type` that apply to `body` (its `when` constants hold).
pub fn update_actions(arm_type: &str, body: &serde_json::Value) -> Vec<&'static UpdateAction> {
    arm_semantics(arm_type)
        .map(|s| {
            s.update_actions
                .iter()
                .filter(|a| {
                    a.when.iter().all(|(path, value)| {
                        crate::json_path::get(body, path)
                            .and_then(serde_json::Value::as_str)
                            .is_some_and(|v| v.eq_ignore_ascii_case(value))
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Where one attribute lands in its entry's ARM body.
#[derive(Debug, Clone)]
pub struct AttrArmPath {
    /// The attribute, dotted through nested blocks (`ssh.admin_password`).
    pub attr: String,
    /// Its dotted ARM path in the entry's body.
    pub path: String,
    pub schema: &'static AttrSchema,
    /// The attribute, or a block it sits in, is marked `create_only`.
    pub create_only: bool,
}

/// The ARM paths of an entry's attributes that map onto one property (attributes the kind
/// lowers itself and those of repeated blocks are left out: a repeated block's own path is
/// in [`block_paths`]).
pub fn attribute_paths(entry: EntryKind) -> Vec<AttrArmPath> {
    let mut out = Vec::new();
    match entry {
        EntryKind::Kind(k) => {
            if k.has_location {
                push_attr(&mut out, "", "", &meta::LOCATION, false);
            }
            if k.has_tags {
                out.push(AttrArmPath {
                    attr: "tags".into(),
                    path: k.tags_path.into(),
                    schema: &meta::TAGS,
                    create_only: false,
                });
            }
            walk(&k.body, "", "", false, &mut out, &mut Vec::new());
        }
        EntryKind::Produced(t) => {
            if let Some(body) = produced_block(t) {
                walk(body, "", "", false, &mut out, &mut Vec::new());
            }
        }
    }
    out
}

/// The ARM paths of an entry's nested blocks and whether each is create-only as a whole.
pub fn block_paths(entry: EntryKind) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let body = match entry {
        EntryKind::Kind(k) => Some(&k.body),
        EntryKind::Produced(t) => produced_block(t),
    };
    if let Some(body) = body {
        walk(body, "", "", false, &mut Vec::new(), &mut out);
    }
    out
}

fn push_attr(
    out: &mut Vec<AttrArmPath>,
    attr_prefix: &str,
    path_prefix: &str,
    a: &'static AttrSchema,
    inherited: bool,
) {
    out.push(AttrArmPath {
        attr: crate::json_path::join(attr_prefix, a.name),
        path: crate::json_path::join(path_prefix, a.arm_path),
        schema: a,
        create_only: inherited || a.create_only,
    });
}

fn walk(
    block: &'static BlockSchema,
    attr_prefix: &str,
    path_prefix: &str,
    inherited: bool,
    attrs: &mut Vec<AttrArmPath>,
    blocks: &mut Vec<(String, bool)>,
) {
    for a in block.attrs.iter().filter(|a| !a.arm_path.is_empty()) {
        push_attr(attrs, attr_prefix, path_prefix, a, inherited);
    }
    for b in block.blocks.iter().filter(|b| !b.arm_path.is_empty()) {
        let path = crate::json_path::join(path_prefix, b.arm_path);
        let create_only = inherited || b.create_only;
        blocks.push((path.clone(), create_only));
        if b.max == Some(1) {
            let attr = crate::json_path::join(attr_prefix, b.name);
            walk(b.body, &attr, &path, create_only, attrs, blocks);
        }
    }
}

/// An attribute whose ARM path is a read-only property of its entry's type at the entry's
/// api-version: ARM ignores what a PUT sends there, so the checker refuses it (E0715) and the
/// lowering never sends it.
#[derive(Debug, Clone)]
pub struct ReadOnlyAttr {
    /// The blocks, dotted from the resource's body, whose every instance holds the attribute
    /// (`managed_network.outbound_rule`; empty for the resource's own body).
    pub block: &'static str,
    /// The attribute, dotted through single blocks below `block`.
    pub attr: String,
    /// Its ARM path in the entry's body.
    pub path: String,
    pub arm_type: &'static str,
    pub api_version: &'static str,
}

/// The attributes of `kind` (its own entry's and those of the child entries lowered from its
/// blocks) that land on a read-only property of their ARM type.
pub fn read_only_attributes(kind: &'static KindSchema) -> Vec<ReadOnlyAttr> {
    let own = std::iter::once(("", EntryKind::Kind(kind), kind.api_version));
    let children = kind
        .children
        .iter()
        .filter(|c| !c.block.is_empty())
        .map(|c| (c.block, EntryKind::Produced(c), c.api_version));
    let mut out = Vec::new();
    for (block, entry, api_version) in own.chain(children) {
        let read_only = entry.semantics().read_only_at(api_version);
        for a in attribute_paths(entry) {
            if read_only
                .iter()
                .any(|ro| crate::json_path::is_within(&a.path, ro))
            {
                out.push(ReadOnlyAttr {
                    block,
                    attr: a.attr,
                    path: a.path,
                    arm_type: entry.arm_type(),
                    api_version,
                });
            }
        }
    }
    out
}

/// The read-only paths of the entry kind named `kind` at `api_version` that `body` sets:
/// what the lowering takes out before anything is sent.
pub fn read_only_paths_set(
    kind: &str,
    api_version: &str,
    body: &serde_json::Value,
) -> Vec<&'static str> {
    let Some(entry) = super::by_kind_name(kind) else {
        return Vec::new();
    };
    entry
        .semantics()
        .read_only_at(api_version)
        .into_iter()
        .filter(|p| crate::json_path::get(body, p).is_some())
        .collect()
}

/// The manifest block a child entry is lowered from (`managed_network.outbound_rule` of the
/// workspace), whose attribute paths are relative to the child's body.
fn produced_block(t: &'static ArmTypeSchema) -> Option<&'static BlockSchema> {
    let owner: &KindSchema = KINDS
        .iter()
        .find(|k| k.children.iter().any(|c| std::ptr::eq(c, t)))?;
    let mut body = &owner.body;
    for name in t.block.split('.').filter(|n| !n.is_empty()) {
        body = body.block(name)?.body;
    }
    (!t.block.is_empty() && !std::ptr::eq(body, &owner.body)).then_some(body)
}

/// One descriptor entry's create-only paths, with the constants that say which bodies of its
/// ARM type it describes.
struct EntryRules {
    arm_type: String,
    constants: &'static [(&'static str, &'static str)],
    paths: Vec<String>,
}

static ENTRY_RULES: LazyLock<Vec<EntryRules>> = LazyLock::new(|| {
    let kinds = KINDS.iter().map(|k| (EntryKind::Kind(k), k.constants));
    let produced = super::produced_entries().map(|c| (EntryKind::Produced(c), c.constants));
    kinds
        .chain(produced)
        .map(|(entry, constants)| {
            let mut paths: Vec<String> = attribute_paths(entry)
                .into_iter()
                .filter(|a| a.create_only)
                .map(|a| a.path)
                .collect();
            paths.extend(
                block_paths(entry)
                    .into_iter()
                    .filter(|(_, c)| *c)
                    .map(|(p, _)| p),
            );
            EntryRules {
                arm_type: entry.arm_type().to_ascii_lowercase(),
                constants,
                paths,
            }
        })
        .collect()
});

/// The create-only paths of a body of `arm_type`: the type's own list plus those of every
/// descriptor of the type whose constants the body does not contradict (a compute's
/// `computeType` says whether it is a cluster or an instance). `location` is not among them:
/// ARM refuses a move with an error of its own.
pub fn create_only_paths(arm_type: &str, body: &serde_json::Value) -> Vec<String> {
    let key = arm_type.to_ascii_lowercase();
    let mut out: Vec<String> = arm_semantics(arm_type)
        .map(|s| s.create_only.iter().map(|p| p.to_string()).collect())
        .unwrap_or_default();
    for rules in ENTRY_RULES.iter().filter(|r| r.arm_type == key) {
        let applies = rules.constants.iter().all(|(path, value)| {
            crate::json_path::get(body, path)
                .and_then(serde_json::Value::as_str)
                .is_none_or(|v| v.eq_ignore_ascii_case(value))
        });
        if applies {
            out.extend(rules.paths.iter().filter(|p| *p != "location").cloned());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_descriptor_of_a_type_shares_one_semantics_entry() {
        let entries = KINDS
            .iter()
            .map(|k| (k.arm_type, k.semantics))
            .chain(super::super::produced_entries().map(|c| (c.arm_type, c.semantics)));
        for (arm_type, semantics) in entries {
            assert_eq!(semantics.arm_type, arm_type, "casing of {arm_type}");
            let found = arm_semantics(arm_type).expect("registered");
            assert!(std::ptr::eq(found, semantics), "{arm_type} has two entries");
        }
        for s in super::super::arm_types::UNMODELED {
            assert!(
                std::ptr::eq(arm_semantics(s.arm_type).expect("registered"), s),
                "{} is both modelled and in arm_types",
                s.arm_type
            );
        }
    }

    /// The long-running-operation style of every modelled type, as its REST spec declares
    /// it (`x-ms-long-running-operation`, the responses and headers of PUT and DELETE,
    /// `final-state-via`), with the file it was read from. A descriptor that disagrees
    /// fails; a modelled type missing here fails too.
    const SPEC_LRO: &[(&str, Lro, Lro, FinalStateVia, &str)] = &[
        (
            "Microsoft.MachineLearningServices/workspaces",
            Lro::Location,
            Lro::Location,
            FinalStateVia::Location,
            "workspaceRP.json 2025-12-01: Workspaces_CreateOrUpdate 200/202 + Location; Workspaces_Delete 202 + Location, final-state-via location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/outboundRules",
            Lro::Location,
            Lro::Location,
            FinalStateVia::Location,
            "workspaceRP.json 2025-12-01: ManagedNetworkSettingsRule_CreateOrUpdate and _Delete 202 + Location, final-state-via location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/connections",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "workspaceRP.json 2025-09-01: WorkspaceConnections_Create 200; _Delete 200/204; neither long-running",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/computes",
            Lro::AsyncOperation,
            Lro::AcceptedWithBoth,
            FinalStateVia::OriginalUri,
            "machineLearningServices.json 2025-12-01: Compute_CreateOrUpdate 200/201 + Azure-AsyncOperation; Compute_Delete 200/202/204 + Azure-AsyncOperation and Location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: OnlineEndpoints_CreateOrUpdate 201 + Azure-AsyncOperation, final-state-via original-uri; _Delete 202 + Location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: OnlineDeployments_CreateOrUpdate 201 + Azure-AsyncOperation, final-state-via original-uri; _Delete 202 + Location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/batchEndpoints",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: BatchEndpoints_CreateOrUpdate 201 + Azure-AsyncOperation, final-state-via original-uri; _Delete 202 + Location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: BatchDeployments_CreateOrUpdate 201 + Azure-AsyncOperation, final-state-via original-uri; _Delete 202 + Location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/serverlessEndpoints",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: ServerlessEndpoints_CreateOrUpdate 201 + Azure-AsyncOperation, final-state-via original-uri; _Delete 202 + Location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/environments/versions",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: EnvironmentVersions_CreateOrUpdate 200/201, _Delete 200/204",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/data/versions",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: DataVersions_CreateOrUpdate 200/201, _Delete 200/204",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/models/versions",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: ModelVersions_CreateOrUpdate 200/201, _Delete 200/204",
        ),
        (
            "Microsoft.MachineLearningServices/registries",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::AzureAsyncOperation,
            "registries.json 2025-12-01: Registries_CreateOrUpdate 200/201, final-state-via azure-async-operation; Registries_Delete 202 + Location, final-state-via location",
        ),
        (
            "Microsoft.MachineLearningServices/registries/models/versions",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: RegistryModelVersions_CreateOrUpdate 200/201 + Azure-AsyncOperation, final-state-via original-uri; _Delete 200/202/204 + Location, final-state-via location",
        ),
        (
            "Microsoft.MachineLearningServices/registries/models",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: RegistryModelContainers_CreateOrUpdate 201 + Azure-AsyncOperation, final-state-via original-uri; _Delete 202 + Location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/schedules",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: Schedules_CreateOrUpdate 201 + Azure-AsyncOperation, final-state-via original-uri; _Delete 202 + Location",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/datastores",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: Datastores_CreateOrUpdate 200/201, _Delete 200/204",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/components/versions",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: ComponentVersions_CreateOrUpdate 200/201, _Delete 200/204",
        ),
        (
            "Microsoft.MachineLearningServices/workspaces/codes/versions",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "mfe.json 2025-12-01: CodeVersions_CreateOrUpdate 200/201, _Delete 200/204; CodeVersions_CreateOrGetStartPendingUpload (POST) 200",
        ),
        (
            "Microsoft.Consumption/budgets",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "consumption.json 2024-08-01: Budgets_CreateOrUpdate 200/201 and Budgets_Delete 200, not long-running",
        ),
        (
            "Microsoft.Network/privateDnsZones",
            Lro::AcceptedWithBoth,
            Lro::AcceptedWithBoth,
            FinalStateVia::OriginalUri,
            "privatedns.json 2024-06-01: PrivateZones_CreateOrUpdate 200/201/202 and _Delete 200/202/204, long-running; the service answers 202 with Azure-AsyncOperation and Location",
        ),
        (
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            Lro::AcceptedWithBoth,
            Lro::AcceptedWithBoth,
            FinalStateVia::OriginalUri,
            "privatedns.json 2024-06-01: VirtualNetworkLinks_CreateOrUpdate 200/201/202 and _Delete 200/202/204, long-running",
        ),
        (
            "Microsoft.Network/privateDnsZones/A",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "privatedns.json 2024-06-01: RecordSets_CreateOrUpdate 200/201 and _Delete 200/204, not long-running",
        ),
        (
            "Microsoft.Network/privateEndpoints",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::AzureAsyncOperation,
            "privateEndpoint.json 2024-05-01: PrivateEndpoints_CreateOrUpdate 200/201, final-state-via azure-async-operation; _Delete 200/202/204, final-state-via location",
        ),
        (
            "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
            Lro::AsyncOperation,
            Lro::Location,
            FinalStateVia::AzureAsyncOperation,
            "privateEndpoint.json 2024-05-01: PrivateDnsZoneGroups_CreateOrUpdate 200/201, final-state-via azure-async-operation; _Delete 200/202/204, final-state-via location",
        ),
        (
            "Microsoft.Storage/storageAccounts",
            Lro::Location,
            Lro::Sync,
            FinalStateVia::Location,
            "storage.json 2023-05-01: StorageAccounts_Create 200/202 + Location; StorageAccounts_Delete 200/204",
        ),
        (
            "Microsoft.KeyVault/vaults",
            Lro::Provisioning,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "keyvault.json 2023-07-01: Vaults_CreateOrUpdate 200/201, long-running without status headers; Vaults_Delete 200/204",
        ),
        (
            "Microsoft.OperationalInsights/workspaces",
            Lro::Provisioning,
            Lro::Location,
            FinalStateVia::OriginalUri,
            "OperationalInsights Workspaces.json 2023-09-01: Workspaces_CreateOrUpdate 200/201/202 and Workspaces_Delete 200/202/204, long-running",
        ),
        (
            "Microsoft.Insights/components",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "applicationInsights components_API.json 2020-02-02: Components_CreateOrUpdate 200, _Delete 200/204",
        ),
        (
            "Microsoft.Insights/autoscalesettings",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "autoscale_API.json 2022-10-01: AutoscaleSettings_CreateOrUpdate 200/201, _Delete 200/204",
        ),
        (
            "Microsoft.Authorization/roleAssignments",
            Lro::Sync,
            Lro::Sync,
            FinalStateVia::OriginalUri,
            "authorization-RoleAssignmentsCalls.json 2022-04-01: RoleAssignments_Create 200/201, _Delete 200/204",
        ),
    ];

    #[test]
    fn read_only_paths_follow_the_api_version() {
        let rules = arm_semantics("Microsoft.MachineLearningServices/workspaces/outboundRules")
            .expect("outbound rules");
        let prefixes = "properties.destination.addressPrefixes";
        assert!(rules.read_only_at("2025-09-01").contains(&prefixes));
        assert!(!rules.read_only_at("2025-12-01").contains(&prefixes));
        assert!(
            rules
                .read_only_at("2025-12-01")
                .contains(&"properties.parentRuleNames")
        );
        // The checker follows the api-version the rule is sent at.
        let workspace = super::super::kind("workspace").expect("workspace");
        assert!(
            read_only_attributes(workspace)
                .iter()
                .all(|a| a.attr != "address_prefixes"),
            "address_prefixes is writable at {}",
            workspace.api_version
        );
        assert!(api_version_before("2025-09-01", "2025-12-01"));
        assert!(!api_version_before("2026-01-15-preview", "2025-12-01"));
    }

    #[test]
    fn lro_styles_are_the_specs() {
        let mut wrong = Vec::new();
        for (arm_type, put, delete, final_state, source) in SPEC_LRO {
            let Some(s) = arm_semantics(arm_type) else {
                wrong.push(format!("{arm_type}: no semantics ({source})"));
                continue;
            };
            let lro = s.lro;
            let long_running = put != &Lro::Sync;
            if lro.put != *put
                || lro.delete != *delete
                || (long_running && lro.final_state_via != *final_state)
            {
                wrong.push(format!(
                    "{arm_type}: descriptor {:?}, spec put {put:?} delete {delete:?} final-state-via {final_state:?} ({source})",
                    lro
                ));
            }
        }
        let modelled = KINDS
            .iter()
            .map(|k| k.arm_type)
            .chain(super::super::produced_entries().map(|c| c.arm_type));
        for t in modelled {
            if !SPEC_LRO.iter().any(|(a, ..)| a.eq_ignore_ascii_case(t)) {
                wrong.push(format!("{t}: not in the spec table"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn create_only_paths_follow_the_discriminator() {
        let computes = "Microsoft.MachineLearningServices/workspaces/computes";
        let cluster = serde_json::json!({"properties": {"computeType": "AmlCompute"}});
        let instance = serde_json::json!({"properties": {"computeType": "ComputeInstance"}});
        let c = create_only_paths(computes, &cluster);
        let i = create_only_paths(computes, &instance);
        assert!(!c.contains(&"properties.properties.scaleSettings.maxNodeCount".into()));
        assert!(c.contains(&"properties.description".into()), "{c:?}");
        // A cluster's identity can change; an instance's cannot.
        assert!(!c.contains(&"identity".into()), "{c:?}");
        assert!(i.contains(&"identity".into()), "{i:?}");
        // The spec's list comes first, then the attributes'.
        assert_eq!(c[0], "properties.computeType");
    }

    #[test]
    fn child_entries_take_their_blocks_attributes() {
        let rule = super::super::by_kind_name("outbound_rule").expect("outbound_rule");
        let paths: Vec<String> = attribute_paths(rule).into_iter().map(|a| a.path).collect();
        assert!(paths.contains(&"properties.destination.serviceResourceId".into()));
        let implicit = super::super::by_kind_name("storage_account").expect("storage_account");
        assert!(attribute_paths(implicit).is_empty());
    }
}
