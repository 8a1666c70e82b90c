//! `workspace`: an Azure Machine Learning workspace (`Microsoft.MachineLearningServices/workspaces`),
//! with its managed network and outbound rules.

use super::descriptor::ReviewFact;
use super::meta::{IDENTITY_TYPES, UAI_TYPE};
use super::semantics::{
    ArmSemantics, Family, FinalStateVia, Lro, LroStyle, OperationUrls, SoftDeleted,
};
use super::{
    ArmTypeSchema, AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, ExportSchema,
    IdTemplate, KindBehavior, KindSchema, LoweredAt, NestedSchema, Wire,
};
use crate::azure::names::NameRule;

const KEY_VAULT_TYPE: &[&str] = &["Microsoft.KeyVault/vaults"];
const SUBNET_TYPE: &[&str] = &["Microsoft.Network/virtualNetworks/subnets"];

static IDENTITY: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "type",
            AttrType::Enum(IDENTITY_TYPES),
            "type",
            "Which managed identities the workspace has: system-assigned, user-assigned or both.",
        )
        .required(),
        // A list here; ARM wants a map keyed by identity ID with empty objects as values.
        AttrSchema::new(
            "user_assigned_ids",
            AttrType::List(&AttrType::ArmId(UAI_TYPE)),
            "userAssignedIdentities",
            "ARM IDs of the user-assigned identities to attach.",
        )
        .wire(Wire::IdMap),
        // Lowered by the kind to `properties.primaryUserAssignedIdentity`, outside `identity`.
        AttrSchema::new(
            "primary_user_assigned_id",
            AttrType::ArmId(UAI_TYPE),
            "",
            "ARM ID of the user-assigned identity that acts as the workspace identity (needed when there is no system-assigned one).",
        )
        .lowered_at(&[LoweredAt::own("properties.primaryUserAssignedIdentity")]),
    ],
    blocks: &[],
};

// The block as a whole is updatable because the customer-managed key can be rotated
// (`keyIdentifier` is in ARM's PATCH model); turning encryption on or off, the key vault and the
// identity are fixed at creation. Adding or removing the block on an existing workspace is a
// replacement, which the kind's diff decides. The lowering adds `status: "Enabled"`.
static ENCRYPTION: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "key_vault",
            AttrType::ArmId(KEY_VAULT_TYPE),
            "keyVaultProperties.keyVaultArmId",
            "ARM ID of the key vault that holds the customer-managed key.",
        )
        .required()
        .create_only(),
        AttrSchema::new(
            "key_identifier",
            AttrType::String,
            "keyVaultProperties.keyIdentifier",
            "The key's URI in the key vault (`https://VAULT.vault.azure.net/keys/NAME/VERSION`); changing it rotates the key.",
        )
        .required(),
        AttrSchema::new(
            "identity",
            AttrType::ArmId(UAI_TYPE),
            "identity.userAssignedIdentity",
            "ARM ID of the user-assigned identity used to read the key (the system-assigned identity if absent).",
        )
        .create_only(),
    ],
    blocks: &[],
};

static OUTBOUND_RULE_TYPES: &[EnumValue] = &[
    EnumValue::new("fqdn", "FQDN"),
    EnumValue::new("private_endpoint", "PrivateEndpoint"),
    EnumValue::new("service_tag", "ServiceTag"),
];

static PROTOCOLS: &[EnumValue] = &[
    EnumValue::new("tcp", "TCP"),
    EnumValue::new("udp", "UDP"),
    EnumValue::new("icmp", "ICMP"),
    EnumValue::new("any", "*"),
];

static RULE_ACTIONS: &[EnumValue] = &[
    EnumValue::new("allow", "Allow"),
    EnumValue::new("deny", "Deny"),
];

