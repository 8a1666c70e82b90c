//! Lowering: the evaluated manifest to the ARM requests amlplan wants to make.
//!
//! [`lower`] turns every resource instance into one or more [`Desired`] entries: its ARM
//! resource ID, api-version and exact PUT body (ARM's JSON property names, ARM's enum
//! spellings, ISO 8601 durations, conda files inline), plus what the diff and the apply need
//! to know about it (create-only and sensitive paths, dependencies, lifecycle, ARM quirks).
//!
//! Every kind's descriptor (`schema::KindSchema`) drives its lowering: the ID comes from its
//! ID template ([`ids`]), the body from its attribute tables, each attribute at its `arm_path`
//! relative to its enclosing block's, in its wire form ([`body`]), plus the kind's constants;
//! create-only paths, lifecycle and ARM behaviour follow ([`generic`]). A kind whose body the
//! tables cannot say names a lowering hook, which starts from the generic pieces: [`workspace`]
//! (its outbound rules and the implicit storage account, key vault, Application Insights and
//! Log Analytics workspace), [`compute`] (instance schedules), [`endpoints`] (the online
//! endpoint's traffic entry, deployment scale settings), [`network`] (private endpoints with
//! their DNS zone group, private DNS zones with their links and records) and [`role`].
//!
//! # Values known only after apply
//!
//! A reference to a resource itself lowers to that resource's ARM ID, and a reference to its
//! `id` or `name` export to its ID or Azure name: both are fixed by the manifest (the ID is the
//! URL of the PUT), so they are known at plan time. Any other attribute reference
//! (`workspace.x.principal_id`, `online_endpoint.e.scoring_uri`) and any `Value::Unknown` is
//! unknown: each entry records the body paths that are ([`Desired::unknown`], `null` in the
//! body) and whether its ID is ([`Desired::id_unknown`]), see [`unknown`]. The apply lowers
//! again once the referenced resource exists. A role assignment whose principal is unknown has
//! an unknown name too, so its ID is unknown.
//!
//! # Uploads
//!
//! An online or batch deployment's `code` directory is a code asset version of its own
//! ([`code_asset`]): the directory is read and hashed here, the version's ID (its content
//! hash) is the deployment's `codeConfiguration.codeId`, and the entry carries the files the
//! apply uploads before it registers the version.

pub(crate) mod body;
pub(crate) mod code_asset;
pub(crate) mod compute;
pub(crate) mod endpoints;
mod ids;
pub(crate) mod network;
mod origins;
pub(crate) mod role;
pub(crate) mod unknown;
pub(crate) mod workspace;

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value as Json};

use crate::arm::{Behavior, Desired, Lifecycle, PathRule};
use crate::diagnostic::Diagnostic;
use crate::lang::value::Value;
use crate::model::{Body, Manifest, Resource};
use crate::source::{Sources, Span};
use unknown::marker;

pub use ids::{ImplicitNames, implicit_names};
pub use role::{ROLE_ASSIGNMENT_NAMESPACE, role_assignment_name};

/// Lowers every resource instance of a checked manifest to the ARM requests it stands for,
/// sorted by address.
///
/// Errors are only for what the checker cannot see (a conda file that vanished since, say);
/// a manifest that checked without errors normally lowers.
pub fn lower(manifest: &Manifest, sources: &Sources) -> Result<Vec<Desired>, Vec<Diagnostic>> {
    lower_with(
        manifest,
        sources,
        &crate::provider::ProviderDefaults::default(),
    )
}

/// [`lower`], with the provider's defaults for what the `azure` block leaves out (the
/// tenant); the manifest is not changed.
pub fn lower_with(
    manifest: &Manifest,
    sources: &Sources,
    defaults: &crate::provider::ProviderDefaults,
) -> Result<Vec<Desired>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut azure = ids::Azure::from_manifest(manifest, &mut diags);
    if azure.tenant.is_none() {
        azure.tenant = defaults.tenant_id.clone();
    }
    let ids = ids::resolve(manifest, sources, &azure, &mut diags);
    let ctx = Ctx {
        sources,
        azure,
        ids,
        by_address: manifest
            .resources
            .iter()
            .map(|r| (r.address.as_str(), r))
            .collect(),
        children: manifest.children_by_parent(),
        diags: std::cell::RefCell::new(diags),
    };
    let mut out = Vec::new();
    for resource in &manifest.resources {
        let mut entries = match resource.schema.lower {
            Some(hook) => hook(&ctx, resource),
            None => generic(&ctx, resource),
        };
        for entry in &mut entries {
            entry.origins = origins::of_entry(resource, entry);
        }
        out.extend(entries);
    }
    for budget in manifest.settings.iter().filter(|b| b.kind == "budget") {
        out.extend(crate::schema::consumption_budget::lower(&ctx, budget));
    }
    let diags = ctx.diags.into_inner();
    if !diags.is_empty() {
        return Err(diags);
    }
    for entry in &mut out {
        if entry.behavior.versioned_asset && entry.partial_of.is_none() {
            // An asset version amlplan manages is active: one archived since (an old version
            // the manifest names again) is restored by an in-place update.
            body::put(&mut entry.body, "properties.isArchived", Json::Bool(false));
        }
        entry.body = body::sorted(std::mem::take(&mut entry.body));
        // ARM ignores read-only properties; the checker refuses attributes that set one
        // (E0715), and nothing else may send one either.
        for path in crate::schema::semantics::read_only_paths_set(
            &entry.kind,
            &entry.api_version,
            &entry.body,
        ) {
            crate::json_path::remove(&mut entry.body, path);
        }
        let own = entry.address.clone();
        entry.depends_on.retain(|d| *d != own);
        entry.depends_on.sort();
        entry.depends_on.dedup();
        entry.sensitive.sort();
        entry.sensitive.dedup();
        unknown::extract(entry);
    }
    out.sort_by(|a, b| a.address.cmp(&b.address));
    Ok(out)
}

