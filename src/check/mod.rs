//! Checking the evaluated manifest.
//!
//! [`check`] runs the schema checks on every resource and settings block, the name rules,
//! the per-kind rules ([`rules`]) and the dependency-cycle check ([`crate::graph`]). It only
//! reads the manifest and never stops early: every problem found is reported.

pub mod documents;
pub mod rules;
pub mod schema;

use std::collections::HashMap;

use crate::azure::names;
use crate::diagnostic::Diagnostics;
use crate::diagnostics;
use crate::graph::DepGraph;
use crate::lang::value::Value;
use crate::model::{Block, Manifest};
use crate::schema::{BlockSchema, settings};
use crate::source::Sources;

use self::schema::{Context, SchemaChecker};

pub fn check(manifest: &Manifest, sources: &Sources, diags: &mut Diagnostics) {
    let mut checker = SchemaChecker { sources, diags };
    if let Some(azure) = &manifest.azure {
        checker.check_body(
            &azure.body,
            &settings::AZURE,
            Context::Block("azure"),
            azure.header_span(),
        );
        check_azure_known(azure, checker.diags);
    }
    if let Some(backend) = &manifest.backend {
        check_backend(backend, &mut checker);
    }
    for block in &manifest.settings {
        let schema: &BlockSchema = match block.kind.as_str() {
            "budget" => &settings::BUDGET,
            "prices" => &settings::PRICES,
            _ => &settings::REVIEW,
        };
        checker.check_body(
            &block.body,
            schema,
            Context::Block(&block.kind),
            block.header_span(),
        );
    }
    for resource in &manifest.resources {
        checker.check_body(
            &resource.body,
            &resource.schema.body,
            Context::Resource(resource.schema),
            resource.header_span(),
        );
        if let Err(e) = names::check_name(resource.schema.name_rule, &resource.name) {
            diags_push_name(checker.diags, resource, &e);
        }
        check_lifecycle(resource, checker.diags);
        check_read_only(resource, checker.diags);
    }
    check_duplicate_names(manifest, diags);
    rules::check(manifest, sources, diags);
    crate::cost::load::check(manifest, sources, diags);
    crate::schema::consumption_budget::check(manifest, diags);
    crate::review::check(manifest, sources, diags);
    let graph = DepGraph::build(manifest);
    graph.report_cycles(manifest, diags);
    graph.report_bad_depends_on(manifest, diags);
}

/// The settings every ARM ID starts from must be known when planning: one that reads a
/// resource's attribute is known only after apply, and nothing could be planned.
fn check_azure_known(azure: &Block, diags: &mut Diagnostics) {
    for name in ["subscription_id", "resource_group", "location"] {
        let Some(attr) = azure.body.attr(name) else {
            continue;
        };
        // An unknown without a resource behind it is an error reported where it arose.
        let after_apply = match &attr.value {
            Value::Unknown => !attr.deps.is_empty(),
            v => v.is_unknown(),
        };
        if after_apply {
            diags.push(diagnostics::structure::azure_setting_known_after_apply(
                name, attr.span,
            ));
        }
    }
}

fn diags_push_name(diags: &mut Diagnostics, resource: &crate::model::Resource, error: &str) {
    diags.push(diagnostics::values::invalid_name(
        &resource.name,
        &resource.schema.kind.replace('_', " "),
        error,
        names::describe(resource.schema.name_rule),
        resource.name_span,
    ));
}

fn check_backend(backend: &Block, checker: &mut SchemaChecker) {
    let Some((label, span)) = backend.labels.first() else {
        return;
    };
    let schema: &BlockSchema = match label.as_str() {
        "local" => &settings::BACKEND_LOCAL,
        "azure_blob" => &settings::BACKEND_AZURE_BLOB,
        other => {
            checker
                .diags
                .push(diagnostics::values::unknown_backend_type(other, *span));
            return;
        }
    };
    checker.check_body(
        &backend.body,
        schema,
        Context::Block("backend"),
        backend.header_span(),
    );
}

