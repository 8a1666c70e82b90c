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
    AttrPath, Ctx, EntryInit, add_deps, apply_behavior, attr_deps, code_asset, collect_deps,
    complete, entry, finish, generic, present, start,
};
use crate::arm::Desired;
use crate::model::Resource;
use crate::schema::{AttrType, Wire};

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
    let mut deployments = ctx.children(&endpoint.address).to_vec();
    deployments.sort_unstable_by(|a, b| a.address.cmp(&b.address));
    deployments
        .into_iter()
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
        ctx.children(&r.address)
            .iter()
            .map(|child| child.address.clone()),
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

/// The generic entry with `scaleType: Default`, the only scale type of managed deployments;
/// a `scale` block becomes the deployment's autoscale setting (see `schema::online_deployment`),
/// which then owns the deployment's `sku.capacity`.
pub(crate) fn online_deployment(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut entries = with_code(ctx, r, generic(ctx, r));
    let scale = r.body.block("scale");
    // On an attached Kubernetes cluster: a Kubernetes deployment, not a managed one.
    let kubernetes = present(&r.body, "compute").is_some();
    // The first entry is the deployment (a code version may follow it).
    if let Some(d) = entries.first_mut() {
        if kubernetes {
            put(
                &mut d.body,
                "properties.endpointComputeType",
                json!("Kubernetes"),
            );
        }
        match scale {
            // Kubernetes deployments scale themselves; only they take TargetUtilization.
            Some(scale) if kubernetes => put(
                &mut d.body,
                "properties.scaleSettings",
                kubernetes_scale(ctx, &scale.body),
            ),
            _ => put(
                &mut d.body,
                "properties.scaleSettings",
                json!({"scaleType": "Default"}),
            ),
        }
        if let Some(collector) = r.body.block("data_collector") {
            data_collections(ctx, &collector.body, d);
        }
        if scale.is_some() && !kubernetes {
            // The autoscaler changes the capacity: that is neither drift nor something an
            // update may reset to `instance_count`.
            d.lifecycle.ignore_paths.push("sku.capacity".into());
            d.behavior.preserve_paths.push("sku.capacity".into());
        }
    }
    if let Some(scale) = scale.filter(|_| !kubernetes) {
        entries.push(autoscale_setting(ctx, r, &scale.body));
    }
    entries
}

/// The data collector's `collections` map, one entry per `collection` block keyed by its
/// label, each lowered from the collection's schema (paths relative to its entry).
fn data_collections(ctx: &Ctx<'_>, collector: &crate::model::Body, d: &mut Desired) {
    use crate::schema::online_deployment::{COLLECTION, COLLECTIONS};
    let mut collections = Map::new();
    for block in collector.blocks("collection") {
        let Some(name) = block.label() else {
            continue;
        };
        let mut item = Json::Object(Map::new());
        let mut sensitive = Vec::new();
        body::lower_block(
            ctx,
            &block.body,
            &COLLECTION,
            &[],
            "",
            &mut item,
            &mut sensitive,
        );
        if !sensitive.is_empty() {
            d.sensitive.push(COLLECTIONS.into());
        }
        collections.insert(name.to_string(), item);
    }
    put(&mut d.body, COLLECTIONS, Json::Object(collections));
}

/// A Kubernetes deployment's own scale settings (`TargetUtilizationScaleSettings`) from its
/// `scale` block: the cluster's scaler keeps it between `min_instances` and `max_instances`
/// around `target_utilization`, checked every `polling_interval`.
fn kubernetes_scale(ctx: &Ctx<'_>, scale: &crate::model::Body) -> Json {
    let mut settings = json!({"scaleType": "TargetUtilization"});
    for (attr, path) in [
        ("min_instances", "minInstances"),
        ("max_instances", "maxInstances"),
        ("target_utilization", "targetUtilizationPercentage"),
    ] {
        if let Some(a) = present(scale, attr) {
            settings[path] = ctx.json(&a.value);
        }
    }
    if let Some(a) = present(scale, "polling_interval") {
        settings["pollingInterval"] = body::convert(
            ctx,
            &AttrType::Duration {
                min_secs: None,
                max_secs: None,
            },
            Wire::IsoDuration,
            &a.value,
            Some(a.span),
        )
        .unwrap_or_default();
    }
    settings
}

