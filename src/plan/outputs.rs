//! The planned values of the root outputs (Terraform's `output_changes`).
//!
//! An output's new value is worked out from the plan alone, without another read of ARM: a
//! literal or an input attribute is its manifest value, a resource's ID is known once its ID
//! is, and an exported attribute (`online_endpoint.fraud.scoring_uri`) is what ARM holds for
//! a resource the plan leaves alone, and known only after apply for any other. The old value
//! is the one the last apply recorded in the state. Sensitive values are never carried here:
//! the state does not hold them, so a sensitive output is compared by presence only.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::lang::value::Value as HclValue;
use crate::model::Manifest;
use crate::plan::{Action, Plan, ResourceChange};
use crate::state::OutputState;

/// What a plan does to one root output.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputChange {
    pub name: String,
    /// `Create`, `Update`, `Delete` or `NoOp`.
    pub action: Action,
    /// The value the state records (`None` for a new output or a sensitive one).
    pub before: Option<Value>,
    /// The planned value (`None` when unknown or sensitive).
    pub after: Option<Value>,
    /// The planned value is known only after apply.
    pub after_unknown: bool,
    pub sensitive: bool,
}

/// The root outputs' changes, sorted by name; outputs the manifest no longer declares are
/// deleted.
pub fn plan_outputs(
    manifest: &Manifest,
    plan: &Plan,
    prior: &BTreeMap<String, OutputState>,
) -> Vec<OutputChange> {
    // Most manifests have no outputs: no index of ten thousand changes for nothing.
    if manifest.outputs.is_empty() && prior.is_empty() {
        return Vec::new();
    }
    let changes: BTreeMap<&str, &ResourceChange> = plan
        .changes
        .iter()
        .map(|c| (c.address.as_str(), c))
        .collect();
    let resolver = Resolver {
        manifest,
        changes: &changes,
        exports: &plan.exports,
    };
    let mut out: Vec<OutputChange> = manifest
        .outputs
        .iter()
        .map(|o| {
            let old = prior.get(&o.name);
            let after = resolver.value(&o.value);
            let after_unknown = after.is_none();
            let before = old
                .filter(|p| !p.sensitive && !o.sensitive)
                .map(|p| p.value.clone());
            let action = match (old, &after) {
                (None, _) => Action::Create,
                // A sensitive value is never stored, so there is nothing to compare it with.
                (Some(_), _) if o.sensitive => Action::NoOp,
                (Some(p), Some(v)) if !p.sensitive && &p.value == v => Action::NoOp,
                (Some(_), _) => Action::Update,
            };
            OutputChange {
                name: o.name.clone(),
                action,
                before,
                after: after.filter(|_| !o.sensitive),
                after_unknown,
                sensitive: o.sensitive,
            }
        })
        .collect();
    for (name, old) in prior {
        if !manifest.outputs.iter().any(|o| &o.name == name) {
            out.push(OutputChange {
                name: name.clone(),
                action: Action::Delete,
                before: (!old.sensitive).then(|| old.value.clone()),
                after: None,
                after_unknown: false,
                sensitive: old.sensitive,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The outputs a plan changes (what the human and markdown plans list).
pub fn changed(changes: &[OutputChange]) -> Vec<&OutputChange> {
    changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect()
}

/// The value an output has before anything is applied: `None` when any part of it is known
/// only after apply (it refers to a resource).
pub fn value_before_apply(value: &HclValue) -> Option<Value> {
    value.is_wholly_known().then(|| value.to_json())
}

struct Resolver<'a> {
    manifest: &'a Manifest,
    changes: &'a BTreeMap<&'a str, &'a ResourceChange>,
    exports: &'a crate::apply::Known,
}

impl Resolver<'_> {
    /// The planned JSON value; `None` if any part of it is known only after apply.
    fn value(&self, value: &HclValue) -> Option<Value> {
        match value {
            HclValue::Unknown => None,
            HclValue::Ref(r) => {
                let change = self.changes.get(r.address.as_str())?;
                let desired = change.desired.as_ref()?;
                // The resource itself, or its `id`, is its ARM ID.
                let Some(attr) = r
                    .attr
                    .first()
                    .filter(|a| crate::arm::export_path(a) != Some("id"))
                else {
                    return (!desired.id_unknown).then(|| Value::String(desired.id.clone()));
                };
                match crate::arm::export_path(attr) {
                    // What ARM computes is only known now for a resource the plan leaves alone.
                    Some(_) if change.action != Action::NoOp || !change.exists => None,
                    Some(_) => self
                        .exports
                        .get(&r.address)?
                        .get(attr)
                        .map(HclValue::to_json),
                    None => {
                        let input = self.manifest.resource(&r.address)?.body.value(attr)?;
                        let mut rest = r.attr[1..].iter();
                        let nested = rest.try_fold(input, |v, key| match v {
                            HclValue::Map(m) => m.get(key),
                            HclValue::List(l) => key.parse::<usize>().ok().and_then(|i| l.get(i)),
                            _ => None,
                        })?;
                        self.value(nested)
                    }
                }
            }
            HclValue::List(items) => items
                .iter()
                .map(|v| self.value(v))
                .collect::<Option<_>>()
                .map(Value::Array),
            HclValue::Map(map) => map
                .iter()
                .map(|(k, v)| Some((k.clone(), self.value(v)?)))
                .collect::<Option<serde_json::Map<_, _>>>()
                .map(Value::Object),
            other => Some(other.to_json()),
        }
    }
}
