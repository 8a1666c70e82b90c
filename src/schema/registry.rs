//! `registry`: an Azure ML registry (`Microsoft.MachineLearningServices/registries`), where
//! models, environments and components live once for every workspace that uses them, copied
//! to the regions it replicates to. Promoting a model from dev to prod is registering its
//! version in the registry and pointing the prod deployment at it.
//!
//! Everything about the kind is here: its attributes, ID, naming rule, ARM semantics and its
//! lowering (the replication regions as `regionDetails`).
//!
//! Sources (2025-09-01, `Azure/bicep-types-az` generated from the REST specs, `Registry`,
//! `RegistryProperties`, `RegistryRegionArmDetails`): the name matches
//! `^[a-zA-Z0-9][a-zA-Z0-9\-_]{2,32}$`; `location` is required; `publicNetworkAccess` is
//! `"Enabled"` or `"Disabled"`; `regionDetails` lists each region with its `acrDetails` and
//! `storageAccountDetails`, either system-created (`systemCreatedAcrAccount`,
//! `systemCreatedStorageAccount`) or the user's. `az ml registry create` (azure-ai-ml
//! `Registry`) sends one entry per replication location, the primary location among them,
//! each with a system-created Premium container registry (the only SKU registries support)
//! and a system-created `Standard_LRS` storage account without public blob access or a
//! hierarchical namespace; the service fills in the accounts' names and IDs, the discovery
//! and MLflow URLs and the managed resource group (read-only here).
//!
//! Writes are long-running (the service creates the accounts in every region). Not modelled:
//! user-created storage accounts and registries, private endpoints to the registry.

use serde_json::{Value as Json, json};

use super::descriptor::ReviewFact;
use super::meta::IDENTITY;
use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, ExportSchema, IdTemplate, KindBehavior,
    KindSchema, LoweredAt, Wire,
};
use crate::arm::Desired;
use crate::arm::lower::{Ctx, body, complete, present, start};
use crate::azure::names::{NameRule, NameSpec};
use crate::check::rules::RuleCtx;
use crate::diagnostic::Diagnostics;
use crate::diagnostics::constraints;
use crate::model::Resource;

static NAME: NameSpec = NameSpec {
    subject: "registry name",
    min: 3,
    max: 33,
    extra: &['-', '_'],
    allowed_words: "letters, digits, hyphens and underscores",
    first_letter: false,
    last: None,
    description: "3 to 33 characters: letters, digits, hyphens and underscores, starting with a letter or digit",
};

const REGIONS: &str = "properties.regionDetails";

pub static SCHEMA: KindSchema = KindSchema {
    kind: "registry",
    arm_type: "Microsoft.MachineLearningServices/registries",
    api_version: "2025-12-01",
    name_rule: NameRule::Own(&NAME),
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A registry: models, environments and components shared by every workspace, replicated to the regions that use them.",
    body: BlockSchema {
        attrs: &[
            AttrSchema::new(
                "replication_locations",
                AttrType::List(&AttrType::String),
                "",
                "The regions that hold copies of its assets; the registry's own `location` is always one of them.",
            )
            // Shown in plans as the regions of `regionDetails`, each entry's `location`.
            .wire(Wire::Wrapped("location"))
            .lowered_at(&[LoweredAt::own(REGIONS)]),
            AttrSchema::new(
                "public_network_access",
                AttrType::Bool,
                "properties.publicNetworkAccess",
                "Whether the registry can be reached from the public internet (default true, as `az ml` creates it).",
            )
            .wire(Wire::EnabledDisabled)
            .default(DefaultValue::Bool(true)),
        ],
        blocks: &[IDENTITY],
    },
    exports: &[
        ExportSchema {
            name: "principal_id",
            arm_path: "identity.principalId",
            doc: "The object ID of the registry's system-assigned identity.",
        },
        ExportSchema {
            name: "discovery_url",
            arm_path: "properties.discoveryUrl",
            doc: "The registry's discovery URL.",
        },
    ],
    id: IdTemplate::ResourceGroup,
    behavior: KindBehavior {
        case_insensitive_paths: &["location"],
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[],
    lower: Some(lower),
    children: &[],
    role_scope: true,
    checks: &[],
    cost: Some(cost),
    review: &[
        ReviewFact::PublicNetworkAccess("public_network_access"),
        ReviewFact::SharesAssets,
    ],
};

pub(crate) static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/registries",
    read_only: &[
        "properties.discoveryUrl",
        "properties.mlFlowRegistryUri",
        "properties.managedResourceGroup",
        "properties.intellectualPropertyPublisher",
        "properties.registryPrivateEndpointConnections",
    ],
    // registries.json 2025-09-01: CreateOrUpdate 200/201, long-running, final-state-via
    // azure-async-operation; Update (PATCH) 200 only; Delete 202 + Location.
    lro: LroStyle {
        final_state_via: super::semantics::FinalStateVia::AzureAsyncOperation,
        patch: super::semantics::Lro::Sync,
        ..LroStyle::ASYNC_PUT
    },
    operation_urls: OperationUrls::MachineLearning,
    requires_location: true,
    family: Family::Plain,
    source: "bicep-types-az 2025-09-01 Registry/RegistryProperties (location required; regionDetails with system-created ACR and storage; discovery and MLflow URLs set by the service); registry writes are long-running",
    ..ArmSemantics::PLAIN
};