/// What every kind's lowering reads: the sources, the `azure` block's settings, every
/// resource's ARM ID and the resources by address.
pub struct Ctx<'m> {
    pub(crate) sources: &'m Sources,
    pub(crate) azure: ids::Azure,
    /// ARM ID by resource address.
    pub(crate) ids: HashMap<String, String>,
    pub(crate) by_address: HashMap<&'m str, &'m Resource>,
    /// [`Manifest::children_by_parent`], built once.
    children: HashMap<&'m str, Vec<&'m Resource>>,
    diags: std::cell::RefCell<Vec<Diagnostic>>,
}

impl<'m> Ctx<'m> {
    pub fn error(&self, diagnostic: Diagnostic) {
        self.diags.borrow_mut().push(diagnostic);
    }

    /// The ARM ID of the resource at `address` (unknown if it could not be computed, which
    /// was reported).
    pub fn id(&self, address: &str) -> String {
        self.ids
            .get(address)
            .cloned()
            .unwrap_or_else(|| marker().to_string())
    }

    pub fn resource(&self, address: &str) -> Option<&Resource> {
        self.by_address.get(address).copied()
    }

    /// The resources whose ARM parent is the resource at `address`, in the manifest's order.
    pub fn children(&self, address: &str) -> &[&'m Resource] {
        self.children.get(address).map_or(&[][..], Vec::as_slice)
    }

    /// The region of a resource: its own `location`, else its parent's (a compute goes where
    /// its workspace is), else the `azure` block's.
    pub fn location(&self, resource: &Resource) -> String {
        if let Some(loc) = resource.body.str("location") {
            return loc.to_string();
        }
        resource
            .parent_address()
            .and_then(|p| self.resource(p))
            .map_or_else(|| self.azure.location.clone(), |p| self.location(p))
    }

    /// A manifest value as JSON: references become ARM IDs (or names, or the
    /// [`unknown::marker`]), unknown values the marker, numbers integers where they are whole.
    pub fn json(&self, value: &Value) -> Json {
        match value {
            Value::Ref(r) => match r.attr.as_slice() {
                [] => Json::String(self.id(&r.address)),
                [one] if one == "id" => Json::String(self.id(&r.address)),
                [one] if one == "name" => Json::String(
                    self.resource(&r.address)
                        .map_or_else(|| marker().to_string(), |t| t.name.clone()),
                ),
                _ => Json::String(marker().to_string()),
            },
            Value::Unknown => Json::String(marker().to_string()),
            Value::List(items) => Json::Array(items.iter().map(|v| self.json(v)).collect()),
            Value::Map(map) => {
                Json::Object(map.iter().map(|(k, v)| (k.clone(), self.json(v))).collect())
            }
            other => other.to_json(),
        }
    }

    /// A value as a string for an ID or a name: the string itself, a resource's ID, or
    /// the [`unknown::marker`].
    pub fn text(&self, value: &Value) -> String {
        match self.json(value) {
            Json::String(s) => s,
            other => other.to_string(),
        }
    }
}

/// An attribute that is set (a `null` value counts as unset, as in Terraform).
pub(crate) fn present<'b>(body: &'b Body, name: &str) -> Option<&'b crate::model::Attr> {
    body.attr(name).filter(|a| !a.value.is_null())
}

/// Where one manifest attribute (or block) lands in the body: the table the create-only
/// rules and the `ignore_changes` paths are read from.
#[derive(Debug, Clone)]
pub(crate) struct AttrPath {
    /// The attribute, dotted through nested blocks (`scale.min_instances`).
    pub attr: String,
    pub path: String,
    pub create_only: bool,
}

