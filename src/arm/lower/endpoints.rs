//! Online endpoints and deployments, and batch deployments: what their generic lowering
//! cannot say. (A batch endpoint needs nothing beyond its descriptor.)
//!
//! An online endpoint is created with empty traffic: a traffic map naming deployments that do
//! not exist yet is refused. Its `traffic` and `mirror_traffic` are a partial entry of their
//! own (`online_endpoint.NAME.traffic`, same ARM ID), applied by GET, merge, PUT once every
//! deployment of the endpoint exists. The entry owns both maps: one the manifest leaves out is
//! sent empty.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json, json};

use super::body::{self, put};
use super::{
    AttrPath, Ctx, EntryInit, add_deps, apply_behavior, attr_deps, complete, entry, finish,
    generic, present, start,
};
use crate::arm::Desired;
use crate::model::Resource;

const TRAFFIC: &[&str] = &["traffic", "mirror_traffic"];

pub(crate) fn online_endpoint(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, TRAFFIC);
    // `az ml` creates every online endpoint with a system-assigned identity, which its
    // deployments use to pull their image and model; so does amlplan unless the manifest
    // says which identity (see `schema::online_endpoint`).
    if r.body.block("identity").is_none() {
        put(
            &mut d.body,
            "identity.type",
            Json::String("SystemAssigned".into()),
        );
    }
    // An endpoint whose deployments run on an attached Kubernetes cluster names it (a
    // Kubernetes endpoint, as `az ml` sends one): the cluster of its deployments (the checker
    // holds them to one).
    if let Some(compute) = deployments_compute(ctx, r) {
        put(
            &mut d.body,
            "properties.compute",
            Json::String(ctx.text(&compute.value)),
        );
        let mut deps = BTreeSet::new();
        attr_deps(compute, &mut deps);
        add_deps(ctx, &mut d, deps);
    }
    let table = body::kind_paths(r.schema, TRAFFIC);
    complete(&mut d, r, &table);
    // The traffic entry owns these; updating the endpoint must not reset live traffic.
    d.behavior.preserve_paths = vec![
        "properties.traffic".into(),
        "properties.mirrorTraffic".into(),
    ];
    let mut entries = vec![d];
    if TRAFFIC.iter().any(|a| present(&r.body, a).is_some()) {
        entries.push(after_deployments(
            ctx,
            r,
            "endpoint_traffic",
            "traffic",
            TRAFFIC,
        ));
    }
    entries
}

/// The `compute` of the first of an endpoint's deployments (by address) that names one.
fn deployments_compute<'m>(ctx: &Ctx<'m>, endpoint: &Resource) -> Option<&'m crate::model::Attr> {
    let mut children: Vec<&str> = ctx
        .children
        .get(endpoint.address.as_str())
        .into_iter()
        .flatten()
        .copied()
        .collect();
    children.sort_unstable();
    children
        .into_iter()
        .filter_map(|a| ctx.by_address.get(a).copied())
        .find_map(|d| present(&d.body, "compute"))
}

const DEFAULTS: &[&str] = &["default_deployment"];

/// A batch endpoint's default deployment is its own partial entry, as an online endpoint's
/// traffic: ARM refuses a `defaults.deploymentName` that names no deployment yet, and the
/// deployments are created after (inside) their endpoint.
pub(crate) fn batch_endpoint(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, DEFAULTS);
    let table = body::kind_paths(r.schema, DEFAULTS);
    complete(&mut d, r, &table);
    // The defaults entry owns it; updating the endpoint must not reset the default.
    d.behavior.preserve_paths = vec!["properties.defaults".into()];
    let mut entries = vec![d];
    if present(&r.body, DEFAULTS[0]).is_some() {
        entries.push(after_deployments(
            ctx,
            r,
            "batch_endpoint_defaults",
            "defaults",
            DEFAULTS,
        ));
    }
    entries
}

/// The partial entry of the endpoint's own resource that sets `attrs` (absent maps are sent
/// empty) once every deployment of the endpoint exists, addressed `ENDPOINT.suffix`.
fn after_deployments(
    ctx: &Ctx<'_>,
    r: &Resource,
    kind_name: &'static str,
    suffix: &str,
    attrs: &[&str],
) -> Desired {
    let kind = r.schema;
    let produced = kind.child(kind_name);
    let span = attrs
        .iter()
        .find_map(|a| present(&r.body, a))
        .map_or_else(|| r.header_span(), |a| a.key_span.to(a.span));
    let mut d = entry(EntryInit {
        address: format!("{}.{suffix}", r.address),
        kind: produced.map_or(kind_name, |c| c.kind),
        id: ctx.id(&r.address),
        api_version: produced.map_or(kind.api_version, |c| c.api_version),
        span,
    });
    d.partial_of = Some(r.address.clone());
    let mut out = Json::Object(Map::new());
    let mut deps = BTreeSet::from([r.address.clone()]);
    let mut table = Vec::new();
    for name in attrs {
        let Some(schema) = kind.body.attr(name) else {
            continue;
        };
        let value = match present(&r.body, name) {
            Some(attr) => {
                attr_deps(attr, &mut deps);
                if attr.sensitive {
                    d.sensitive.push(schema.arm_path.to_string());
                }
                body::convert(ctx, &schema.ty, schema.wire, &attr.value, Some(attr.span))
                    .unwrap_or_default()
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
    // Every deployment of the endpoint, named or not: the entry is written once the
    // endpoint's deployments are all in place.
    deps.extend(
        ctx.children
            .get(r.address.as_str())
            .into_iter()
            .flatten()
            .map(|a| a.to_string()),
    );
    add_deps(ctx, &mut d, deps);
    finish(&mut d, r, &table, "", true);
    if let Some(produced) = produced {
        apply_behavior(&mut d, &produced.behavior);
    }
    let keep = |n: &String| n == "all" || attrs.contains(&n.as_str());
    d.lifecycle.ignore_changes.retain(keep);
    d
}

/// The generic entry with the scale settings' type: target-utilisation autoscaling when the
/// manifest has a `scale` block, the default (fixed instance count) otherwise.
pub(crate) fn online_deployment(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut entries = generic(ctx, r);
    let scaled = r.body.block("scale").is_some();
    // On an attached Kubernetes cluster: a Kubernetes deployment, not a managed one.
    let kubernetes = present(&r.body, "compute").is_some();
    for d in &mut entries {
        if kubernetes {
            put(
                &mut d.body,
                "properties.endpointComputeType",
                json!("Kubernetes"),
            );
        }
        if scaled {
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
    }
    entries
}

/// The generic entry; a model is referred to by its asset ID.
pub(crate) fn batch_deployment(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut entries = generic(ctx, r);
    if present(&r.body, "model").is_some() {
        for d in &mut entries {
            put(&mut d.body, "properties.model.referenceType", json!("Id"));
        }
    }
    entries
}
