//! What a rule's check may look at: the checked manifest, its lowered entries, and lookups
//! over them built once per review.

use std::collections::HashMap;

use crate::arm::Desired;
use crate::model::{Block, Body, Manifest, Resource};
use crate::schema::descriptor::ReviewFact;
use crate::schema::{BlockSchema, DefaultValue, KindSchema};

pub struct Ctx<'a> {
    pub manifest: &'a Manifest,
    /// The lowered entries, sorted by address (as `arm::lower` returns them).
    pub desired: &'a [Desired],
    by_address: HashMap<&'a str, &'a Resource>,
    /// The private endpoints whose `target` is each resource, by the resource's address.
    endpoints_to: HashMap<&'a str, Vec<&'a Resource>>,
}

impl<'a> Ctx<'a> {
    pub fn new(manifest: &'a Manifest, desired: &'a [Desired]) -> Ctx<'a> {
        let mut endpoints_to: HashMap<&'a str, Vec<&'a Resource>> = HashMap::new();
        for r in &manifest.resources {
            if let Some(target) = r.body.value("target").and_then(|v| v.as_ref())
                && r.schema.body.attr("group").is_some()
            {
                endpoints_to
                    .entry(target.address.as_str())
                    .or_default()
                    .push(r);
            }
        }
        Ctx {
            manifest,
            desired,
            by_address: manifest
                .resources
                .iter()
                .map(|r| (r.address.as_str(), r))
                .collect(),
            endpoints_to,
        }
    }

    pub fn resource(&self, address: &str) -> Option<&'a Resource> {
        self.by_address.get(address).copied()
    }

    /// The resource an attribute of `r` refers to (`workspace = workspace.fraud`).
    pub fn referenced(&self, r: &Resource, attr: &str) -> Option<&'a Resource> {
        let reference = r.body.value(attr)?.as_ref()?;
        self.resource(&reference.address)
    }

    /// The top of a resource's parent chain (a deployment's endpoint's workspace); the
    /// resource itself when it has no parent.
    pub fn root_of(&self, r: &'a Resource) -> &'a Resource {
        let mut current = r;
        // The chain is at most a few levels; the bound keeps a self-reference from looping.
        for _ in 0..8 {
            match current.parent_address().and_then(|p| self.resource(p)) {
                Some(parent) if parent.address != current.address => current = parent,
                _ => break,
            }
        }
        current
    }

    /// The private endpoints whose `target` is the resource.
    pub fn endpoints_to(&self, address: &str) -> &[&'a Resource] {
        self.endpoints_to.get(address).map_or(&[], Vec::as_slice)
    }

    /// The lowered entry at an address.
    pub fn desired(&self, address: &str) -> Option<&'a Desired> {
        match self
            .desired
            .binary_search_by(|d| d.address.as_str().cmp(address))
        {
            Ok(i) => self.desired.get(i),
            // Not sorted after all (a caller built the list itself): look it up plainly.
            Err(_) => self.desired.iter().find(|d| d.address == address),
        }
    }
}

/// The first fact of a kind that `pick` selects.
pub fn fact<T>(kind: &KindSchema, pick: fn(&ReviewFact) -> Option<T>) -> Option<T> {
    kind.review.iter().find_map(pick)
}

fn default_of(schema: &BlockSchema, name: &str) -> Option<DefaultValue> {
    schema.attr(name).and_then(|a| a.default)
}

/// A boolean attribute as the resource will have it: its value, else the schema's default;
/// `None` when unknown until apply or absent without a default.
pub fn bool_attr(body: &Body, schema: &BlockSchema, name: &str) -> Option<bool> {
    match body.value(name) {
        Some(v) => v.as_bool(),
        None => match default_of(schema, name) {
            Some(DefaultValue::Bool(b)) => Some(b),
            _ => None,
        },
    }
}

/// A string (or enum) attribute as the resource will have it, as [`bool_attr`].
pub fn str_attr<'b>(body: &'b Body, schema: &BlockSchema, name: &str) -> Option<&'b str> {
    match body.value(name) {
        Some(v) => v.as_str(),
        None => match default_of(schema, name) {
            Some(DefaultValue::Str(s)) => Some(s),
            _ => None,
        },
    }
}

