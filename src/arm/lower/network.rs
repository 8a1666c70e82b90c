//! Private endpoints (with their DNS zone group) and private DNS zones (with their virtual
//! network links and A record sets).

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json, json};

use super::body::{self, put};
use super::{
    AttrPath, Ctx, EntryInit, UNKNOWN, add_deps, apply_behavior, attr_deps, collect_deps, complete,
    entry, finish, present, start,
};
use crate::arm::Desired;
use crate::azure::arm_id::ArmId;
use crate::lang::value::Value;
use crate::model::{Block, Resource};
use crate::schema::ArmTypeSchema;

/// The name of a private endpoint's one DNS zone group (what the portal and `az` use).
const ZONE_GROUP: &str = "default";

pub(crate) fn private_endpoint(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let kind = r.schema;
    let id = ctx.id(&r.address);
    let mut d = start(ctx, r, &[]);
    let mut out = std::mem::take(&mut d.body);

    // The one private-link service connection, named after the endpoint.
    let manual = r.body.value("manual_approval").and_then(Value::as_bool) == Some(true);
    let connections = if manual {
        "properties.manualPrivateLinkServiceConnections"
    } else {
        "properties.privateLinkServiceConnections"
    };
    let target = present(&r.body, "target");
    let group = present(&r.body, "group");
    let mut properties = Map::new();
    properties.insert(
        "privateLinkServiceId".into(),
        target.map_or_else(|| json!(UNKNOWN), |a| ctx.json(&a.value)),
    );
    properties.insert(
        "groupIds".into(),
        Json::Array(group.map(|a| ctx.json(&a.value)).into_iter().collect()),
    );
    let message = present(&r.body, "request_message");
    if manual && let Some(message) = message {
        properties.insert("requestMessage".into(), ctx.json(&message.value));
    }
    put(
        &mut out,
        connections,
        json!([{"name": r.name, "properties": properties}]),
    );
    let connection = format!("{connections}.0.properties");
    for (attr, leaf) in [
        (target, "privateLinkServiceId"),
        (group, "groupIds"),
        (message.filter(|_| manual), "requestMessage"),
    ] {
        if attr.is_some_and(|a| a.sensitive) {
            d.sensitive.push(format!("{connection}.{leaf}"));
        }
    }
    d.body = out;

    let mut table = body::kind_paths(kind, &[]);
    table.extend([
        AttrPath {
            attr: "target".into(),
            path: format!("{connection}.privateLinkServiceId"),
            create_only: true,
        },
        AttrPath {
            attr: "group".into(),
            path: format!("{connection}.groupIds"),
            create_only: true,
        },
        AttrPath {
            attr: "manual_approval".into(),
            path: "properties.privateLinkServiceConnections".into(),
            create_only: true,
        },
        AttrPath {
            attr: "manual_approval".into(),
            path: "properties.manualPrivateLinkServiceConnections".into(),
            create_only: true,
        },
        AttrPath {
            attr: "request_message".into(),
            path: "properties.manualPrivateLinkServiceConnections.0.properties.requestMessage"
                .into(),
            create_only: true,
        },
    ]);
    complete(&mut d, r, &table);

    let mut entries = vec![d];
    if let Some(zones) = present(&r.body, "dns_zones")
        && zones.value.as_list().is_some_and(|l| !l.is_empty())
    {
        entries.push(zone_group(ctx, r, &id, zones));
    }
    entries
}

