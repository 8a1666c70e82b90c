//! Online and batch endpoints and deployments.
//!
//! An online endpoint is created with empty traffic: a traffic map naming deployments that do
//! not exist yet is refused. Its `traffic` and `mirror_traffic` are a partial entry of their
//! own (`online_endpoint.NAME.traffic`, same ARM ID), applied by GET, merge, PUT once every
//! deployment of the endpoint exists. The entry owns both maps: one the manifest leaves out is
//! sent empty.

use super::schema_entry;
use std::collections::BTreeSet;

use serde_json::{Map, Value as Json, json};

use super::body::{self, put};
use super::{AttrPath, Ctx, EntryInit, add_deps, attr_deps, collect_deps, entry, finish, present};
use crate::arm::Desired;
use crate::model::Resource;

const TRAFFIC: &[&str] = &["traffic", "mirror_traffic"];

/// The entry of an endpoint or deployment, built from the schema.
fn base(ctx: &Ctx<'_>, r: &Resource, skip: &[&str]) -> Desired {
    let kind = r.schema;
    let (mut d, out) = schema_entry(ctx, r, skip);
    d.body = out;
    let mut deps = BTreeSet::new();
    collect_deps(&r.body, skip, &[], &mut deps);
    add_deps(ctx, &mut d, deps);
    let table = body::kind_paths(kind, skip);
    finish(&mut d, r, &table, "", false);
    d.behavior.case_insensitive_paths = vec!["location".into()];
    d
}

fn strings(paths: &[&str]) -> Vec<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

pub(crate) fn online_endpoint(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = base(ctx, r, TRAFFIC);
    // The traffic entry owns these; updating the endpoint must not reset live traffic.
    d.behavior.preserve_paths = vec![
        "properties.traffic".into(),
        "properties.mirrorTraffic".into(),
    ];
    let mut entries = vec![d];
    if TRAFFIC.iter().any(|a| present(&r.body, a).is_some()) {
        entries.push(traffic(ctx, r));
    }
    entries
}

/// The partial entry that sets an endpoint's traffic after its deployments exist.
fn traffic(ctx: &Ctx<'_>, r: &Resource) -> Desired {
    let kind = r.schema;
    let span = TRAFFIC
        .iter()
        .find_map(|a| present(&r.body, a))
        .map_or_else(|| r.header_span(), |a| a.key_span.to(a.span));
    let mut d = entry(EntryInit {
        address: format!("{}.traffic", r.address),
        kind: "endpoint_traffic",
        id: ctx.id(&r.address),
        api_version: kind.api_version,
        span,
    });
    d.partial_of = Some(r.address.clone());
    let mut out = Json::Object(Map::new());
    let mut deps = BTreeSet::from([r.address.clone()]);
    let mut table = Vec::new();
    for name in TRAFFIC {
        let Some(schema) = kind.body.attr(name) else {
            continue;
        };
        let value = match present(&r.body, name) {
            Some(attr) => {
                attr_deps(attr, &mut deps);
                if attr.sensitive {
                    d.sensitive.push(schema.arm_path.to_string());
                }
                body::convert(ctx, &schema.ty, "", &attr.value, Some(attr.span))
            }
            None => Json::Object(Map::new()),
        };
        put(&mut out, schema.arm_path, value);
        table.push(AttrPath {
            attr: name.to_string(),
            path: schema.arm_path.to_string(),
            create_only: false,
        });
    }
    d.body = out;
    // Every deployment of the endpoint, named in the maps or not: the traffic is set once
    // the endpoint's deployments are all in place.
    deps.extend(
        ctx.deployments
            .get(r.address.as_str())
            .into_iter()
            .flatten()
            .map(|a| a.to_string()),
    );
    add_deps(ctx, &mut d, deps);
    finish(&mut d, r, &table, "", true);
    let keep = |n: &String| n == "all" || TRAFFIC.contains(&n.as_str());
    d.lifecycle.ignore_changes.retain(keep);
    d
}

pub(crate) fn online_deployment(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = base(ctx, r, &[]);
    put(&mut d.body, "sku.name", json!("Default"));
    put(
        &mut d.body,
        "properties.endpointComputeType",
        json!("Managed"),
    );
    if r.body.block("scale").is_some() {
        put(
            &mut d.body,
            "properties.scaleSettings.scaleType",
            json!("TargetUtilization"),
        );
    } else {
        put(
            &mut d.body,
            "properties.scaleSettings",
            json!({"scaleType": "Default"}),
        );
    }
    d.behavior.case_insensitive_paths.extend(strings(&[
        "properties.instanceType",
        "properties.model",
        "properties.environmentId",
    ]));
    vec![d]
}

pub(crate) fn batch_endpoint(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let d = base(ctx, r, &[]);
    vec![d]
}

pub(crate) fn batch_deployment(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = base(ctx, r, &[]);
    if present(&r.body, "model").is_some() {
        put(&mut d.body, "properties.model.referenceType", json!("Id"));
    }
    d.behavior.case_insensitive_paths.extend(strings(&[
        "properties.compute",
        "properties.model.assetId",
        "properties.environmentId",
    ]));
    vec![d]
}