// One `outbound_rule "NAME"` block is the child resource `workspaces/outboundRules/NAME`; the
// paths below are relative to that resource's body. The lowering sets `category: "UserDefined"`.
// Which attributes a rule needs depends on its `type` (checked by the kind): `fqdn` takes
// `destination`; `private_endpoint` takes `resource_id`, `subresource` and `spark`;
// `service_tag` takes `service_tag` or `address_prefixes`, `protocol`, `ports` and `action`.
static OUTBOUND_RULE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "type",
            AttrType::Enum(OUTBOUND_RULE_TYPES),
            "properties.type",
            "What the rule allows traffic to: a domain name, a private endpoint to an Azure resource, or a service tag.",
        )
        .required()
        .create_only(),
        AttrSchema::new(
            "destination",
            AttrType::String,
            "properties.destination",
            "For `fqdn` rules, the domain name to allow (`*.` wildcards allowed).",
        ),
        AttrSchema::new(
            "resource_id",
            AttrType::RefOrArmId {
                kinds: &["workspace"],
                arm_types: &[],
            },
            "properties.destination.serviceResourceId",
            "For `private_endpoint` rules, the Azure resource the managed network reaches through a private endpoint.",
        )
        .create_only(),
        AttrSchema::new(
            "subresource",
            AttrType::String,
            "properties.destination.subresourceTarget",
            "For `private_endpoint` rules, the private-link sub-resource of the target (`blob`, `file`, `dfs`, `vault`, `amlworkspace`, ...).",
        )
        .create_only(),
        AttrSchema::new(
            "spark",
            AttrType::Bool,
            "properties.destination.sparkEnabled",
            "For `private_endpoint` rules, whether serverless Spark jobs may use the private endpoint too.",
        )
        .create_only(),
        AttrSchema::new(
            "service_tag",
            AttrType::String,
            "properties.destination.serviceTag",
            "For `service_tag` rules, the Azure service tag to allow (`AzureActiveDirectory`, `Storage.westeurope`, ...).",
        ),
        AttrSchema::new(
            "protocol",
            AttrType::Enum(PROTOCOLS),
            "properties.destination.protocol",
            "For `service_tag` rules, the IP protocol the rule applies to.",
        ),
        AttrSchema::new(
            "ports",
            AttrType::String,
            "properties.destination.portRanges",
            "For `service_tag` rules, the destination ports: one port, a comma-separated list or a range (`\"443\"`, `\"80,443\"`, `\"1000-2000\"`).",
        ),
        AttrSchema::new(
            "address_prefixes",
            AttrType::List(&AttrType::String),
            "properties.destination.addressPrefixes",
            "For `service_tag` rules, CIDR ranges to allow instead of a service tag.",
        ),
        AttrSchema::new(
            "action",
            AttrType::Enum(RULE_ACTIONS),
            "properties.destination.action",
            "For `service_tag` rules, whether matching traffic is allowed or denied (Azure allows when absent).",
        ),
    ],
    blocks: &[],
};

static ISOLATION_MODES: &[EnumValue] = &[
    EnumValue::new("disabled", "Disabled"),
    EnumValue::new("allow_internet_outbound", "AllowInternetOutbound"),
    EnumValue::new("allow_only_approved_outbound", "AllowOnlyApprovedOutbound"),
];

static FIREWALL_SKUS: &[EnumValue] = &[
    EnumValue::new("standard", "Standard"),
    EnumValue::new("basic", "Basic"),
];

static MANAGED_NETWORK: BlockSchema = BlockSchema {
    attrs: &[
        // One-way in Azure: once enabled it cannot go back to `disabled` (the kind's diff plans
        // that as a replacement).
        AttrSchema::new(
            "isolation_mode",
            AttrType::Enum(ISOLATION_MODES),
            "isolationMode",
            "How outbound traffic from the managed network is restricted; once enabled it cannot be turned back to `disabled`.",
        )
        .default(DefaultValue::Str("disabled")),
        AttrSchema::new(
            "firewall_sku",
            AttrType::Enum(FIREWALL_SKUS),
            "firewallSku",
            "The tier of the Azure Firewall that enforces `fqdn` rules in `allow_only_approved_outbound` mode.",
        ),
        // Lowered by the kind: `properties.provisionNetworkNow` at creation, the
        // `provisionManagedNetwork` action on an existing workspace.
        AttrSchema::new(
            "provision_now",
            AttrType::Bool,
            "",
            "Whether to provision the managed network right away instead of when the first compute is created.",
        )
        .default(DefaultValue::Bool(false))
        .lowered_at(&[LoweredAt::own("properties.provisionNetworkNow")]),
    ],
    blocks: &[NestedSchema {
        name: "outbound_rule",
        labels: 1,
        min: 0,
        max: None,
        body: &OUTBOUND_RULE,
        arm_path: "",
        create_only: false,
        doc: "A user-defined outbound rule of the managed network, named by its label and applied as its own child resource.",
    }],
};