/// A whole-number attribute as the resource will have it, as [`bool_attr`].
pub fn int_attr(body: &Body, schema: &BlockSchema, name: &str) -> Option<i64> {
    match body.value(name) {
        Some(v) => v.as_i64(),
        None => match default_of(schema, name) {
            Some(DefaultValue::Int(i)) => Some(i),
            _ => None,
        },
    }
}

/// A workspace's managed-network isolation mode as it will be (`disabled` without a block).
pub fn isolation_mode(workspace: &Resource) -> Option<&str> {
    match workspace.body.block("managed_network") {
        Some(block) => {
            let schema = workspace.schema.body.block("managed_network")?.body;
            str_attr(&block.body, schema, "isolation_mode")
        }
        None => Some("disabled"),
    }
}

/// The outbound rule blocks of a workspace, each with its address and path.
pub fn outbound_rules(workspace: &Resource) -> Vec<(&Block, String, String)> {
    let Some(network) = workspace.body.block("managed_network") else {
        return Vec::new();
    };
    network
        .body
        .blocks("outbound_rule")
        .map(|b| {
            let label = b.label().unwrap_or_default();
            (
                b,
                format!("{}.outbound_rule.{label}", workspace.address),
                format!("managed_network.outbound_rule.{label}"),
            )
        })
        .collect()
}

/// The schema of a workspace's outbound rule block.
pub fn outbound_rule_schema(workspace: &Resource) -> Option<&'static BlockSchema> {
    let network = workspace.schema.body.block("managed_network")?;
    network.body.block("outbound_rule").map(|b| b.body)
}

/// Whether a resource is marked as holding high-business-impact data.
pub fn high_business_impact(r: &Resource) -> bool {
    bool_attr(&r.body, &r.schema.body, "high_business_impact") == Some(true)
}

/// The attribute `pick` selects from the resource's kind facts, when it is set to true.
pub fn flag_set(
    r: &Resource,
    pick: fn(&ReviewFact) -> Option<&'static str>,
) -> Option<&'static str> {
    let a = fact(r.schema, pick)?;
    (bool_attr(&r.body, &r.schema.body, a) == Some(true)).then_some(a)
}

/// The broad roles the identity rules look for: full control of what is under the scope, or
/// of who has access to it.
pub const BROAD_ROLES: &[&str] = &[
    "Owner",
    "Contributor",
    "User Access Administrator",
    "Role Based Access Control Administrator",
];

/// The built-in role name a role assignment grants (`role` as a name or a definition ID).
pub fn role_name(r: &Resource) -> Option<&'static str> {
    let role = r.body.str("role")?;
    crate::azure::roles::role_by_name(role)
        .or_else(|| {
            crate::azure::roles::role_definition_guid(role)
                .ok()
                .and_then(|g| crate::azure::roles::role_by_guid(&g))
        })
        .map(|b| b.name)
}

/// Whether the resource is a role assignment (a kind with a role, a principal and a scope).
pub fn is_role_assignment(k: &KindSchema) -> bool {
    k.body.attr("role").is_some()
        && k.body.attr("principal_id").is_some()
        && k.body.attr("scope").is_some()
}

/// Whether an attribute's value came from a sensitive variable: such a value is never shown.
pub fn is_sensitive(body: &Body, name: &str) -> bool {
    body.attr(name).is_some_and(|a| a.sensitive)
}

/// A string attribute's value for a message: `(sensitive value)` when it is sensitive.
pub fn shown(body: &Body, name: &str) -> Option<String> {
    if is_sensitive(body, name) {
        return Some(crate::sensitive::SHOWN.to_string());
    }
    body.str(name).map(str::to_string)
}

/// [`isolation_mode`] for a message or report (`(sensitive value)` when it is sensitive).
pub fn isolation_mode_shown(workspace: &Resource) -> String {
    let sensitive = workspace
        .body
        .block("managed_network")
        .is_some_and(|b| is_sensitive(&b.body, "isolation_mode"));
    match isolation_mode(workspace) {
        _ if sensitive => crate::sensitive::SHOWN.to_string(),
        Some(mode) => mode.to_string(),
        None => crate::arm::UNKNOWN_TEXT.to_string(),
    }
}
