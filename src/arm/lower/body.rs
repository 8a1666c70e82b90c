//! Building request bodies from the schema tables.
//!
//! Each attribute with an `arm_path` lands at that path, relative to its enclosing block's
//! `arm_path`; a block that may occur more than once becomes an array with one object per
//! occurrence. Values are converted by the attribute's type: enums to their ARM spelling,
//! durations to ISO 8601, references to ARM IDs. Where an ARM property differs in form from the
//! manifest attribute behind it (a bool sent as `Enabled`/`Disabled`, a negated flag, a list
//! sent as a map, a file's content), the attribute says so with its [`Wire`].

use serde_json::{Map, Value as Json};

use super::unknown::marker;
use super::{AttrPath, Ctx, present};
use crate::diagnostics::{load, values};
use crate::lang::duration::{parse_duration, to_iso8601};
use crate::lang::value::Value;
use crate::model::Body;
use crate::schema::{AttrType, BlockSchema, DefaultValue, KindSchema, Wire, meta};
use crate::source::Span;

/// `a.b` + `c` = `a.b.c`.
pub(crate) fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{path}"),
    }
}

/// Sets the value at a dotted path, creating the objects on the way.
pub(crate) fn put(body: &mut Json, path: &str, value: Json) {
    crate::json_path::set(body, path, value);
}

/// The value at a dotted path, if there is one.
pub(crate) fn get<'j>(body: &'j Json, path: &str) -> Option<&'j Json> {
    crate::json_path::get(body, path)
}

