//! Compute clusters (AmlCompute) and compute instances: `workspaces/computes`, told apart by
//! `properties.computeType`.

use super::schema_entry;
use std::collections::BTreeSet;

use serde_json::{Value as Json, json};

use super::body::{self, get, put};
use super::{Ctx, add_deps, collect_deps, finish};
use crate::arm::Desired;
use crate::model::Resource;

const PASSWORD: &str = "properties.properties.userAccountCredentials.adminUserPassword";

/// The body every compute has; `compute_type` is ARM's discriminator.
fn common(ctx: &Ctx<'_>, r: &Resource, compute_type: &str) -> (Desired, Json) {
    let kind = r.schema;
    let (mut d, mut out) = schema_entry(ctx, r, &[]);
    put(&mut out, "properties.computeType", json!(compute_type));
    let mut deps = BTreeSet::new();
    collect_deps(&r.body, &[], &[], &mut deps);
    add_deps(ctx, &mut d, deps);
    let table = body::kind_paths(kind, &[]);
    finish(&mut d, r, &table, "", false);
    // Deleting a compute ARM created must delete its VMs too (`Detach` is for attached ones).
    d.behavior.delete_query = vec![("underlyingResourceAction".into(), "Delete".into())];
    d.behavior.case_insensitive_paths = vec![
        "location".into(),
        "properties.properties.vmSize".into(),
        "properties.properties.subnet.id".into(),
    ];
    (d, out)
}

pub(crate) fn cluster(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let (mut d, out) = common(ctx, r, "AmlCompute");
    d.body = out;
    // A password is never read back.
    if get(&d.body, PASSWORD).is_some() {
        d.behavior.server_paths = vec![PASSWORD.to_string()];
    }
    vec![d]
}

pub(crate) fn instance(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let (mut d, mut out) = common(ctx, r, "ComputeInstance");
    // Each schedule is a cron trigger.
    let path = "properties.properties.schedules.computeStartStop";
    if let Some(Json::Array(items)) = get(&out, path) {
        let items: Vec<Json> = items
            .iter()
            .cloned()
            .map(|mut item| {
                put(&mut item, "triggerType", json!("Cron"));
                item
            })
            .collect();
        put(&mut out, path, Json::Array(items));
    }
    d.body = out;
    vec![d]
}