// Lowered to `properties.serverlessComputeSettings`; ARM's flag is `serverlessComputeNoPublicIP`,
// the negation of `node_public_ip`.
static SERVERLESS_COMPUTE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "subnet",
            AttrType::ArmId(SUBNET_TYPE),
            "serverlessComputeCustomSubnet",
            "ARM ID of the subnet serverless compute nodes run in.",
        ),
        AttrSchema::new(
            "node_public_ip",
            AttrType::Bool,
            "serverlessComputeNoPublicIP",
            "Whether serverless compute nodes get public IP addresses (default false).",
        )
        .wire(Wire::Negated)
        .default(DefaultValue::Bool(false)),
    ],
    blocks: &[],
};

static USAGE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "storage_gb",
            AttrType::Number,
            "",
            "Expected data in the workspace's storage account, in GB, for the cost forecast.",
        ),
        AttrSchema::new(
            "firewall_data_gb_per_month",
            AttrType::Number,
            "",
            "Expected data processed by the managed network's firewall, in GB per month, for the cost forecast.",
        ),
    ],
    blocks: &[],
};

static DATASTORE_AUTH_MODES: &[EnumValue] = &[
    EnumValue::new("access_key", "AccessKey"),
    EnumValue::new("identity", "Identity"),
    EnumValue::new("user_delegation_sas", "UserDelegationSAS"),
];

/// What a workspace's lowering produces besides the workspace: its outbound rules (child
/// resources of their own) and the resources amlplan manages for a workspace that names none.
/// The entries a workspace produces besides its own, shared with the feature store (which
/// is a workspace).
pub(crate) const CHILDREN: [ArmTypeSchema; 5] = [
    ArmTypeSchema {
        kind: "outbound_rule",
        arm_type: "Microsoft.MachineLearningServices/workspaces/outboundRules",
        api_version: "2025-12-01",
        block: "managed_network.outbound_rule",
        constants: &[],
        behavior: KindBehavior {
            case_insensitive_paths: &["properties.destination.serviceResourceId"],
            ..KindBehavior::PLAIN
        },
        semantics: &OUTBOUND_RULE_SEMANTICS,
        doc: "One outbound rule of the workspace's managed network.",
    },
    ArmTypeSchema {
        kind: "storage_account",
        arm_type: "Microsoft.Storage/storageAccounts",
        api_version: "2023-05-01",
        block: "",
        constants: &[],
        behavior: IMPLICIT,
        semantics: &STORAGE_ACCOUNT_SEMANTICS,
        doc: "The workspace's storage account, when the manifest names none.",
    },
    ArmTypeSchema {
        kind: "key_vault",
        arm_type: "Microsoft.KeyVault/vaults",
        api_version: "2023-07-01",
        block: "",
        constants: &[],
        behavior: IMPLICIT,
        semantics: &KEY_VAULT_SEMANTICS,
        doc: "The workspace's key vault, when the manifest names none.",
    },
    ArmTypeSchema {
        kind: "application_insights",
        arm_type: "Microsoft.Insights/components",
        api_version: "2020-02-02",
        block: "",
        constants: &[],
        behavior: KindBehavior {
            case_insensitive_paths: &["location", "properties.WorkspaceResourceId"],
            ..IMPLICIT
        },
        semantics: &APPLICATION_INSIGHTS_SEMANTICS,
        doc: "The workspace's Application Insights component, when the manifest names none.",
    },
    ArmTypeSchema {
        kind: "log_analytics",
        arm_type: "Microsoft.OperationalInsights/workspaces",
        api_version: "2023-09-01",
        block: "",
        constants: &[],
        behavior: IMPLICIT,
        semantics: &LOG_ANALYTICS_SEMANTICS,
        doc: "The Log Analytics workspace of the implicit Application Insights component.",
    },
];

const IMPLICIT: KindBehavior = KindBehavior {
    case_insensitive_paths: &["location"],
    ..KindBehavior::PLAIN
};