/// The same JSON with every object's keys in sorted order, so bodies read the same whatever
/// order they were built in.
pub(crate) fn sorted(json: Json) -> Json {
    match json {
        Json::Object(map) => {
            let mut entries: Vec<(String, Json)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Json::Array(items) => Json::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn default_value(default: DefaultValue) -> Value {
    match default {
        DefaultValue::Bool(b) => Value::Bool(b),
        DefaultValue::Int(i) => Value::int(i),
        DefaultValue::Str(s) => Value::string(s),
    }
}

/// Lowers the attributes and nested blocks of `body` (described by `schema`) into `out` at
/// `path`, skipping the attributes and blocks named in `skip` and those the kind lowers itself
/// (empty `arm_path`). Absent attributes take their schema default, so the request says
/// exactly what amlplan wants rather than leaving it to Azure's defaults. Paths of sensitive
/// values (sensitive attributes, values derived from sensitive variables) go to `sensitive`.
pub(crate) fn lower_block(
    ctx: &Ctx<'_>,
    body: &Body,
    schema: &BlockSchema,
    skip: &[&str],
    path: &str,
    out: &mut Json,
    sensitive: &mut Vec<String>,
) {
    for attr_schema in schema.attrs {
        if attr_schema.arm_path.is_empty() || skip.contains(&attr_schema.name) {
            continue;
        }
        let full = join(path, attr_schema.arm_path);
        let attr = present(body, attr_schema.name);
        let value = match (attr, attr_schema.default) {
            (Some(attr), _) => attr.value.clone(),
            (None, Some(default)) => default_value(default),
            (None, None) => continue,
        };
        let Some(json) = convert(
            ctx,
            &attr_schema.ty,
            attr_schema.wire,
            &value,
            attr.map(|a| a.span),
        ) else {
            continue;
        };
        put(out, &full, json);
        if attr_schema.sensitive || attr.is_some_and(|a| a.sensitive) {
            sensitive.push(full);
        }
    }
    for block_schema in schema.blocks {
        if block_schema.arm_path.is_empty() || skip.contains(&block_schema.name) {
            continue;
        }
        let full = join(path, block_schema.arm_path);
        let blocks: Vec<_> = body.blocks(block_schema.name).collect();
        if blocks.is_empty() {
            continue;
        }
        if block_schema.max == Some(1) {
            if get(out, &full).is_none() {
                put(out, &full, Json::Object(Map::new()));
            }
            lower_block(
                ctx,
                &blocks[0].body,
                block_schema.body,
                &[],
                &full,
                out,
                sensitive,
            );
        } else {
            let mut items = Vec::new();
            for (i, block) in blocks.iter().enumerate() {
                let mut item = Json::Object(Map::new());
                let mut item_sensitive = Vec::new();
                lower_block(
                    ctx,
                    &block.body,
                    block_schema.body,
                    &[],
                    "",
                    &mut item,
                    &mut item_sensitive,
                );
                sensitive.extend(
                    item_sensitive
                        .into_iter()
                        .map(|p| format!("{full}.{i}.{p}")),
                );
                items.push(item);
            }
            put(out, &full, Json::Array(items));
        }
    }
}

/// Converts one attribute value by its type and its wire form. `None` where the value cannot
/// be sent (a file that cannot be read, which was reported).
pub(crate) fn convert(
    ctx: &Ctx<'_>,
    ty: &AttrType,
    wire: Wire,
    value: &Value,
    span: Option<Span>,
) -> Option<Json> {
    if matches!(value, Value::Unknown) && !matches!(wire, Wire::Wrapped(_)) {
        return Some(Json::String(marker().to_string()));
    }
    Some(match (ty, wire) {
        (AttrType::Bool, Wire::EnabledDisabled) => match value.as_bool() {
            Some(b) => Json::String(if b { "Enabled" } else { "Disabled" }.to_string()),
            None => ctx.json(value),
        },
        (AttrType::Bool, Wire::Negated) => match value.as_bool() {
            Some(b) => Json::Bool(!b),
            None => ctx.json(value),
        },
        (_, Wire::FileContent) => match (value.as_str(), span) {
            (Some(path), Some(span)) => Json::String(file_content(ctx, path, span)?),
            _ => ctx.json(value),
        },
        (_, Wire::DecimalText) => match value.as_i64() {
            Some(n) => Json::String(n.to_string()),
            None => ctx.json(value),
        },
        (AttrType::Duration { .. }, Wire::IsoDuration) => match value.as_str() {
            Some(text) => Json::String(iso_duration(ctx, text, span)),
            None => ctx.json(value),
        },
        (AttrType::Enum(values), _) => match value.as_str() {
            Some(text) => Json::String(
                values
                    .iter()
                    .find(|v| v.hcl == text)
                    .map_or(text, |v| v.arm)
                    .to_string(),
            ),
            None => ctx.json(value),
        },
        (_, Wire::Wrapped(key)) => {
            let wrap = |v: &Value| {
                let mut item = Map::new();
                item.insert(key.to_string(), ctx.json(v));
                Json::Object(item)
            };
            match value {
                Value::List(items) => Json::Array(items.iter().map(wrap).collect()),
                other => Json::Array(vec![wrap(other)]),
            }
        }
        (AttrType::List(_), Wire::IdMap) => match value.as_list() {
            Some(items) => Json::Object(
                items
                    .iter()
                    .map(|v| (ctx.text(v), Json::Object(Map::new())))
                    .collect(),
            ),
            None => ctx.json(value),
        },
        (AttrType::List(inner), _) => match value.as_list() {
            Some(items) => Json::Array(
                items
                    .iter()
                    .map(|v| convert(ctx, inner, Wire::default_for(inner), v, span))
                    .collect::<Option<Vec<_>>>()?,
            ),
            None => ctx.json(value),
        },
        (AttrType::Map(inner), _) => match value.as_map() {
            Some(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| {
                        convert(ctx, inner, Wire::default_for(inner), v, span)
                            .map(|v| (k.clone(), v))
                    })
                    .collect::<Option<Map<_, _>>>()?,
            ),
            None => ctx.json(value),
        },
        _ => ctx.json(value),
    })
}

/// The content of a file the manifest names (a conda file), read relative to the manifest
/// file that names it; a read failure is reported.
fn file_content(ctx: &Ctx<'_>, path: &str, span: Span) -> Option<String> {
    let base = ctx.sources.get(span.file).path.parent()?.to_path_buf();
    let full = base.join(path);
    match crate::fs::current().read_to_string(&full) {
        Ok(text) => Some(text),
        Err(e) => {
            ctx.error(load::unreadable_conda_file(
                &full.display().to_string(),
                &e,
                span,
            ));
            None
        }
    }
}

/// A manifest duration in ISO 8601 (the checker has parsed it already; a failure here is
/// reported all the same).
pub(crate) fn iso_duration(ctx: &Ctx<'_>, text: &str, span: Option<Span>) -> String {
    match parse_duration(text) {
        Ok(d) => to_iso8601(d),
        Err(message) => {
            ctx.error(values::invalid_duration_at_lowering(&message, span));
            text.to_string()
        }
    }
}

/// Puts `location` and `tags` of a resource into its body, as its kind has them.
pub(crate) fn envelope(
    ctx: &Ctx<'_>,
    resource: &crate::model::Resource,
    out: &mut Json,
    sensitive: &mut Vec<String>,
) {
    let kind = resource.schema;
    if kind.has_location {
        put(out, "location", Json::String(ctx.location(resource)));
        if resource.body.attr("location").is_some_and(|a| a.sensitive) {
            sensitive.push("location".to_string());
        }
    }
    if kind.has_tags
        && let Some(attr) = present(&resource.body, "tags")
    {
        let path = kind.tags_path;
        if let Some(tags) = convert(
            ctx,
            &meta::TAGS.ty,
            meta::TAGS.wire,
            &attr.value,
            Some(attr.span),
        ) {
            put(out, path, tags);
        }
        if attr.sensitive {
            sensitive.push(path.to_string());
        }
    }
}

/// The path table of a block: where each attribute and nested block lands (the attributes in
/// `skip` left out), including where the kind's hook puts the attributes it lowers itself into
/// the resource's own entry, as they declare it (`lowered`, paths from the body's root).
pub(crate) fn paths(
    schema: &BlockSchema,
    skip: &[&str],
    attr_prefix: &str,
    path_prefix: &str,
    out: &mut Vec<AttrPath>,
) {
    for attr in schema.attrs.iter().filter(|a| !skip.contains(&a.name)) {
        let placed = (!attr.arm_path.is_empty()).then(|| join(path_prefix, attr.arm_path));
        let hooked = attr
            .lowered
            .iter()
            .filter(|at| at.entry.is_empty())
            .map(|at| at.path.to_string());
        for path in placed.into_iter().chain(hooked) {
            out.push(AttrPath {
                attr: join(attr_prefix, attr.name),
                path,
                create_only: attr.create_only,
            });
        }
    }
    for block in schema.blocks {
        if skip.contains(&block.name) {
            continue;
        }
        if block.arm_path.is_empty() {
            // A block the hook lowers: where its attributes say the hook puts them.
            hooked_paths(
                block.body,
                &join(attr_prefix, block.name),
                block.create_only,
                out,
            );
            continue;
        }
        let attr = join(attr_prefix, block.name);
        let path = join(path_prefix, block.arm_path);
        out.push(AttrPath {
            attr: attr.clone(),
            path: path.clone(),
            create_only: block.create_only,
        });
        // The attributes of a repeated block are inside array elements; the block's own path
        // covers them.
        if block.max == Some(1) {
            paths(block.body, &[], &attr, &path, out);
        }
    }
}

/// The rows of a hook-lowered block's attributes that declare paths in the resource's own
/// entry (`lowered`), create-only where the attribute or the block is.
fn hooked_paths(
    schema: &BlockSchema,
    attr_prefix: &str,
    create_only: bool,
    out: &mut Vec<AttrPath>,
) {
    for attr in schema.attrs {
        for at in attr.lowered.iter().filter(|at| at.entry.is_empty()) {
            out.push(AttrPath {
                attr: join(attr_prefix, attr.name),
                path: at.path.to_string(),
                create_only: create_only || attr.create_only,
            });
        }
    }
    for block in schema.blocks {
        hooked_paths(
            block.body,
            &join(attr_prefix, block.name),
            create_only || block.create_only,
            out,
        );
    }
}

/// The path table of the entry of kind `entry` a kind's hook produces from the resource's
/// attributes (`dns_zones` → `dns_zone_group`), as the attributes declare it.
pub(crate) fn produced_paths(kind: &KindSchema, entry: &str) -> Vec<AttrPath> {
    kind.body
        .attrs
        .iter()
        .flat_map(|attr| {
            attr.lowered
                .iter()
                .filter(move |at| at.entry == entry)
                .map(move |at| AttrPath {
                    attr: attr.name.to_string(),
                    path: at.path.to_string(),
                    create_only: attr.create_only,
                })
        })
        .collect()
}

/// The path table of a resource's own entry: its kind's attributes plus `location` and
/// `tags`.
pub(crate) fn kind_paths(kind: &KindSchema, skip: &[&str]) -> Vec<AttrPath> {
    let mut out = Vec::new();
    if kind.has_location {
        out.push(AttrPath {
            attr: "location".into(),
            path: "location".into(),
            create_only: meta::LOCATION.create_only,
        });
    }
    if kind.has_tags {
        out.push(AttrPath {
            attr: "tags".into(),
            path: kind.tags_path.into(),
            create_only: false,
        });
    }
    paths(&kind.body, skip, "", "", &mut out);
    out
}