/// The `autoscale_setting` entry of a deployment's `scale` block: one profile whose capacity
/// runs from `min_instances` to `max_instances` (starting from `instance_count`, kept inside
/// them), adding an instance above `target_utilization` percent CPU and removing one below
/// half of it, averaged over `polling_interval`.
fn autoscale_setting(ctx: &Ctx<'_>, r: &Resource, scale: &crate::model::Body) -> Desired {
    let produced = r.schema.child("autoscale_setting");
    let deployment_id = ctx.id(&r.address);
    let group = deployment_id
        .split("/providers/")
        .next()
        .unwrap_or_default()
        .to_string();
    let mut names = deployment_id.rsplit('/').step_by(2);
    let deployment = names.next().unwrap_or_default();
    let endpoint = names.next().unwrap_or_default();
    let segment = produced.map_or("autoscalesettings", |c| c.segment());
    let mut d = entry(EntryInit {
        address: format!("{}.autoscale_setting", r.address),
        kind: produced.map_or("autoscale_setting", |c| c.kind),
        id: format!(
            "{group}/providers/Microsoft.Insights/{segment}/{endpoint}-{deployment}-autoscale"
        ),
        api_version: produced.map_or("2022-10-01", |c| c.api_version),
        span: r
            .body
            .block("scale")
            .map_or_else(|| r.header_span(), |b| b.header_span()),
    });
    let known =
        |name: &str, default: i64| present(scale, name).map_or(Some(default), |a| a.value.as_i64());
    let number = |name: &str, default: i64| match present(scale, name) {
        Some(a) => ctx.json(&a.value),
        None => json!(default),
    };
    // Autoscale capacities are strings on the wire (`Wire::DecimalText`).
    let count = |name: &str, default: i64| match present(scale, name) {
        Some(a) => body::convert(ctx, &AttrType::Number, Wire::DecimalText, &a.value, None)
            .unwrap_or_default(),
        None => json!(default.to_string()),
    };
    let min = known("min_instances", 1);
    let max = known("max_instances", 1);
    let start = present(&r.body, "instance_count").map_or(Some(1), |a| a.value.as_i64());
    let default = match (min, max, start) {
        (Some(lo), Some(hi), Some(n)) => json!(n.clamp(lo, hi.max(lo)).to_string()),
        _ => json!(ctx.text(&crate::lang::value::Value::Unknown)),
    };
    let target = number("target_utilization", 70);
    let scale_in = match known("target_utilization", 70) {
        Some(t) => json!(t / 2),
        None => target.clone(),
    };
    let window = match present(scale, "polling_interval") {
        Some(a) => body::convert(
            ctx,
            &AttrType::Duration {
                min_secs: None,
                max_secs: None,
            },
            Wire::IsoDuration,
            &a.value,
            Some(a.span),
        )
        .unwrap_or_default(),
        None => json!("PT5M"),
    };
    let rule = |operator: &str, threshold: &Json, direction: &str| {
        json!({
            "metricTrigger": {
                "metricName": "CpuUtilizationPercentage",
                "metricNamespace": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
                "metricResourceUri": deployment_id,
                "operator": operator,
                "statistic": "Average",
                "threshold": threshold,
                "timeAggregation": "Average",
                "timeGrain": "PT1M",
                "timeWindow": window,
            },
            "scaleAction": {
                "cooldown": "PT5M",
                "direction": direction,
                "type": "ChangeCount",
                "value": "1",
            },
        })
    };
    let mut out = json!({
        "location": ctx.location(r),
        "properties": {
            "enabled": true,
            "targetResourceUri": deployment_id,
            "profiles": [{
                "name": "default",
                "capacity": {
                    "minimum": count("min_instances", 1),
                    "maximum": count("max_instances", 1),
                    "default": default,
                },
                "rules": [
                    rule("GreaterThan", &target, "Increase"),
                    rule("LessThan", &scale_in, "Decrease"),
                ],
            }],
        },
    });
    if let Some(tags) = present(&r.body, "tags").and_then(|a| {
        body::convert(
            ctx,
            &crate::schema::meta::TAGS.ty,
            crate::schema::meta::TAGS.wire,
            &a.value,
            Some(a.span),
        )
    }) {
        put(&mut out, "tags", tags);
    }
    d.body = out;
    let mut deps = BTreeSet::from([r.address.clone()]);
    collect_deps(scale, &[], &[], &mut deps);
    add_deps(ctx, &mut d, deps);
    finish(&mut d, r, &[], "", true);
    if let Some(produced) = produced {
        apply_behavior(&mut d, &produced.behavior);
    }
    d
}

/// The generic entry; a model is referred to by its asset ID.
pub(crate) fn batch_deployment(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut entries = with_code(ctx, r, generic(ctx, r));
    if present(&r.body, "model").is_some()
        && let Some(d) = entries.first_mut()
    {
        put(&mut d.body, "properties.model.referenceType", json!("Id"));
    }
    entries
}

/// A deployment's `code` directory as its own code asset version (`DEPLOYMENT.code`, named
/// `{endpoint}-{deployment}` in the endpoint's workspace), referred to by
/// `codeConfiguration.codeId`.
fn with_code(ctx: &Ctx<'_>, r: &Resource, mut entries: Vec<Desired>) -> Vec<Desired> {
    let Some(endpoint) = r.parent_address() else {
        return entries;
    };
    let endpoint_id = ctx.id(endpoint);
    // `{workspace}/onlineEndpoints/{endpoint}` (or `batchEndpoints`).
    let Some((workspace_id, endpoint_name)) = endpoint_id
        .rsplit_once('/')
        .and_then(|(head, name)| Some((head.rsplit_once('/')?.0.to_string(), name.to_string())))
    else {
        return entries;
    };
    let name = format!("{endpoint_name}-{}", r.name);
    let asset = code_asset::CodeAsset {
        workspace_id: &workspace_id,
        after: Some(endpoint),
        name: &name,
        code_id_path: "properties.codeConfiguration.codeId",
        id_prefix: "",
    };
    let Some(owner) = entries.first_mut() else {
        return entries;
    };
    if let Some(code) = code_asset::attach(ctx, r, owner, &asset) {
        entries.push(code);
    }
    entries
}