/// A workspace's own attributes, shared with the feature store (which is a workspace).
pub(crate) const ATTRS: [AttrSchema; 10] = [
    AttrSchema::new(
        "friendly_name",
        AttrType::String,
        "properties.friendlyName",
        "The display name shown in Azure Machine Learning studio.",
    ),
    AttrSchema::new(
        "description",
        AttrType::String,
        "properties.description",
        "A free-text description of the workspace.",
    ),
    // Bool in the manifest, `Enabled`/`Disabled` on the wire.
    AttrSchema::new(
        "public_network_access",
        AttrType::Bool,
        "properties.publicNetworkAccess",
        "Whether the workspace can be reached from the public internet (default false: private endpoints only).",
    )
    .wire(Wire::EnabledDisabled)
    .default(DefaultValue::Bool(false)),
    AttrSchema::new(
        "high_business_impact",
        AttrType::Bool,
        "properties.hbiWorkspace",
        "Marks the workspace as holding high-business-impact data, which reduces the diagnostic data Microsoft collects.",
    )
    .default(DefaultValue::Bool(false))
    .create_only(),
    AttrSchema::new(
        "storage_account",
        AttrType::ArmId(&["Microsoft.Storage/storageAccounts"]),
        "properties.storageAccount",
        "ARM ID of an existing storage account for the workspace's default datastores (created by amlplan if absent).",
    )
    .create_only(),
    AttrSchema::new(
        "key_vault",
        AttrType::ArmId(KEY_VAULT_TYPE),
        "properties.keyVault",
        "ARM ID of an existing key vault for the workspace's secrets (created by amlplan if absent).",
    )
    .create_only(),
    // ARM's PATCH model accepts a change (terraform conservatively forces a new
    // workspace); the kind's diff only allows setting it where it was empty.
    AttrSchema::new(
        "application_insights",
        AttrType::ArmId(&["Microsoft.Insights/components"]),
        "properties.applicationInsights",
        "ARM ID of an existing Application Insights component for workspace telemetry (created by amlplan if absent).",
    ),
    AttrSchema::new(
        "container_registry",
        AttrType::ArmId(&["Microsoft.ContainerRegistry/registries"]),
        "properties.containerRegistry",
        "ARM ID of an existing container registry for environment images (Azure creates one on first image build if absent).",
    ),
    AttrSchema::new(
        "image_build_compute",
        AttrType::String,
        "properties.imageBuildCompute",
        "Name of the compute cluster that builds environment images, needed when the registry is reachable only privately.",
    ),
    AttrSchema::new(
        "system_datastores_auth_mode",
        AttrType::Enum(DATASTORE_AUTH_MODES),
        "properties.systemDatastoresAuthMode",
        "How the workspace's built-in datastores authenticate to storage: account key, managed identity or user-delegation SAS.",
    ),
];

/// A workspace's nested blocks, shared with the feature store.
pub(crate) const BLOCKS: [NestedSchema; 5] = [
    NestedSchema {
        name: "identity",
        labels: 0,
        min: 0,
        max: Some(1),
        body: &IDENTITY,
        arm_path: "identity",
        create_only: false,
        doc: "The managed identity the workspace uses to reach its storage, key vault and registry.",
    },
    NestedSchema {
        name: "encryption",
        labels: 0,
        min: 0,
        max: Some(1),
        body: &ENCRYPTION,
        arm_path: "properties.encryption",
        create_only: false,
        doc: "Encryption with a customer-managed key; set at creation, after which only the key can be rotated.",
    },
    NestedSchema {
        name: "managed_network",
        labels: 0,
        min: 0,
        max: Some(1),
        body: &MANAGED_NETWORK,
        arm_path: "properties.managedNetwork",
        create_only: false,
        doc: "The workspace-managed virtual network that isolates its computes, and its outbound rules.",
    },
    NestedSchema {
        name: "serverless_compute",
        labels: 0,
        min: 0,
        max: Some(1),
        body: &SERVERLESS_COMPUTE,
        arm_path: "properties.serverlessComputeSettings",
        create_only: false,
        doc: "Network settings for serverless compute jobs run in the workspace.",
    },
    NestedSchema {
        name: "usage",
        labels: 0,
        min: 0,
        max: Some(1),
        body: &USAGE,
        arm_path: "",
        create_only: false,
        doc: "Expected usage, used only by the cost forecast.",
    },
];

pub static SCHEMA: KindSchema = SCHEMA_BASE;

