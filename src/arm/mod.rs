//! The desired ARM state: what the manifest asks ARM for, resource by resource.
//!
//! Every resource instance of the manifest lowers to one or more [`Desired`] ARM resources:
//! the resource itself, its child resources that are plan entries of their own (outbound
//! rules, DNS zone links and records, a private endpoint's DNS zone group), the resources
//! amlplan manages implicitly (a workspace's storage account, key vault, Application
//! Insights and Log Analytics workspace when the manifest names none), and "partial"
//! entries that own some properties of another resource and are applied by GET, merge,
//! PUT (an online endpoint's traffic, set only after its deployments exist).

pub mod lower;
pub mod upload;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// Where an exported attribute (`KIND.NAME.ATTR`, known after apply) is found in what ARM
/// returns for the resource, as the kinds' descriptors declare it.
pub fn export_path(attr: &str) -> Option<&'static str> {
    crate::schema::all_exports()
        .iter()
        .find(|e| e.name == attr)
        .map(|e| e.arm_path)
}

/// The exported attributes of a resource as ARM returned it, as manifest values.
pub fn exported_values(
    actual: &serde_json::Value,
) -> std::collections::BTreeMap<String, crate::lang::value::Value> {
    crate::schema::all_exports()
        .iter()
        .filter_map(|e| {
            let v = e.arm_path.split('.').try_fold(actual, |v, k| v.get(k))?;
            (!v.is_null()).then(|| (e.name.to_string(), crate::lang::value::Value::from_json(v)))
        })
        .collect()
}

/// How a value known only after apply reads in plans. It is display text only: a lowered
/// body never holds it for an unknown value (see [`Desired::unknown`]), so a user's string
/// that reads the same is sent like any other.
pub const UNKNOWN_TEXT: &str = "(known after apply)";

/// A write that still holds values known only after apply reached the provider: amlplan's
/// own failure (the apply resolves every such value first), refused before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub address: String,
    /// The body paths still unknown (empty when only the ID is).
    pub paths: Vec<String>,
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.paths.as_slice() {
            [] => write!(f, "{}: its ARM ID is not known yet", self.address),
            paths => write!(f, "{}: {} not known yet", self.address, paths.join(", ")),
        }
    }
}

/// One ARM resource (or part of one) amlplan wants to exist.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    /// The plan address: `workspace.fraud`, `workspace.fraud.outbound_rule.pypi`,
    /// `workspace.fraud.storage_account`, `online_endpoint.api.traffic`,
    /// `module.ws.private_dns_zone.api.vnet_link.hub`.
    pub address: String,
    /// What it is, for output and for kind-specific apply rules: the manifest kind
    /// (`workspace`, `compute_cluster`, ...) or a child/implicit kind (`outbound_rule`,
    /// `dns_zone_group`, `vnet_link`, `a_record`, `storage_account`, `key_vault`,
    /// `application_insights`, `log_analytics`, `endpoint_traffic`).
    pub kind: String,
    /// The ARM resource ID.
    pub id: String,
    pub api_version: String,
    /// The exact PUT body (for a partial entry: only the properties it owns, at their paths).
    pub body: serde_json::Value,
    /// Dotted JSON paths in `body` whose change forces replacement, with the manifest
    /// attribute that sets each (for "# forces replacement" and `replace_paths`).
    pub create_only: Vec<PathRule>,
    /// Dotted JSON paths in `body` that hold sensitive values (redacted in every output).
    pub sensitive: Vec<String>,
    /// Dotted JSON paths in `body` whose values are known only after apply (sorted). The
    /// body holds `null` there: nothing in it stands for an unknown value.
    pub unknown: Vec<String>,
    /// The ARM ID (or the ID of the resource it is part of) is known only after apply; `id`
    /// reads [`UNKNOWN_TEXT`] where it is.
    pub id_unknown: bool,
    /// Addresses this entry must wait for (create/update order; delete runs in reverse).
    pub depends_on: Vec<String>,
    /// Where the manifest declares it (implicit resources point at their owner's block).
    pub span: Option<Span>,
    /// Created by amlplan for a block that did not name it.
    pub implicit: bool,
    pub lifecycle: Lifecycle,
    /// How ARM treats the resource.
    pub behavior: Behavior,
    /// Only these properties of the resource at `id` belong to this entry (GET, merge, PUT);
    /// `None` for a whole resource.
    pub partial_of: Option<String>,
    /// The manifest attributes and blocks behind the paths of `body`, so the plan names what
    /// changed the way the manifest writes it.
    pub origins: Vec<Origin>,
    /// Files to upload before the PUT (a code asset's directory); `None` for most entries.
    pub upload: Option<std::sync::Arc<upload::Upload>>,
}

impl Desired {
    /// The manifest attribute or block behind a dotted path of the body, with what is left
    /// of the path below it (a key of a map attribute: `owner` of `tags.owner`; an element
    /// of a list: `0.ipv4Address` of `properties.aRecords.0.ipv4Address`). Anything
    /// else matches only its own path (a property inside a block, or inside the structure a
    /// hook builds for an attribute, that no attribute maps to is something amlplan sets
    /// itself); `None` where nothing in the manifest maps to it.
    pub fn origin<'p>(&self, path: &'p str) -> Option<(&Origin, &'p str)> {
        origin_of(&self.origins, path)
    }
}