/// A new entry for one ARM resource, with everything but its body's content.
pub(crate) struct EntryInit<'a> {
    pub address: String,
    pub kind: &'a str,
    pub id: String,
    pub api_version: &'a str,
    pub span: Span,
}

/// The entry of a resource block with the body its schema table gives: the envelope
/// (location, tags, identity) and every attribute and nested block with an ARM path, except
/// `skip`. Every kind's lowering starts here and adds what the table cannot say.
pub(crate) fn schema_entry(ctx: &Ctx<'_>, r: &Resource, skip: &[&str]) -> (Desired, Json) {
    let kind = r.schema;
    let mut d = entry(EntryInit {
        address: r.address.clone(),
        kind: kind.kind,
        id: ctx.id(&r.address),
        api_version: kind.api_version,
        span: r.header_span(),
    });
    let mut out = Json::Object(Map::new());
    body::envelope(ctx, r, &mut out, &mut d.sensitive);
    body::lower_block(
        ctx,
        &r.body,
        &kind.body,
        skip,
        "",
        &mut out,
        &mut d.sensitive,
    );
    (d, out)
}

/// The generic lowering of a resource block: its own entry, built from its kind's tables and
/// descriptor alone. Kinds with a lowering hook start from it or from [`start`].
pub fn generic(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, &[]);
    let table = body::kind_paths(r.schema, &[]);
    complete(&mut d, r, &table);
    vec![d]
}

/// A resource's own entry before its create-only rules and lifecycle: the body its tables
/// give (attributes in `skip` left out) plus its kind's constants, and its dependencies
/// (except those of the blocks and attributes its child entries are lowered from).
pub(crate) fn start(ctx: &Ctx<'_>, r: &Resource, skip: &[&str]) -> Desired {
    let kind = r.schema;
    let (mut d, mut out) = schema_entry(ctx, r, skip);
    for (path, value) in kind.constants {
        body::put(&mut out, path, Json::String((*value).to_string()));
    }
    d.body = out;
    let children: Vec<&str> = kind
        .children
        .iter()
        .filter(|c| !c.block.is_empty())
        .map(|c| c.block.rsplit('.').next().unwrap_or(c.block))
        .collect();
    let skip_attrs: Vec<&str> = skip.iter().chain(&children).copied().collect();
    let mut deps = BTreeSet::new();
    collect_deps(&r.body, &skip_attrs, &children, &mut deps);
    add_deps(ctx, &mut d, deps);
    d
}

/// Finishes a resource's own entry: create-only rules and lifecycle from `table`, and what
/// its kind's descriptor says about how ARM treats it.
pub(crate) fn complete(d: &mut Desired, r: &Resource, table: &[AttrPath]) {
    finish(d, r, table, "", false);
    apply_behavior(d, &r.schema.behavior);
}

/// Copies a descriptor's behaviour onto an entry (server paths only where the body sets them).
pub(crate) fn apply_behavior(d: &mut Desired, behavior: &crate::schema::KindBehavior) {
    d.behavior.case_insensitive_paths = behavior
        .case_insensitive_paths
        .iter()
        .map(|p| p.to_string())
        .collect();
    d.behavior.server_paths = behavior
        .server_paths
        .iter()
        .filter(|p| body::get(&d.body, p).is_some())
        .map(|p| p.to_string())
        .collect();
    d.behavior.delete_query = behavior
        .delete_query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    d.behavior.versioned_asset = behavior.versioned_asset;
    d.behavior.soft_delete = behavior.soft_delete;
    d.behavior.retry_principal_not_found = behavior.retry_principal_not_found;
    d.behavior.yaml_paths = behavior
        .yaml_paths
        .iter()
        .filter(|p| body::get(&d.body, p).is_some())
        .map(|p| p.to_string())
        .collect();
}

/// An empty entry at `address` and `id` (unit tests elsewhere build entries from it).
#[cfg(test)]
pub(crate) fn entry_for_tests(address: &str, id: &str) -> Desired {
    let span = crate::source::Span::new(crate::source::FileId(0), 0..0);
    entry(EntryInit {
        address: address.into(),
        kind: "",
        id: id.into(),
        api_version: "",
        span,
    })
}

pub(crate) fn entry(init: EntryInit<'_>) -> Desired {
    Desired {
        address: init.address,
        kind: init.kind.to_string(),
        id: init.id,
        api_version: init.api_version.to_string(),
        body: Json::Object(Map::new()),
        create_only: Vec::new(),
        sensitive: Vec::new(),
        unknown: Vec::new(),
        id_unknown: false,
        depends_on: Vec::new(),
        span: Some(init.span),
        implicit: false,
        lifecycle: Lifecycle::default(),
        behavior: Behavior::default(),
        partial_of: None,
        origins: Vec::new(),
        upload: None,
    }
}

