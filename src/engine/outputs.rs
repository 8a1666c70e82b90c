//! The root outputs after apply: references to attributes known only after apply
//! (`online_endpoint.fraud.scoring_uri`) are read from what ARM now holds.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::arm::Desired;
use crate::lang::value::Value as HclValue;
use crate::model::Manifest;
use crate::provider::client::ArmClient;
use crate::state::OutputState;

pub fn resolve_outputs(
    runtime: &tokio::runtime::Runtime,
    client: &ArmClient,
    manifest: &Manifest,
    desired: &[Desired],
) -> BTreeMap<String, OutputState> {
    let resolver = Outputs {
        runtime,
        client,
        manifest,
        desired,
    };
    manifest
        .outputs
        .iter()
        .map(|o| {
            (
                o.name.clone(),
                OutputState {
                    value: resolver.value(&o.value),
                    sensitive: o.sensitive,
                },
            )
        })
        .collect()
}

struct Outputs<'a> {
    runtime: &'a tokio::runtime::Runtime,
    client: &'a ArmClient,
    manifest: &'a Manifest,
    desired: &'a [Desired],
}

impl Outputs<'_> {
    fn value(&self, value: &HclValue) -> Value {
        match value {
            HclValue::Ref(r) => {
                let Some(d) = self.desired.iter().find(|d| d.address == r.address) else {
                    return Value::Null;
                };
                let actual = self
                    .runtime
                    .block_on(self.client.get(&d.id, &d.api_version))
                    .ok()
                    .flatten();
                let attr = r.attr.first().map(String::as_str).unwrap_or("id");
                let path = crate::arm::export_path(attr);
                match (path, actual) {
                    (Some("id"), _) => Value::String(d.id.clone()),
                    (Some(p), Some(a)) => crate::plan::compare::get_path(&a, p)
                        .cloned()
                        .unwrap_or(Value::Null),
                    // An input attribute: its manifest value.
                    _ => self
                        .manifest
                        .resource(&r.address)
                        .and_then(|res| res.body.value(attr))
                        .map(HclValue::to_json)
                        .unwrap_or(Value::Null),
                }
            }
            HclValue::List(items) => Value::Array(items.iter().map(|v| self.value(v)).collect()),
            HclValue::Map(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.value(v)))
                    .collect(),
            ),
            other => other.to_json(),
        }
    }
}