/// [`Desired::origin`] over a list of origins.
pub fn origin_of<'o, 'p>(origins: &'o [Origin], path: &'p str) -> Option<(&'o Origin, &'p str)> {
    let mut best: Option<(&Origin, &'p str)> = None;
    for origin in origins {
        let rest = if origin.path == path {
            ""
        } else if origin.schema.is_some_and(keyed)
            && let Some(rest) = path
                .strip_prefix(origin.path.as_ref())
                .and_then(|r| r.strip_prefix('.'))
        {
            rest
        } else {
            continue;
        };
        if best.is_none_or(|(b, _)| origin.path.len() > b.path.len()) {
            best = Some((origin, rest));
        }
    }
    best
}

/// An attribute whose value has parts of its own (a map's keys, a list's elements): a path
/// inside its ARM value is still the attribute. (A scalar a hook turns into a structure, such
/// as the private endpoint's `manual_approval` choosing a connection list, is not: the parts
/// are other attributes' or amlplan's.)
fn keyed(schema: &crate::schema::AttrSchema) -> bool {
    use crate::schema::AttrType;
    matches!(
        schema.ty,
        AttrType::Map(_) | AttrType::List(_) | AttrType::Any
    )
}

/// Where a path of an entry's body comes from in the manifest.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Dotted path in the body (`properties.properties.schedules.computeStartStop.0.cron.timeZone`);
    /// borrowed from the descriptors' reverse map where no index is filled in.
    pub path: Cow<'static, str>,
    /// The attribute or block as the manifest writes it, from the resource block down:
    /// `max_nodes`, `scale.min_instances`, `schedule["nightly-stop"].time_zone`,
    /// `managed_network.outbound_rule["pypi"].destination` (a repeated block without a label
    /// is indexed: `probe[0]`); borrowed where no instance is named.
    pub attribute: Cow<'static, str>,
    /// The attribute in the manifest, or the block it would be in where it is absent
    /// (defaulted).
    pub span: Span,
    /// The attribute's descriptor (its type and wire form); `None` for a block.
    pub schema: Option<&'static crate::schema::AttrSchema>,
}

impl PartialEq for Origin {
    fn eq(&self, other: &Origin) -> bool {
        self.path == other.path && self.attribute == other.attribute && self.span == other.span
    }
}

impl Desired {
    /// Whether any value of the entry (its ID included) is known only after apply.
    pub fn has_unknown(&self) -> bool {
        self.id_unknown || !self.unknown.is_empty()
    }

    /// The body to send: refused while any value in it, or the ID it goes to, is still
    /// unknown. Every write the apply makes for an entry takes its body from here.
    pub fn sendable_body(&self) -> Result<&serde_json::Value, Unresolved> {
        match self.has_unknown() {
            false => Ok(&self.body),
            true => Err(Unresolved {
                address: self.address.clone(),
                paths: self.unknown.clone(),
            }),
        }
    }

    /// The body as plans show it: sensitive values redacted, values known only after apply
    /// reading [`UNKNOWN_TEXT`] (the JSON plan lists their paths beside it).
    pub fn shown_body(&self) -> serde_json::Value {
        let mut out = crate::plan::compare::redact(&self.body, &self.sensitive);
        for path in &self.unknown {
            crate::json_path::replace(
                &mut out,
                path,
                serde_json::Value::String(UNKNOWN_TEXT.into()),
            );
        }
        out
    }

    /// The ID under which ARM keeps the entry's resource once deleted, for a type whose
    /// DELETE soft-deletes (a Key Vault: `.../locations/{location}/deletedVaults/{name}`);
    /// `None` for other types.
    pub fn soft_deleted_id(&self) -> Option<String> {
        let soft = crate::schema::by_kind_name(&self.kind)?
            .semantics()
            .soft_deleted?;
        let location = self
            .body
            .get("location")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        soft.deleted_id_of(&self.id, location)
    }

    /// Whether the value at `path` (or one it lies in) is known only after apply.
    pub fn is_unknown_at(&self, path: &str) -> bool {
        self.unknown
            .iter()
            .any(|u| crate::json_path::is_within(path, u))
    }
}

/// A JSON path and the manifest attribute behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathRule {
    /// Dotted path into the body, `properties.properties.vmSize`.
    pub path: String,
    /// The manifest attribute, `vm_size`.
    pub attribute: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lifecycle {
    pub prevent_destroy: bool,
    /// Manifest attribute names (as written) whose drift and changes are ignored.
    pub ignore_changes: Vec<String>,
    /// Dotted body paths the names above map to.
    pub ignore_paths: Vec<String>,
    /// For asset versions: replace a changed version instead of refusing.
    pub replace_versions: bool,
    /// For asset versions: delete the old version after a version bump (and on destroy)
    /// instead of archiving it.
    pub delete_old_versions: bool,
    pub create_before_destroy: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Behavior {
    /// Query parameters DELETE needs (`underlyingResourceAction=Delete` for computes).
    pub delete_query: Vec<(String, String)>,
    /// An immutable asset version: a content change cannot be an update.
    pub versioned_asset: bool,
    /// Deleting soft-deletes (workspaces); re-creating the same name needs a purge.
    pub soft_delete: bool,
    /// A role assignment: retry PUT on `PrincipalNotFound`.
    pub retry_principal_not_found: bool,
    /// Paths ARM fills in or rewrites that are never drift (compared only if the manifest
    /// sets them).
    pub server_paths: Vec<String>,
    /// Compare these paths case-insensitively (VM sizes, locations).
    pub case_insensitive_paths: Vec<String>,
    /// Properties another entry owns (an endpoint's traffic): a PUT of an existing resource
    /// carries over their current values instead of resetting them.
    pub preserve_paths: Vec<String>,
    /// String paths holding YAML documents, compared as parsed YAML (conda files).
    pub yaml_paths: Vec<String>,
}