/// The regions in the order they are sent: the primary first, then the replication
/// locations as written, each once (regions compare case-insensitively).
pub fn regions(primary: &str, replicas: &[String]) -> Vec<String> {
    let mut out = vec![primary.to_string()];
    for r in replicas {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(r)) {
            out.push(r.clone());
        }
    }
    out
}

/// One `regionDetails` entry, as `az ml` sends it.
fn region_details(location: &str) -> Json {
    json!({
        "location": location,
        "acrDetails": [{"systemCreatedAcrAccount": {"acrAccountSku": "Premium"}}],
        "storageAccountDetails": [{"systemCreatedStorageAccount": {
            "allowBlobPublicAccess": false,
            "storageAccountHnsEnabled": false,
            "storageAccountType": "Standard_LRS",
        }}],
    })
}

/// The tables' body plus the regions (with the system-created accounts of each) and the
/// system-assigned identity `az ml` gives a registry unless the manifest says which.
fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, &[]);
    let mut out = std::mem::take(&mut d.body);
    if r.body.block("identity").is_none() {
        body::put(&mut out, "identity.type", json!("SystemAssigned"));
    }
    let replicas: Vec<String> = present(&r.body, "replication_locations")
        .and_then(|a| a.value.as_list())
        .map(|l| l.iter().map(|v| ctx.text(v)).collect())
        .unwrap_or_default();
    let details: Vec<Json> = regions(&ctx.location(r), &replicas)
        .iter()
        .map(|l| region_details(l))
        .collect();
    body::put(&mut out, REGIONS, Json::Array(details));
    if present(&r.body, "replication_locations").is_some_and(|a| a.sensitive) {
        d.sensitive.push(REGIONS.into());
    }
    d.body = out;
    let table = body::kind_paths(r.schema, &[]);
    complete(&mut d, r, &table);
    vec![d]
}

/// For the asset kinds that may live in a registry: an asset version names exactly one home,
/// its kind's parent (`workspace`) or `registry` (E0729).
pub fn check_asset_home(asset: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let (Some(parent), Some(registry)) = (
        asset.schema.id.parent_attr(),
        asset.schema.id.registry_attr(),
    ) else {
        return;
    };
    match (asset.body.attr(parent), asset.body.attr(registry)) {
        (Some(_), Some(second)) => diags.push(constraints::asset_home_twice(
            &asset.address,
            parent,
            registry,
            second.key_span.to(second.span),
        )),
        (None, None) => diags.push(constraints::asset_home_missing(
            &asset.address,
            parent,
            registry,
            asset.header_span(),
        )),
        _ => {}
    }
}

/// A Premium container registry (geo-replication needs Premium) in every region, each
/// billed per day; the storage account in every region is billed per GB stored, which the
/// manifest does not say.
fn cost(resource: &Resource, ctx: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    use crate::cost::{HOURS_PER_MONTH, Range};
    let primary = ctx.region(resource);
    let replicas: Vec<String> = resource
        .body
        .value("replication_locations")
        .and_then(|v| v.as_list())
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let days = HOURS_PER_MONTH / 24.0;
    // Each region's registry at that region's price.
    let lines = regions(&primary, &replicas)
        .into_iter()
        .enumerate()
        .map(|(i, region)| {
            let region = region.to_ascii_lowercase();
            let role = if i == 0 { "primary" } else { "replica" };
            crate::cost::lines::line(
                format!("Premium container registry ({region}, {role})"),
                ctx.price("container_registry", "Premium", "day", &region),
                Range::fixed(days),
                "days",
                "one registry unit per region, every day; storage is billed per GB stored",
            )
        })
        .collect();
    crate::cost::KindCost::Billed(lines, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::regions;

    #[test]
    fn the_primary_region_comes_first_and_each_region_once() {
        let r = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            regions("eastus", &r(&["westeurope", "EastUS", "westeurope"])),
            r(&["eastus", "westeurope"])
        );
        assert_eq!(regions("eastus", &[]), r(&["eastus"]));
    }
}
