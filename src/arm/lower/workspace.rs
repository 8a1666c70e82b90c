//! Workspaces, their outbound rules (child resources of their own) and the resources amlplan
//! manages for a workspace that does not name them.
//!
//! # Implicit resources
//!
//! ARM refuses a workspace without a storage account and a key vault. Where the manifest names
//! none, amlplan plans them itself, as `az ml workspace create` does but visibly, next to the
//! workspace, in its resource group and region, with its tags:
//!
//! - `WS.storage_account`: StorageV2, Standard_LRS, TLS 1.2 at least, HTTPS only, no anonymous
//!   blob access, no hierarchical namespace;
//! - `WS.key_vault`: standard SKU, RBAC authorisation (no access policies), soft delete for 90
//!   days and purge protection;
//! - `WS.application_insights` (kind `web`, workspace-based) with its `WS.log_analytics`
//!   workspace (PerGB2018, 30 days' retention), unless the manifest names a component.
//!
//! The storage account's and key vault's public network access is off when the workspace's is
//! (the default) or when its managed network isolates it. Names come from
//! [`super::implicit_names`]. The key vault's `tenantId` is the `azure` block's `tenant_id`; a
//! manifest without one gets a value known after apply there, to be filled with the tenant of the
//! credential amlplan applies with (and the path is listed in `server_paths`, so it is never
//! drift). Implicit resources share the workspace's `prevent_destroy`: they hold its data.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json, json};

use super::body::{self, put};
use super::ids::Azure;
use super::unknown::marker;
use super::{
    Ctx, EntryInit, add_deps, apply_behavior, collect_deps, complete, entry, finish,
    implicit_names, present, start,
};
use crate::arm::Desired;
use crate::lang::value::Value;
use crate::model::{Block, Resource};
use crate::schema::{ArmTypeSchema, KindSchema};

/// The descriptor of a kind the workspace produces (declared in `schema::workspace`).
fn produced(kind: &KindSchema, name: &str) -> &'static ArmTypeSchema {
    static FALLBACK: ArmTypeSchema = ArmTypeSchema {
        kind: "",
        arm_type: "",
        api_version: "",
        block: "",
        constants: &[],
        behavior: crate::schema::KindBehavior::PLAIN,
        semantics: &crate::schema::ArmSemantics::PLAIN,
        doc: "",
    };
    kind.child(name).unwrap_or(&FALLBACK)
}

pub(crate) fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let kind = r.schema;
    let id = ctx.id(&r.address);
    let mut d = start(ctx, r, &[]);
    let mut out = std::mem::take(&mut d.body);
    if let Some(identity) = r.body.block("identity")
        && let Some(attr) = present(&identity.body, "primary_user_assigned_id")
    {
        put(
            &mut out,
            "properties.primaryUserAssignedIdentity",
            ctx.json(&attr.value),
        );
        if attr.sensitive {
            d.sensitive
                .push("properties.primaryUserAssignedIdentity".into());
        }
    }
    if r.body.block("encryption").is_some() {
        put(&mut out, "properties.encryption.status", json!("Enabled"));
    }
    let managed_network = r.body.block("managed_network");
    if let Some(network) = managed_network
        && network.body.value("provision_now").and_then(Value::as_bool) == Some(true)
    {
        put(&mut out, "properties.provisionNetworkNow", json!(true));
    }

    let mut entries = Vec::new();
    entries.extend(implicit(ctx, r, &mut out, &mut d));
    if let Some(network) = managed_network {
        for rule in network.body.blocks("outbound_rule") {
            entries.push(outbound_rule(ctx, r, &id, rule));
        }
    }

    d.body = out;
    let table = body::kind_paths(kind, &[]);
    complete(&mut d, r, &table);
    entries.insert(0, d);
    entries
}

/// Whether the workspace is closed to the public internet: its own public network access is
/// off (the default), or its managed network isolates it.
fn is_private(r: &Resource) -> bool {
    let public = r
        .body
        .value("public_network_access")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let isolated = r
        .body
        .block("managed_network")
        .and_then(|n| n.body.str("isolation_mode"))
        .is_some_and(|mode| mode != "disabled");
    !public || isolated
}