/// `dns_zones` as the endpoint's child `privateDnsZoneGroups/default`, one config per zone.
fn zone_group(
    ctx: &Ctx<'_>,
    r: &Resource,
    endpoint_id: &str,
    zones: &crate::model::Attr,
) -> Desired {
    let produced = r.schema.child("dns_zone_group");
    let mut d = entry(EntryInit {
        address: format!("{}.dns_zone_group", r.address),
        kind: produced.map_or("dns_zone_group", |c| c.kind),
        id: format!(
            "{endpoint_id}/{}/{ZONE_GROUP}",
            produced.map_or("privateDnsZoneGroups", ArmTypeSchema::segment)
        ),
        api_version: produced.map_or(r.schema.api_version, |c| c.api_version),
        span: zones.key_span.to(zones.span),
    });
    let configs: Vec<Json> = zones
        .value
        .as_list()
        .unwrap_or_default()
        .iter()
        .map(|zone| {
            let (name, id) = zone_name_and_id(ctx, zone);
            json!({
                "name": name.replace('.', "-"),
                "properties": {"privateDnsZoneId": id},
            })
        })
        .collect();
    d.body = json!({"properties": {"privateDnsZoneConfigs": configs}});
    if zones.sensitive {
        d.sensitive.push("properties.privateDnsZoneConfigs".into());
    }
    let mut deps = BTreeSet::from([r.address.clone()]);
    attr_deps(zones, &mut deps);
    add_deps(ctx, &mut d, deps);
    let table = [AttrPath {
        attr: "dns_zones".into(),
        path: "properties.privateDnsZoneConfigs".into(),
        create_only: false,
    }];
    finish(&mut d, r, &table, "", true);
    if let Some(produced) = produced {
        apply_behavior(&mut d, &produced.behavior);
    }
    d.lifecycle
        .ignore_changes
        .retain(|n| n == "all" || n == "dns_zones");
    d
}

/// A zone's DNS name and ARM ID, from a reference to a managed zone or an ID string.
fn zone_name_and_id(ctx: &Ctx<'_>, zone: &Value) -> (String, String) {
    match zone {
        Value::Ref(reference) if reference.attr.is_empty() => {
            let name = ctx
                .resource(&reference.address)
                .map_or_else(|| UNKNOWN.to_string(), |z| z.name.clone());
            (name, ctx.id(&reference.address))
        }
        Value::String(id) => {
            let name = ArmId::parse(id)
                .ok()
                .and_then(|p| p.name().map(str::to_string))
                .unwrap_or_else(|| id.clone());
            (name, id.clone())
        }
        other => (UNKNOWN.to_string(), ctx.text(other)),
    }
}

pub(crate) fn private_dns_zone(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let kind = r.schema;
    let id = ctx.id(&r.address);
    // Private DNS is global: the kind's constants set `location` to `global`.
    let mut d = start(ctx, r, &[]);
    let table = body::kind_paths(kind, &[]);
    complete(&mut d, r, &table);

    let mut entries = vec![d];
    for produced in kind.children {
        for block in r.body.blocks(produced.block) {
            entries.push(child(ctx, r, &id, block, produced));
        }
    }
    entries
}

/// One block of a child kind of the zone, by its table: a `vnet_link "NAME"`
/// (`virtualNetworkLinks/NAME`) or an `a_record "NAME"` (`A/NAME`).
fn child(
    ctx: &Ctx<'_>,
    r: &Resource,
    zone_id: &str,
    block: &Block,
    produced: &ArmTypeSchema,
) -> Desired {
    let kind = produced.kind;
    let label = block.label().unwrap_or_default();
    let mut d = entry(EntryInit {
        address: format!("{}.{kind}.{label}", r.address),
        kind,
        id: format!("{zone_id}/{}/{label}", produced.segment()),
        api_version: produced.api_version,
        span: block.header_span(),
    });
    let mut out = Json::Object(Map::new());
    let mut table = Vec::new();
    if let Some(schema) = r.schema.body.block(produced.block).map(|b| b.body) {
        body::lower_block(
            ctx,
            &block.body,
            schema,
            &[],
            "",
            &mut out,
            &mut d.sensitive,
        );
        body::paths(schema, &[], "", "", &mut table);
    }
    for (path, value) in produced.constants {
        put(&mut out, path, Json::String((*value).to_string()));
    }
    d.body = out;
    let mut deps = BTreeSet::from([r.address.clone()]);
    collect_deps(&block.body, &[], &[], &mut deps);
    add_deps(ctx, &mut d, deps);
    finish(&mut d, r, &table, &format!("{kind}.{label}"), true);
    apply_behavior(&mut d, &produced.behavior);
    d
}