/// The workspace kind, which the feature store (a workspace) starts from.
pub(crate) const SCHEMA_BASE: KindSchema = KindSchema {
    kind: "workspace",
    arm_type: "Microsoft.MachineLearningServices/workspaces",
    api_version: "2025-12-01",
    name_rule: NameRule::Workspace,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "An Azure Machine Learning workspace: the top-level resource that holds computes, assets and endpoints. \
          Storage account, key vault and Application Insights not given are created and managed by amlplan.",
    body: BlockSchema {
        attrs: &ATTRS,
        blocks: &BLOCKS,
    },
    exports: &[
        ExportSchema {
            name: "principal_id",
            arm_path: "identity.principalId",
            doc: "The object ID of the workspace's system-assigned identity.",
        },
        ExportSchema {
            name: "workspace_id",
            arm_path: "properties.workspaceId",
            doc: "The workspace's immutable GUID (not its ARM ID).",
        },
        ExportSchema {
            name: "discovery_url",
            arm_path: "properties.discoveryUrl",
            doc: "The URL of the service that lists the workspace's regional endpoints.",
        },
        ExportSchema {
            name: "ml_flow_tracking_uri",
            arm_path: "properties.mlFlowTrackingUri",
            doc: "The MLflow tracking URI to log runs and models to.",
        },
    ],
    id: IdTemplate::ResourceGroup,
    behavior: KindBehavior {
        case_insensitive_paths: &[
            "location",
            "properties.applicationInsights",
            "properties.containerRegistry",
            "properties.keyVault",
            "properties.storageAccount",
        ],
        // A creation-time trigger, never read back.
        server_paths: &["properties.provisionNetworkNow"],
        cascades_delete: true,
        soft_delete: true,
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[
        ("sku.name", "Basic"),
        ("sku.tier", "Basic"),
        ("kind", "Default"),
    ],
    lower: Some(crate::arm::lower::workspace::lower),
    children: &CHILDREN,
    role_scope: true,
    checks: &[crate::check::rules::check_managed_network],
    cost: Some(cost),
    review: &[ReviewFact::PublicNetworkAccess("public_network_access")],
};

/// What ARM enforces on workspaces. `storageAccount`, `keyVault` and `hbiWorkspace` are
/// create-only through their attributes; encryption, the isolation mode and the managed
/// network kind are one-way transitions the emulator's workspace family checks.
pub static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces",
    // terraform `service_side_encryption_enabled` ForceNew; not in the PATCH model.
    create_only: &["properties.enableServiceSideCMKEncryption"],
    read_only: &[
        "properties.workspaceId",
        "properties.mlFlowTrackingUri",
        "properties.tenantId",
        "properties.storageHnsEnabled",
        "properties.privateLinkCount",
        "properties.privateEndpointConnections",
        "properties.serviceProvisionedResourceGroup",
        "properties.notebookInfo",
        "properties.managedNetwork.networkId",
        "properties.managedNetwork.firewallPublicIpAddress",
        // Not `readOnly` in the spec, but the service's: a PUT neither moves the discovery
        // service nor provisions the managed network (`provisionManagedNetwork` does).
        "properties.discoveryUrl",
        "properties.managedNetwork.status",
    ],
    lro: LroStyle::LOCATION,
    operation_urls: OperationUrls::MachineLearning,
    requires_location: true,
    family: Family::Workspace,
    source: "readOnly flags of bicep-types 2025-12-01 (generated from workspaceRP.json), create-only from arm-api.md §1",
    ..ArmSemantics::PLAIN
};

static OUTBOUND_RULE_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/outboundRules",
    read_only: &[
        "properties.errorInformation",
        "properties.parentRuleNames",
        // Not `readOnly` in the spec, but the managed network's state, not the caller's.
        "properties.status",
    ],
    // `ServiceTagDestination.addressPrefixes` is `readOnly` in workspaceRP.json 2025-09-01
    // (the service resolves the tag to prefixes); 2025-12-01 makes it writable ("Optional, if
    // provided, the ServiceTag property will be ignored").
    read_only_before: &[("properties.destination.addressPrefixes", "2025-12-01")],
    // Each rule write re-provisions the workspace's managed network (its firewall), and
    // concurrent ones are known to drop rules (issue 7, item 6; terraform's azurerm provider
    // locks the workspace around every outbound-rule write).
    serial_under_parent: true,
    lro: LroStyle::LOCATION,
    operation_urls: OperationUrls::MachineLearning,
    family: Family::OutboundRule,
    source: "workspaceRP.json 2025-09-01: PUT/DELETE 202 + Location",
    ..ArmSemantics::PLAIN
};

static STORAGE_ACCOUNT_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Storage/storageAccounts",
    lro: LroStyle {
        delete: Lro::Sync,
        ..LroStyle::LOCATION
    },
    requires_location: true,
    source: "storage.json 2023-05-01: StorageAccounts_Create long-running (200/202 + Location, final-state-via location), StorageAccounts_Delete synchronous (200/204)",
    ..ArmSemantics::PLAIN
};

/// Key Vault and Log Analytics declare their PUT long-running without a status header: the
/// resource is read until its `provisioningState` is terminal.
const PROVISIONING_PUT: LroStyle = LroStyle {
    put: Lro::Provisioning,
    patch: Lro::Sync,
    delete: Lro::Sync,
    final_state_via: FinalStateVia::OriginalUri,
};