/// Fills in the create-only rules and `ignore_paths` of `entry` from its path table, and
/// its lifecycle flags from the resource's `lifecycle` block. `block_path` is the dotted
/// position of a child entry's block in the resource (`managed_network.outbound_rule.pypi`),
/// empty for the resource's own entry.
pub(crate) fn finish(
    entry: &mut Desired,
    resource: &Resource,
    table: &[AttrPath],
    block_path: &str,
    child: bool,
) {
    let mut seen = BTreeSet::new();
    for row in table.iter().filter(|r| r.create_only) {
        if seen.insert((row.path.clone(), row.attr.clone())) {
            entry.create_only.push(PathRule {
                path: row.path.clone(),
                attribute: row.attr.clone(),
            });
        }
    }
    let Some(lifecycle) = resource.body.block("lifecycle") else {
        return;
    };
    let flag = |name: &str| lifecycle.body.value(name).and_then(Value::as_bool) == Some(true);
    if !child {
        entry.lifecycle.prevent_destroy = flag("prevent_destroy");
        entry.lifecycle.create_before_destroy = flag("create_before_destroy");
        entry.lifecycle.replace_versions = flag("replace_versions");
        entry.lifecycle.delete_old_versions = flag("delete_old_versions");
    }
    let names: Vec<String> = lifecycle
        .body
        .value("ignore_changes")
        .and_then(Value::as_list)
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let top_level: Vec<String> = match &entry.body {
        Json::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let mut paths = BTreeSet::new();
    let mut kept = Vec::new();
    for name in names {
        let (whole, relative) = if block_path.is_empty() {
            (name == "all", Some(name.as_str()))
        } else if name == "all"
            || dotted_prefix(&name, block_path)
            || dotted_prefix(&name, &without_label(block_path))
        {
            (true, None)
        } else {
            let relative = name
                .strip_prefix(block_path)
                .and_then(|rest| rest.strip_prefix('.'));
            if relative.is_none() {
                // About another part of the resource.
                continue;
            }
            (false, relative)
        };
        if whole {
            paths.extend(top_level.iter().cloned());
        } else if let Some(relative) = relative {
            paths.extend(
                table
                    .iter()
                    .filter(|row| dotted_prefix(relative, &row.attr))
                    .map(|row| row.path.clone()),
            );
        }
        // Kept even where it maps to no body path (`name`, a part of the ID), so the plan
        // can still say the attribute is ignored.
        kept.push(name);
    }
    entry.lifecycle.ignore_changes = kept;
    // A path under another ignored path adds nothing.
    entry.lifecycle.ignore_paths = paths
        .iter()
        .filter(|p| !paths.iter().any(|q| q != *p && dotted_prefix(q, p)))
        .cloned()
        .collect();
}

/// `prefix` equals `path` or names one of its ancestors (`scale` of `scale.min_instances`).
fn dotted_prefix(prefix: &str, path: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// `managed_network.outbound_rule` for `managed_network.outbound_rule.pypi`.
fn without_label(block_path: &str) -> String {
    block_path
        .rsplit_once('.')
        .map_or_else(|| block_path.to_string(), |(head, _)| head.to_string())
}

/// Adds the resources `body`'s attributes refer to (and those of its nested blocks, except
/// the blocks named in `skip_blocks` and the attributes in `skip_attrs`) to `deps`.
pub(crate) fn collect_deps(
    body: &Body,
    skip_attrs: &[&str],
    skip_blocks: &[&str],
    deps: &mut BTreeSet<String>,
) {
    for attr in body.attrs.values() {
        if skip_attrs.contains(&attr.name.as_str()) {
            continue;
        }
        attr_deps(attr, deps);
    }
    for block in &body.blocks {
        if skip_blocks.contains(&block.kind.as_str()) {
            continue;
        }
        collect_deps(&block.body, &[], skip_blocks, deps);
    }
}

/// The resources one attribute refers to.
pub(crate) fn attr_deps(attr: &crate::model::Attr, deps: &mut BTreeSet<String>) {
    deps.extend(attr.deps.iter().map(|(r, _)| r.address.clone()));
    deps.extend(
        attr.value
            .references()
            .into_iter()
            .map(|r| r.address.clone()),
    );
}

/// Adds to `entry.depends_on` the addresses in `deps` that are resources of the manifest
/// (the entry's own address and duplicates are dropped when [`lower`] finishes).
pub(crate) fn add_deps(ctx: &Ctx<'_>, entry: &mut Desired, deps: BTreeSet<String>) {
    entry
        .depends_on
        .extend(deps.into_iter().filter(|d| ctx.resource(d).is_some()));
}
