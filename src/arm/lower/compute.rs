//! Compute instances: what the generic lowering of `workspaces/computes` cannot say. (A
//! compute cluster needs nothing beyond its descriptor.)

use serde_json::{Value as Json, json};

use super::body::{get, put};
use super::{Ctx, generic};
use crate::arm::Desired;
use crate::model::Resource;

/// The generic entry, with every start/stop schedule marked as a cron trigger.
pub(crate) fn instance(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut entries = generic(ctx, r);
    let path = "properties.properties.schedules.computeStartStop";
    for d in &mut entries {
        if let Some(Json::Array(items)) = get(&d.body, path) {
            let items: Vec<Json> = items
                .iter()
                .cloned()
                .map(|mut item| {
                    put(&mut item, "triggerType", json!("Cron"));
                    item
                })
                .collect();
            put(&mut d.body, path, Json::Array(items));
        }
    }
    entries
}