static KEY_VAULT_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.KeyVault/vaults",
    lro: PROVISIONING_PUT,
    requires_location: true,
    // A deleted vault stays soft-deleted for `softDeleteRetentionInDays`; with purge
    // protection nobody can purge it, so its name is taken until then and a PUT of the name
    // must recover it (`createMode: recover`, keyvault.json 2023-07-01 `VaultProperties`).
    // It is never deleted with `forceToPurge` (a workspace's query; a vault purges by POST).
    soft_deleted: Some(SoftDeleted {
        deleted_id: "/subscriptions/{subscription}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name}",
        recover: ("properties.createMode", "recover"),
        purge_protection: "properties.enablePurgeProtection",
    }),
    family: Family::KeyVault,
    source: "keyvault.json 2023-07-01: Vaults_CreateOrUpdate long-running (200/201, no status header), Vaults_Update and Vaults_Delete synchronous",
    ..ArmSemantics::PLAIN
};

static APPLICATION_INSIGHTS_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Insights/components",
    ..ArmSemantics::PLAIN
};

static LOG_ANALYTICS_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.OperationalInsights/workspaces",
    lro: LroStyle {
        delete: Lro::Location,
        ..PROVISIONING_PUT
    },
    requires_location: true,
    source: "OperationalInsights Workspaces.json 2023-09-01: Workspaces_CreateOrUpdate long-running (200/201/202), Workspaces_Delete long-running (200/202/204)",
    ..ArmSemantics::PLAIN
};

/// The kind's cost model: the storage account's data (`usage { storage_gb }`); with a managed
/// network, the Azure Firewall that enforces `fqdn` outbound rules (exactly when there is one:
/// its SKU's hours and the data it processes) and a managed private endpoint per
/// `private_endpoint` rule. The workspace itself is free.
pub(crate) fn cost(
    resource: &crate::model::Resource,
    ctx: &crate::cost::CostCtx<'_>,
) -> crate::cost::KindCost {
    use crate::cost::lines::line;
    use crate::cost::{HOURS_PER_MONTH, Range, number, usage};
    let region = ctx.region(resource);
    let usage_body = usage(resource);
    let gb = usage_body.and_then(|u| number(u, "storage_gb"));
    let account = if resource.body.attr("storage_account").is_some() {
        "the named storage account"
    } else {
        "the workspace's storage account"
    };
    let mut lines = vec![line(
        "Blob storage (hot, LRS)",
        ctx.price("storage", "", "gb_month", &region),
        Range::fixed(gb.unwrap_or(0.0)),
        "GB-months",
        match gb {
            Some(g) => format!("{g} GB in {account} (usage)"),
            None => format!("0 GB in {account}: no usage {{ storage_gb }}"),
        },
    )];
    if let Some(network) = resource.body.block("managed_network") {
        let rules: Vec<&str> = network
            .body
            .blocks("outbound_rule")
            .filter_map(|r| r.body.str("type"))
            .collect();
        let fqdn = rules.iter().filter(|t| **t == "fqdn").count();
        if fqdn > 0 {
            let sku = network.body.str("firewall_sku").unwrap_or("standard");
            let title = if sku == "basic" { "Basic" } else { "Standard" };
            lines.push(line(
                format!("Azure Firewall {title}, deployment hours"),
                ctx.price("firewall", sku, "hour", &region),
                Range::fixed(HOURS_PER_MONTH),
                "hours",
                format!(
                    "{fqdn} fqdn outbound rule{} run through a managed Azure Firewall, all month",
                    if fqdn == 1 { "" } else { "s" }
                ),
            ));
            let data = usage_body.and_then(|u| number(u, "firewall_data_gb_per_month"));
            lines.push(line(
                format!("Azure Firewall {title}, data processed"),
                ctx.price("firewall", sku, "gb", &region),
                Range::fixed(data.unwrap_or(0.0)),
                "GB",
                match data {
                    Some(g) => format!("{g} GB a month (usage)"),
                    None => "0 GB: no usage { firewall_data_gb_per_month }".to_string(),
                },
            ));
        }
        let endpoints = rules.iter().filter(|t| **t == "private_endpoint").count();
        if endpoints > 0 {
            lines.push(line(
                "Managed private endpoints, hours",
                ctx.price("private_endpoint", "", "hour", &region),
                Range::fixed(endpoints as f64 * HOURS_PER_MONTH),
                "hours",
                format!(
                    "{endpoints} private_endpoint outbound rule{}, all month",
                    if endpoints == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    crate::cost::KindCost::Billed(lines, Vec::new())
}
