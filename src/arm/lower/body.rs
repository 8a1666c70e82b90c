//! Building request bodies from the schema tables.
//!
//! Each attribute with an `arm_path` lands at that path, relative to its enclosing block's
//! `arm_path`; a block that may occur more than once becomes an array with one object per
//! occurrence. Values are converted by the attribute's type: enums to their ARM spelling,
//! durations to ISO 8601, references to ARM IDs. A few ARM properties differ in form from the
//! manifest attribute behind them; they are recognised by their wire name ([`Wire`]), which is
//! what makes their form differ, whatever kind they are on.

use serde_json::{Map, Value as Json};

use super::{AttrPath, Ctx, UNKNOWN, present};
use crate::diagnostic::{Code, Diagnostic};
use crate::lang::duration::{parse_duration, to_iso8601};
use crate::lang::value::Value;
use crate::model::Body;
use crate::schema::{AttrType, BlockSchema, DefaultValue, KindSchema, meta};
use crate::source::Span;

/// How a manifest bool or list goes on the wire, by ARM property name.
enum Wire {
    Plain,
    /// `true` is `"Enabled"`, `false` is `"Disabled"`.
    EnabledDisabled,
    /// ARM's flag says the opposite of the manifest's (`local_auth` → `disableLocalAuth`).
    Negated,
    /// A list of IDs sent as a map from each ID to `{}`.
    IdMap,
}

fn wire(arm_name: &str) -> Wire {
    match arm_name {
        "publicNetworkAccess"
        | "egressPublicNetworkAccess"
        | "remoteLoginPortPublicAccess"
        | "sshPublicAccess"
        | "status" => Wire::EnabledDisabled,
        "disableLocalAuth" | "serverlessComputeNoPublicIP" => Wire::Negated,
        "userAssignedIdentities" => Wire::IdMap,
        _ => Wire::Plain,
    }
}

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
        DefaultValue::Int(i) => Value::Number(i as f64),
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
        let leaf = attr_schema.arm_path.rsplit('.').next().unwrap_or_default();
        let json = convert(ctx, &attr_schema.ty, leaf, &value, attr.map(|a| a.span));
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

/// Converts one attribute value by its type and the ARM property it goes to.
pub(crate) fn convert(
    ctx: &Ctx<'_>,
    ty: &AttrType,
    arm_name: &str,
    value: &Value,
    span: Option<Span>,
) -> Json {
    if matches!(value, Value::Unknown) {
        return Json::String(UNKNOWN.to_string());
    }
    match ty {
        AttrType::Bool => match (value.as_bool(), wire(arm_name)) {
            (Some(b), Wire::EnabledDisabled) => {
                Json::String(if b { "Enabled" } else { "Disabled" }.to_string())
            }
            (Some(b), Wire::Negated) => Json::Bool(!b),
            _ => ctx.json(value),
        },
        AttrType::Duration { .. } => match value.as_str() {
            Some(text) => Json::String(iso_duration(ctx, text, span)),
            None => ctx.json(value),
        },
        AttrType::Enum(values) => match value.as_str() {
            Some(text) => Json::String(
                values
                    .iter()
                    .find(|v| v.hcl == text)
                    .map_or(text, |v| v.arm)
                    .to_string(),
            ),
            None => ctx.json(value),
        },
        AttrType::List(inner) => match (value.as_list(), wire(arm_name)) {
            (Some(items), Wire::IdMap) => Json::Object(
                items
                    .iter()
                    .map(|v| (ctx.text(v), Json::Object(Map::new())))
                    .collect(),
            ),
            (Some(items), _) => Json::Array(
                items
                    .iter()
                    .map(|v| convert(ctx, inner, "", v, span))
                    .collect(),
            ),
            _ => ctx.json(value),
        },
        AttrType::Map(inner) => match value.as_map() {
            Some(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), convert(ctx, inner, "", v, span)))
                    .collect(),
            ),
            None => ctx.json(value),
        },
        _ => ctx.json(value),
    }
}

/// A manifest duration in ISO 8601 (the checker has parsed it already; a failure here is
/// reported all the same).
pub(crate) fn iso_duration(ctx: &Ctx<'_>, text: &str, span: Option<Span>) -> String {
    match parse_duration(text) {
        Ok(d) => to_iso8601(d),
        Err(message) => {
            let mut d = Diagnostic::new(Code::E0504, message);
            if let Some(span) = span {
                d = d.at(span, "invalid duration");
            }
            ctx.error(d);
            text.to_string()
        }
    }
}

/// Where `tags` go for a kind: top level for tracked resources, `properties.tags` for asset
/// versions (proxy resources with tags of their own).
pub(crate) fn tags_path(kind: &KindSchema) -> &'static str {
    if is_asset(kind.kind) {
        "properties.tags"
    } else {
        "tags"
    }
}

/// Environment, data and model versions: proxy resources, versioned and immutable.
pub(crate) fn is_asset(kind: &str) -> bool {
    matches!(kind, "environment" | "data_asset" | "model")
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
        let path = tags_path(kind);
        put(
            out,
            path,
            convert(ctx, &meta::TAGS.ty, "tags", &attr.value, Some(attr.span)),
        );
        if attr.sensitive {
            sensitive.push(path.to_string());
        }
    }
}

/// The path table of a block: where each attribute and nested block lands (blocks the kind
/// lowers itself and the attributes in `skip` left out).
pub(crate) fn paths(
    schema: &BlockSchema,
    skip: &[&str],
    attr_prefix: &str,
    path_prefix: &str,
    out: &mut Vec<AttrPath>,
) {
    for attr in schema.attrs {
        if attr.arm_path.is_empty() || skip.contains(&attr.name) {
            continue;
        }
        out.push(AttrPath {
            attr: join(attr_prefix, attr.name),
            path: join(path_prefix, attr.arm_path),
            create_only: attr.create_only,
        });
    }
    for block in schema.blocks {
        if block.arm_path.is_empty() || skip.contains(&block.name) {
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
            path: tags_path(kind).into(),
            create_only: false,
        });
    }
    paths(&kind.body, skip, "", "", &mut out);
    out
}