/// An attribute set on a property its ARM type's api-version marks read-only: ARM would
/// drop it without a word (and every later plan would try to set it again).
fn check_read_only(resource: &crate::model::Resource, diags: &mut Diagnostics) {
    static BY_KIND: std::sync::LazyLock<
        HashMap<&'static str, Vec<crate::schema::semantics::ReadOnlyAttr>>,
    > = std::sync::LazyLock::new(|| {
        crate::schema::KINDS
            .iter()
            .map(|k| (k.kind, crate::schema::semantics::read_only_attributes(k)))
            .collect()
    });
    let Some(attrs) = BY_KIND.get(resource.schema.kind) else {
        return;
    };
    for ro in attrs {
        let mut bodies = vec![&resource.body];
        for name in ro.block.split('.').filter(|n| !n.is_empty()) {
            bodies = bodies
                .into_iter()
                .flat_map(|b| b.blocks(name).map(|blk| &blk.body))
                .collect();
        }
        for body in bodies {
            let (blocks, attr) = match ro.attr.rsplit_once('.') {
                Some((blocks, attr)) => (blocks, attr),
                None => ("", ro.attr.as_str()),
            };
            let holder = blocks
                .split('.')
                .filter(|n| !n.is_empty())
                .try_fold(body, |b, name| b.block(name).map(|blk| &blk.body));
            if let Some(set) = holder.and_then(|b| b.attr(attr)) {
                diags.push(diagnostics::constraints::read_only_property(
                    &ro.attr,
                    &ro.path,
                    ro.arm_type,
                    ro.api_version,
                    set.key_span,
                ));
            }
        }
    }
}

/// `ignore_changes` may only name attributes the kind has.
fn check_lifecycle(resource: &crate::model::Resource, diags: &mut Diagnostics) {
    let Some(lifecycle) = resource.body.block("lifecycle") else {
        return;
    };
    let Some(attr) = lifecycle.body.attr("ignore_changes") else {
        return;
    };
    let Value::List(items) = &attr.value else {
        return;
    };
    let schema = &resource.schema.body;
    for item in items {
        let Value::String(name) = item else { continue };
        let top = name.split(['.', '[']).next().unwrap_or(name);
        let known = schema.attr(top).is_some()
            || schema.block(top).is_some()
            || (top == "tags" && resource.schema.has_tags)
            || (top == "location" && resource.schema.has_location)
            || name == "all";
        if !known {
            let candidates = schema
                .attrs
                .iter()
                .map(|a| a.name)
                .chain(schema.blocks.iter().map(|b| b.name));
            diags.push(diagnostics::constraints::unknown_ignore_changes(
                name,
                top,
                resource.schema.kind,
                attr.span,
                candidates,
            ));
        }
    }
}

/// Two resources of one kind with the same Azure name under the same parent would be the
/// same ARM resource.
fn check_duplicate_names(manifest: &Manifest, diags: &mut Diagnostics) {
    let mut seen: HashMap<(&str, String, String), &crate::model::Resource> =
        HashMap::with_capacity(manifest.resources.len());
    for resource in &manifest.resources {
        // A `name` that failed to evaluate was reported; the label fallback is not a name.
        if resource
            .body
            .attr("name")
            .is_some_and(|a| a.value.as_str().is_none())
        {
            continue;
        }
        // A scoped kind's ARM name is derived from its scope and other attributes (a role
        // assignment's from scope, principal and role), so two blocks that agree on them are
        // the same resource.
        let derived = match resource.schema.id {
            crate::schema::IdTemplate::Scoped {
                scope, name_from, ..
            } => Some((scope, name_from)),
            _ => None,
        };
        let key = if let Some((scope, name_from)) = derived {
            let part = |a: &str| {
                resource
                    .body
                    .value(a)
                    .map(|v| v.to_string().to_ascii_lowercase())
                    .unwrap_or_default()
            };
            (
                resource.kind(),
                part(scope),
                name_from
                    .iter()
                    .map(|a| part(a))
                    .collect::<Vec<_>>()
                    .join("|"),
            )
        } else {
            // Kinds of one ARM type share its names (a schedule and a monitor, a cluster and
            // an instance).
            let parent = resource.parent_address().unwrap_or_default();
            (
                resource.schema.arm_type,
                parent.to_string(),
                resource.name.to_ascii_lowercase(),
            )
        };
        match seen.entry(key) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(resource);
            }
            std::collections::hash_map::Entry::Occupied(first) => {
                let first = *first.get();
                let what = if let Some((scope, name_from)) = derived {
                    let (last, rest) = name_from.split_last().unwrap_or((&"", &[]));
                    let mut parts = vec![scope];
                    parts.extend(rest);
                    format!(
                        "the same {} (same {} and {last})",
                        resource.schema.kind.replace('_', " "),
                        parts.join(", ")
                    )
                } else {
                    format!("the {} `{}`", resource.schema.kind, resource.name)
                };
                let help = if resource.key.is_some() && resource.body.attr("name").is_none() {
                    "every instance of a repeated block gets the block's name; set `name` from the key, e.g. name = \"x-${each.key}\""
                } else {
                    "give one of them a different `name`"
                };
                diags.push(diagnostics::structure::duplicate_azure_name(
                    &first.address,
                    &resource.address,
                    &what,
                    resource.name_span,
                    first.name_span,
                    help,
                ));
            }
        }
    }
}
