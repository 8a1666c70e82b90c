//! Private endpoints (with their DNS zone group) and private DNS zones (with their virtual
//! network links and A record sets).

use super::schema_entry;
use std::collections::BTreeSet;

use serde_json::{Map, Value as Json, json};

use super::body::{self, put};
use super::{
    AttrPath, Ctx, EntryInit, UNKNOWN, add_deps, attr_deps, collect_deps, entry, finish, present,
};
use crate::arm::Desired;
use crate::azure::arm_id::ArmId;
use crate::lang::value::Value;
use crate::model::{Block, Resource};

/// The name of a private endpoint's one DNS zone group (what the portal and `az` use).
const ZONE_GROUP: &str = "default";

pub(crate) fn private_endpoint(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let kind = r.schema;
    let id = ctx.id(&r.address);
    let (mut d, mut out) = schema_entry(ctx, r, &[]);

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

    let mut deps = BTreeSet::new();
    collect_deps(&r.body, &["dns_zones"], &[], &mut deps);
    add_deps(ctx, &mut d, deps);
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
            create_only: false,
        },
    ]);
    finish(&mut d, r, &table, "", false);
    d.behavior.case_insensitive_paths = vec![
        "location".into(),
        "properties.subnet.id".into(),
        format!("{connection}.privateLinkServiceId"),
    ];

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
    let mut d = entry(EntryInit {
        address: format!("{}.dns_zone_group", r.address),
        kind: "dns_zone_group",
        id: format!("{endpoint_id}/privateDnsZoneGroups/{ZONE_GROUP}"),
        api_version: r.schema.api_version,
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
    let mut d = entry(EntryInit {
        address: r.address.clone(),
        kind: kind.kind,
        id: id.clone(),
        api_version: kind.api_version,
        span: r.header_span(),
    });
    let mut out = Json::Object(Map::new());
    body::envelope(ctx, r, &mut out, &mut d.sensitive);
    // Private DNS is global.
    put(&mut out, "location", json!("global"));
    d.body = out;
    let children = ["vnet_link", "a_record"];
    let mut deps = BTreeSet::new();
    collect_deps(&r.body, &[], &children, &mut deps);
    add_deps(ctx, &mut d, deps);
    let table = body::kind_paths(kind, &[]);
    finish(&mut d, r, &table, "", false);
    d.behavior.case_insensitive_paths = vec!["location".into()];

    let mut entries = vec![d];
    for block in r.body.blocks("vnet_link") {
        entries.push(child(
            ctx,
            r,
            &id,
            block,
            "vnet_link",
            "virtualNetworkLinks",
        ));
    }
    for block in r.body.blocks("a_record") {
        entries.push(child(ctx, r, &id, block, "a_record", "A"));
    }
    entries
}

/// A `vnet_link "NAME"` (`virtualNetworkLinks/NAME`) or `a_record "NAME"` (`A/NAME`).
fn child(
    ctx: &Ctx<'_>,
    r: &Resource,
    zone_id: &str,
    block: &Block,
    kind: &str,
    arm_type: &str,
) -> Desired {
    let label = block.label().unwrap_or_default();
    let mut d = entry(EntryInit {
        address: format!("{}.{kind}.{label}", r.address),
        kind,
        id: format!("{zone_id}/{arm_type}/{label}"),
        api_version: r.schema.api_version,
        span: block.header_span(),
    });
    let mut out = Json::Object(Map::new());
    let mut table = Vec::new();
    if let Some(schema) = r.schema.body.block(kind).map(|b| b.body) {
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
    if kind == "vnet_link" {
        put(&mut out, "location", json!("global"));
        d.behavior.case_insensitive_paths =
            vec!["location".into(), "properties.virtualNetwork.id".into()];
    } else {
        if let Some(ipv4) = present(&block.body, "ipv4") {
            let records: Vec<Json> = match &ipv4.value {
                Value::List(items) => items
                    .iter()
                    .map(|ip| json!({"ipv4Address": ctx.json(ip)}))
                    .collect(),
                other => vec![json!({"ipv4Address": ctx.json(other)})],
            };
            put(&mut out, "properties.aRecords", Json::Array(records));
            if ipv4.sensitive {
                d.sensitive.push("properties.aRecords".into());
            }
        }
        table.push(AttrPath {
            attr: "ipv4".into(),
            path: "properties.aRecords".into(),
            create_only: false,
        });
    }
    d.body = out;
    let mut deps = BTreeSet::from([r.address.clone()]);
    collect_deps(&block.body, &[], &[], &mut deps);
    add_deps(ctx, &mut d, deps);
    finish(&mut d, r, &table, &format!("{kind}.{label}"), true);
    d
}