/// The storage account, key vault and Application Insights (with Log Analytics) the
/// workspace does not name; points the workspace body at them and makes it depend on them.
fn implicit(ctx: &Ctx<'_>, r: &Resource, ws_body: &mut Json, ws: &mut Desired) -> Vec<Desired> {
    let azure: &Azure = &ctx.azure;
    let rg = r
        .body
        .str("resource_group")
        .unwrap_or(&azure.resource_group)
        .to_string();
    let rg_id = azure.resource_group_id(&rg);
    let names = implicit_names(&azure.subscription, &rg, &r.name);
    let location = ctx.location(r);
    let private = is_private(r);
    let access = if private { "Disabled" } else { "Enabled" };
    let tags = present(&r.body, "tags").map(|a| (ctx.json(&a.value), a.sensitive));
    let prevent_destroy = r
        .body
        .block("lifecycle")
        .and_then(|l| l.body.value("prevent_destroy"))
        .and_then(Value::as_bool)
        == Some(true);

    let new = |produced: &ArmTypeSchema, name: &str, mut body: Json| {
        let mut d = entry(EntryInit {
            address: format!("{}.{}", r.address, produced.kind),
            kind: produced.kind,
            id: format!("{rg_id}/providers/{}/{name}", produced.arm_type),
            api_version: produced.api_version,
            span: r.header_span(),
        });
        put(&mut body, "location", Json::String(location.clone()));
        if let Some((tags, sensitive)) = &tags {
            put(&mut body, "tags", tags.clone());
            if *sensitive {
                d.sensitive.push("tags".into());
            }
        }
        d.body = body;
        d.implicit = true;
        d.lifecycle.prevent_destroy = prevent_destroy;
        d.create_only.push(crate::arm::PathRule {
            path: "location".into(),
            attribute: "location".into(),
        });
        apply_behavior(&mut d, &produced.behavior);
        d
    };

    let mut out = Vec::new();
    if present(&r.body, "storage_account").is_none() {
        let mut sa = new(
            produced(r.schema, "storage_account"),
            &names.storage_account,
            json!({
                "kind": "StorageV2",
                "sku": {"name": "Standard_LRS"},
                "properties": {
                    "minimumTlsVersion": "TLS1_2",
                    "allowBlobPublicAccess": false,
                    "supportsHttpsTrafficOnly": true,
                    "publicNetworkAccess": access,
                    "isHnsEnabled": false,
                },
            }),
        );
        sa.create_only.push(crate::arm::PathRule {
            path: "properties.isHnsEnabled".into(),
            attribute: "storage_account".into(),
        });
        put(
            ws_body,
            "properties.storageAccount",
            Json::String(sa.id.clone()),
        );
        ws.depends_on.push(sa.address.clone());
        out.push(sa);
    }
    if present(&r.body, "key_vault").is_none() {
        let tenant = azure.tenant.clone().unwrap_or_else(|| marker().to_string());
        let mut kv = new(
            produced(r.schema, "key_vault"),
            &names.key_vault,
            json!({
                "properties": {
                    "tenantId": tenant,
                    "sku": {"family": "A", "name": "standard"},
                    "enableRbacAuthorization": true,
                    "enablePurgeProtection": true,
                    "enableSoftDelete": true,
                    "softDeleteRetentionInDays": 90,
                    "publicNetworkAccess": access,
                    "accessPolicies": [],
                },
            }),
        );
        kv.create_only.push(crate::arm::PathRule {
            path: "properties.softDeleteRetentionInDays".into(),
            attribute: "key_vault".into(),
        });
        if azure.tenant.is_none() {
            // Filled in at apply time with the credential's tenant.
            kv.behavior.server_paths = vec!["properties.tenantId".into()];
        }
        put(ws_body, "properties.keyVault", Json::String(kv.id.clone()));
        ws.depends_on.push(kv.address.clone());
        out.push(kv);
    }
    if present(&r.body, "application_insights").is_none() {
        let log = new(
            produced(r.schema, "log_analytics"),
            &names.log_analytics,
            json!({
                "properties": {
                    "sku": {"name": "PerGB2018"},
                    "retentionInDays": 30,
                },
            }),
        );
        let mut appi = new(
            produced(r.schema, "application_insights"),
            &names.application_insights,
            json!({
                "kind": "web",
                "properties": {
                    "Application_Type": "web",
                    "WorkspaceResourceId": log.id,
                    "IngestionMode": "LogAnalytics",
                },
            }),
        );
        appi.depends_on.push(log.address.clone());
        put(
            ws_body,
            "properties.applicationInsights",
            Json::String(appi.id.clone()),
        );
        ws.depends_on.push(appi.address.clone());
        out.push(appi);
        out.push(log);
    }
    out
}

/// One `outbound_rule "NAME"` block: the child resource `workspaces/outboundRules/NAME`.
fn outbound_rule(ctx: &Ctx<'_>, r: &Resource, workspace_id: &str, rule: &Block) -> Desired {
    let label = rule.label().unwrap_or_default();
    let schema = r
        .schema
        .body
        .block("managed_network")
        .and_then(|n| n.body.block("outbound_rule"))
        .map(|b| b.body);
    let produced = produced(r.schema, "outbound_rule");
    let mut d = entry(EntryInit {
        address: format!("{}.{}.{label}", r.address, produced.kind),
        kind: produced.kind,
        id: format!("{workspace_id}/{}/{label}", produced.segment()),
        api_version: produced.api_version,
        span: rule.header_span(),
    });
    let mut out = Json::Object(Map::new());
    let mut table = Vec::new();
    if let Some(schema) = schema {
        body::lower_block(ctx, &rule.body, schema, &[], "", &mut out, &mut d.sensitive);
        body::paths(schema, &[], "", "", &mut table);
    }
    put(&mut out, "properties.category", json!("UserDefined"));
    d.body = out;
    let mut deps = BTreeSet::from([r.address.clone()]);
    collect_deps(&rule.body, &[], &[], &mut deps);
    add_deps(ctx, &mut d, deps);
    finish(
        &mut d,
        r,
        &table,
        &format!("managed_network.outbound_rule.{label}"),
        true,
    );
    apply_behavior(&mut d, &produced.behavior);
    d
}
