//! `component`: one version of a reusable pipeline step (`workspaces/components/versions`, or
//! `registries/components/versions` with `registry`), from an Azure ML CLI v2 component YAML
//! file (`file`) or written inline (`command`, `input`/`output` blocks, `code`,
//! `environment`). Versioned and immutable like the other assets.
//!
//! Everything about the kind is here: its attributes, its lowering (the ARM body is the
//! component's spec, `properties.componentSpec`, as `az ml component create` sends it: the
//! YAML document as JSON, with the asset's name and version), the version read from the YAML
//! when the block has none, and its checks, which point into the YAML file at the line and
//! column of the fault (the file is read into the run's sources by `check::documents`):
//! every `${{inputs.X}}` / `${{outputs.Y}}` of the command names a declared input or output
//! (E0732), input and output types are Azure ML's (E0733), the environment is a block
//! reference, `azureml:NAME:VERSION`, `azureml:NAME@latest` or an asset ID (E0731).
//!
//! Sources: `ComponentVersionProperties` (bicep-types-az 2025-09-01: `componentSpec` any,
//! `description`, `tags`, `properties`, `isArchived`, `isAnonymous`); the CLI v2 command
//! component schema (`commandComponent.schema.json`: `name`, `version`, `display_name`,
//! `type: command`, `inputs`, `outputs`, `command`, `code`, `environment`).
//!
//! `code` (inline, relative to the manifest, or the YAML's, relative to the YAML file) is a
//! local directory or an `azureml:` URI. A directory goes through `arm::lower::code_asset` as
//! deployments' scoring code does: a code version named by its content hash
//! (`ADDRESS.code`, asset name the component's), uploaded before it is registered, and the
//! spec's `code` is `azureml:` and the version's ID, as `az ml component create` sends it. A
//! component in a registry keeps a local path as written (registry code uploads are not
//! wired in).

use serde_json::{Map, Value as Json, json};

use super::{
    AttrSchema, AttrType, BlockSchema, EnumValue, IdTemplate, KindBehavior, KindSchema, LoweredAt,
    NestedSchema,
};
use crate::arm::Desired;
use crate::arm::lower::{Ctx, body, code_asset, complete, present, start};
use crate::azure::names::NameRule;
use crate::check::rules::RuleCtx;
use crate::diagnostic::Diagnostics;
use crate::diagnostics::constraints;
use crate::lang::value::Value;
use crate::model::{Attr, Resource};
use crate::source::{FileId, Sources, Span};

const SPEC: &str = "properties.componentSpec";
const SCHEMA_URL: &str = "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json";
static IN_SPEC: &[LoweredAt] = &[LoweredAt::own(SPEC)];
static INPUTS: &[LoweredAt] = &[LoweredAt::own("properties.componentSpec.inputs")];
static OUTPUTS: &[LoweredAt] = &[LoweredAt::own("properties.componentSpec.outputs")];

/// The input types of Azure ML components.
pub const INPUT_TYPES: &[&str] = &[
    "uri_file",
    "uri_folder",
    "mltable",
    "mlflow_model",
    "custom_model",
    "triton_model",
    "string",
    "number",
    "integer",
    "boolean",
];
/// The output types (assets a step can write).
pub const OUTPUT_TYPES: &[&str] = &[
    "uri_file",
    "uri_folder",
    "mltable",
    "mlflow_model",
    "custom_model",
    "triton_model",
];

static INPUT_ENUM: &[EnumValue] = &[
    EnumValue::new("uri_file", "uri_file"),
    EnumValue::new("uri_folder", "uri_folder"),
    EnumValue::new("mltable", "mltable"),
    EnumValue::new("mlflow_model", "mlflow_model"),
    EnumValue::new("custom_model", "custom_model"),
    EnumValue::new("triton_model", "triton_model"),
    EnumValue::new("string", "string"),
    EnumValue::new("number", "number"),
    EnumValue::new("integer", "integer"),
    EnumValue::new("boolean", "boolean"),
];
static OUTPUT_ENUM: &[EnumValue] = &[
    EnumValue::new("uri_file", "uri_file"),
    EnumValue::new("uri_folder", "uri_folder"),
    EnumValue::new("mltable", "mltable"),
    EnumValue::new("mlflow_model", "mlflow_model"),
    EnumValue::new("custom_model", "custom_model"),
    EnumValue::new("triton_model", "triton_model"),
];
static COMPONENT_TYPES: &[EnumValue] = &[EnumValue::new("command", "command")];

static INPUT: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new("type", AttrType::Enum(INPUT_ENUM), "", "The input's type.")
            .required()
            .lowered_at(INPUTS),
        AttrSchema::new(
            "default",
            AttrType::Any,
            "",
            "The value used when the pipeline gives none.",
        )
        .lowered_at(INPUTS),
        AttrSchema::new(
            "optional",
            AttrType::Bool,
            "",
            "Whether the step runs without it.",
        )
        .lowered_at(INPUTS),
        AttrSchema::new("description", AttrType::String, "", "What the input is.")
            .lowered_at(INPUTS),
    ],
    blocks: &[],
};

static OUTPUT: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "type",
            AttrType::Enum(OUTPUT_ENUM),
            "",
            "The output's type.",
        )
        .required()
        .lowered_at(OUTPUTS),
        AttrSchema::new("description", AttrType::String, "", "What the output is.")
            .lowered_at(OUTPUTS),
    ],
    blocks: &[],
};

/// The attributes that write the component inline (and so exclude `file`).
const INLINE: &[&str] = &[
    "type",
    "display_name",
    "command",
    "code",
    "environment",
    "input",
    "output",
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "component",
    arm_type: "Microsoft.MachineLearningServices/workspaces/components/versions",
    api_version: "2025-12-01",
    name_rule: NameRule::Asset,
    has_tags: true,
    tags_path: "properties.tags",
    has_location: false,
    doc: "One immutable version of a pipeline component: a command step with typed inputs and outputs, from a CLI v2 component YAML file or written inline.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the component is registered in.",
            )
            .create_only(),
            // Part of the resource ID, in place of `workspace`.
            AttrSchema::new(
                "registry",
                AttrType::Ref(&["registry"]),
                "",
                "The registry the component lives in instead of a workspace.",
            )
            .create_only(),
            // Part of the resource ID.
            AttrSchema::new(
                "version",
                AttrType::String,
                "",
                "The version string (with `file`, the YAML's `version` when absent).",
            )
            .create_only(),
            AttrSchema::new(
                "file",
                AttrType::FilePath,
                "",
                "An Azure ML CLI v2 component YAML file, in place of the inline attributes.",
            )
            .create_only()
            .lowered_at(IN_SPEC),
            AttrSchema::new(
                "type",
                AttrType::Enum(COMPONENT_TYPES),
                "",
                "The component type: `command`.",
            )
            .create_only()
            .lowered_at(&[LoweredAt::own("properties.componentSpec.type")]),
            AttrSchema::new(
                "display_name",
                AttrType::String,
                "",
                "The name shown in the studio.",
            )
            .create_only()
            .lowered_at(&[LoweredAt::own("properties.componentSpec.display_name")]),
            AttrSchema::new(
                "command",
                AttrType::String,
                "",
                "The command the step runs; `${{inputs.X}}` and `${{outputs.Y}}` (written `$${{...}}` in HCL) name its inputs and outputs.",
            )
            .create_only()
            .lowered_at(&[LoweredAt::own("properties.componentSpec.command")]),
            AttrSchema::new(
                "code",
                AttrType::String,
                "",
                "The step's code: a local directory (uploaded as a code asset) or an `azureml:` URI.",
            )
            .create_only()
            .lowered_at(&[LoweredAt::own("properties.componentSpec.code")]),
            AttrSchema::new(
                "environment",
                AttrType::Any,
                "",
                "The environment it runs in: an `environment` block, `\"azureml:NAME:VERSION\"` or `\"azureml:NAME@latest\"`.",
            )
            .create_only()
            .lowered_at(&[LoweredAt::own("properties.componentSpec.environment")]),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of this version.",
            ),
        ],
        blocks: &[
            NestedSchema {
                name: "input",
                labels: 1,
                min: 0,
                max: None,
                body: &INPUT,
                arm_path: "",
                create_only: true,
                doc: "An input of the step, by name.",
            },
            NestedSchema {
                name: "output",
                labels: 1,
                min: 0,
                max: None,
                body: &OUTPUT,
                arm_path: "",
                create_only: true,
                doc: "An output of the step, by name.",
            },
        ],
    },
    exports: &[],
    id: IdTemplate::VersionedAsset {
        parent: "workspace",
        version: "version",
        registry: Some("registry"),
        version_from: Some(version_from_file),
    },
    behavior: KindBehavior::VERSIONED_ASSET,
    semantics: &super::arm_types::COMPONENT_VERSION,
    constants: &[],
    lower: Some(lower),
    children: &[super::code_asset::CODE_VERSION],
    role_scope: false,
    checks: &[super::registry::check_asset_home, check],
    cost: Some(cost),
    review: &[],
};

// ---- the YAML document, with positions ----------------------------------------------------

/// A YAML node with the byte offset where it starts in its file.
#[derive(Debug, Clone)]
pub enum Node {
    Map(Vec<(String, usize, Node)>, usize),
    Seq(Vec<Node>, usize),
    Scalar(String, usize),
}

impl Node {
    pub fn start(&self) -> usize {
        match self {
            Node::Map(_, s) | Node::Seq(_, s) | Node::Scalar(_, s) => *s,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries, _) => entries.iter().find(|(k, _, _)| k == key).map(|e| &e.2),
            _ => None,
        }
    }

    /// The entries of a mapping, with each key's offset.
    pub fn entries(&self) -> &[(String, usize, Node)] {
        match self {
            Node::Map(entries, _) => entries,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(s, _) => Some(s),
            _ => None,
        }
    }
}

#[derive(Default)]
struct Builder {
    /// Open collections: a mapping's entries (with a pending key) or a sequence's items.
    stack: Vec<Open>,
    done: Option<Node>,
}

enum Open {
    Map(Vec<(String, usize, Node)>, Option<(String, usize)>, usize),
    Seq(Vec<Node>, usize),
}

impl Builder {
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.done.is_none() {
                    self.done = Some(node);
                }
            }
            Some(Open::Seq(items, _)) => items.push(node),
            Some(Open::Map(entries, pending, _)) => match pending.take() {
                Some((key, at)) => entries.push((key, at, node)),
                // A key: scalar keys only (a complex key is kept as its text, if any).
                None => {
                    let key = match &node {
                        Node::Scalar(s, _) => s.clone(),
                        _ => String::new(),
                    };
                    *pending = Some((key, node.start()));
                }
            },
        }
    }
}

impl yaml_rust2::parser::MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::Event;
        let at = mark.index();
        match ev {
            Event::Scalar(text, ..) => self.push(Node::Scalar(text, at)),
            Event::SequenceStart(..) => self.stack.push(Open::Seq(Vec::new(), at)),
            Event::MappingStart(..) => self.stack.push(Open::Map(Vec::new(), None, at)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::Seq(items, s)) => Node::Seq(items, s),
                    Some(Open::Map(entries, _, s)) => Node::Map(entries, s),
                    None => return,
                };
                self.push(node);
            }
            Event::Alias(_) => self.push(Node::Scalar(String::new(), at)),
            _ => {}
        }
    }
}

/// The first document of `text` with positions, or where and why it does not parse.
pub fn parse(text: &str) -> Result<Node, (usize, String)> {
    let mut builder = Builder::default();
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    parser
        .load(&mut builder, false)
        .map_err(|e| (e.marker().index(), e.info().to_string()))?;
    Ok(builder.done.unwrap_or(Node::Map(Vec::new(), 0)))
}

/// The text of the YAML file `attr` names: from the run's sources (where the checker read
/// it), else from the file system.
fn document_text(sources: &Sources, attr: &Attr) -> Option<(Option<FileId>, String)> {
    let path = attr.value.as_str()?;
    let (full, _) = crate::check::documents::resolve(sources, attr.span, path);
    match sources.find(&full) {
        Some(id) => Some((Some(id), sources.get(id).text.clone())),
        None => crate::fs::current()
            .read_to_string(&full)
            .ok()
            .map(|t| (None, t)),
    }
}

/// The version of a component from its YAML file (`version`), for its ID.
fn version_from_file(r: &Resource, sources: &Sources) -> Option<String> {
    let attr = present(&r.body, "file")?;
    let (_, text) = document_text(sources, attr)?;
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).ok()?;
    match doc.get("version")? {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

// ---- checks ---------------------------------------------------------------------------------

/// Where a check points: into the YAML file (by byte offsets) or at an HCL span.
struct Site<'a> {
    file: Option<FileId>,
    text: &'a str,
    fallback: Span,
}

impl Site<'_> {
    /// The span of `len` bytes at `at` in the file, else the HCL attribute.
    fn span(&self, at: usize, len: usize) -> Span {
        match self.file {
            Some(file) => Span::new(file, at..(at + len).min(self.text.len())),
            None => self.fallback,
        }
    }

    /// The span of the first `needle` at or after `from` (a placeholder inside a scalar),
    /// else of the node's first byte.
    fn find(&self, from: usize, needle: &str) -> Span {
        let found = self
            .text
            .get(from..)
            .and_then(|rest| rest.find(needle))
            .map(|i| from + i);
        match found {
            Some(at) => self.span(at, needle.len()),
            None => self.span(from, 1),
        }
    }
}

/// `${{inputs.X}}` and `${{outputs.Y}}` placeholders of a command: (`inputs`|`outputs`, name).
pub fn placeholders(command: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = command;
    while let Some(i) = rest.find("${{") {
        rest = &rest[i + 3..];
        let Some(end) = rest.find("}}") else {
            break;
        };
        let inner = rest[..end].trim();
        if let Some((scope, name)) = inner.split_once('.')
            && matches!(scope, "inputs" | "outputs")
        {
            out.push((scope, name.trim()));
        }
        rest = &rest[end + 2..];
    }
    out
}

/// A well-formed environment reference string: `azureml:NAME:VERSION`, `azureml:NAME@latest`
/// or an asset ID (`azureml:/subscriptions/...`, `azureml://registries/...`).
pub fn environment_reference_ok(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("azureml:") else {
        return false;
    };
    if rest.starts_with('/') {
        return rest.len() > 2;
    }
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    };
    match (rest.split_once('@'), rest.split_once(':')) {
        (Some((name, "latest")), None) => name_ok(name),
        (None, Some((name, version))) => name_ok(name) && name_ok(version),
        _ => false,
    }
}

fn check(r: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let inline: Vec<&str> = INLINE
        .iter()
        .copied()
        .filter(|n| r.body.attr(n).is_some() || r.body.block(n).is_some())
        .collect();
    match r.body.attr("file") {
        Some(file) => {
            if let Some(first) = inline.first() {
                diags.push(constraints::component_file_and_inline(
                    &r.address, first, file.span,
                ));
                return;
            }
            check_file(r, file, ctx, diags);
        }
        None => {
            if r.body.attr("command").is_none() {
                diags.push(constraints::component_without_command(
                    &r.address,
                    r.header_span(),
                ));
            }
            if r.body.attr("version").is_none() {
                diags.push(constraints::component_without_version(
                    &r.address,
                    r.header_span(),
                ));
            }
            check_inline(r, ctx, diags);
        }
    }
}

fn check_inline(r: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    if let Some(env) = r.body.attr("environment") {
        match &env.value {
            Value::Ref(reference) => {
                let is_env = ctx
                    .resource(&reference.address)
                    .is_some_and(|x| std::ptr::eq(x.schema, &super::environment::SCHEMA));
                if !is_env || !reference.attr.is_empty() {
                    diags.push(constraints::component_environment_malformed(None, env.span));
                }
            }
            Value::String(text) if !environment_reference_ok(text) => {
                let shown = (!env.sensitive).then_some(text.as_str());
                diags.push(constraints::component_environment_malformed(
                    shown, env.span,
                ));
            }
            _ => {}
        }
    }
    let Some(command) = r.body.attr("command") else {
        return;
    };
    let Some(text) = command.value.as_str() else {
        return;
    };
    let inputs: Vec<&str> = r.body.blocks("input").filter_map(|b| b.label()).collect();
    let outputs: Vec<&str> = r.body.blocks("output").filter_map(|b| b.label()).collect();
    let source = ctx.source_text(command.span.file);
    let site = Site {
        file: Some(command.span.file),
        text: source,
        fallback: command.span,
    };
    for (scope, name) in placeholders(text) {
        let declared = if scope == "inputs" { &inputs } else { &outputs };
        if declared.contains(&name) {
            continue;
        }
        let needle = format!("{scope}.{name}");
        let span = {
            let s = site.find(command.span.start as usize, &needle);
            if s.start >= command.span.start && s.end <= command.span.end {
                s
            } else {
                command.span
            }
        };
        let shown = (!command.sensitive).then_some(name);
        diags.push(constraints::undeclared_placeholder(
            scope, shown, declared, span,
        ));
    }
}

fn check_file(r: &Resource, file: &Attr, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some((id, text)) = ctx.document(file) else {
        // Unreadable or not YAML: the file-path check says so.
        return;
    };
    let site = Site {
        file: Some(id),
        text,
        fallback: file.span,
    };
    let doc = match parse(text) {
        Ok(doc) => doc,
        Err((at, why)) => {
            diags.push(constraints::component_yaml_invalid(&why, site.span(at, 1)));
            return;
        }
    };
    if !matches!(doc, Node::Map(..)) {
        diags.push(constraints::component_yaml_invalid(
            "the document is not a mapping",
            site.span(doc.start(), 1),
        ));
        return;
    }
    if r.body.attr("version").is_none() && doc.get("version").and_then(Node::as_str).is_none() {
        diags.push(constraints::component_without_version(
            &r.address, file.span,
        ));
    }
    let mut declared: [(&str, Vec<&str>); 2] = [("inputs", Vec::new()), ("outputs", Vec::new())];
    for (scope, names) in &mut declared {
        let allowed = if *scope == "inputs" {
            INPUT_TYPES
        } else {
            OUTPUT_TYPES
        };
        for (name, _, spec) in doc.get(scope).map_or(&[][..], Node::entries) {
            names.push(name);
            if let Some(ty) = spec.get("type")
                && let Some(t) = ty.as_str()
                && !allowed.contains(&t)
            {
                diags.push(constraints::component_type_not_allowed(
                    scope,
                    name,
                    t,
                    allowed,
                    site.span(ty.start(), t.len()),
                ));
            }
        }
    }
    if let Some(env) = doc.get("environment")
        && let Some(text) = env.as_str()
        && !environment_reference_ok(text)
    {
        diags.push(constraints::component_environment_malformed(
            Some(text),
            site.span(env.start(), text.len()),
        ));
    }
    let Some(command) = doc.get("command") else {
        return;
    };
    let Some(cmd) = command.as_str() else {
        return;
    };
    for (scope, name) in placeholders(cmd) {
        let names = &declared[usize::from(scope == "outputs")].1;
        if names.contains(&name) {
            continue;
        }
        let span = site.find(command.start(), &format!("{scope}.{name}"));
        diags.push(constraints::undeclared_placeholder(
            scope,
            Some(name),
            names,
            span,
        ));
    }
}

// ---- lowering -------------------------------------------------------------------------------

/// The body: description and tags from the tables, and the spec (the YAML document, or the
/// inline attributes as the CLI v2 schema writes them) with the asset's name and version.
fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, &[]);
    let mut out = std::mem::take(&mut d.body);
    let version =
        d.id.rsplit('/')
            .next()
            .map(str::to_string)
            .unwrap_or_default();
    let mut spec = match present(&r.body, "file") {
        Some(file) => document_text(ctx.sources, file)
            .and_then(|(_, text)| serde_yaml_ng::from_str::<Json>(&text).ok())
            .filter(Json::is_object)
            .unwrap_or_else(|| json!({})),
        None => inline_spec(ctx, r),
    };
    if let Some(map) = spec.as_object_mut() {
        map.insert("name".into(), Json::String(r.name.clone()));
        map.insert("version".into(), Json::String(version));
    }
    body::put(&mut out, SPEC, spec);
    d.body = out;
    let code = code_entry(ctx, r, &mut d);
    if INLINE
        .iter()
        .chain(["file"].iter())
        .any(|n| present(&r.body, n).is_some_and(|a| a.sensitive))
    {
        d.sensitive.push(SPEC.into());
    }
    let table = body::kind_paths(r.schema, &[]);
    complete(&mut d, r, &table);
    let mut entries = vec![d];
    entries.extend(code);
    entries
}

/// Where a code reference is a URI already (sent as written), not a local directory.
fn is_uri(code: &str) -> bool {
    code.starts_with("azureml:") || code.contains("://")
}

/// The component's local `code` directory as its code version entry (see the module
/// documentation), the spec pointing at it; `None` without one.
fn code_entry(ctx: &Ctx<'_>, r: &Resource, d: &mut Desired) -> Option<Desired> {
    if present(&r.body, "registry").is_some() {
        return None;
    }
    let workspace = r.parent_address()?;
    let code = match present(&r.body, "file") {
        Some(file) => {
            let written = file.value.as_str()?;
            let (yaml, _) = crate::check::documents::resolve(ctx.sources, file.span, written);
            let (id, text) = document_text(ctx.sources, file)?;
            let doc = parse(&text).ok()?;
            let node = doc.get("code")?;
            let rel = node.as_str()?;
            let span = match id {
                Some(id) => Span::new(id, node.start()..node.start() + rel.len()),
                None => file.span,
            };
            (!is_uri(rel)).then(|| code_asset::CodeDir {
                dir: yaml.parent().unwrap_or(std::path::Path::new("")).join(rel),
                span,
            })?
        }
        None => {
            let attr = present(&r.body, "code")?;
            let rel = attr.value.as_str().filter(|c| !is_uri(c))?;
            code_asset::CodeDir {
                dir: crate::check::documents::resolve(ctx.sources, attr.span, rel).0,
                span: attr.key_span.to(attr.span),
            }
        }
    };
    let workspace_id = ctx.id(workspace);
    let asset = code_asset::CodeAsset {
        workspace_id: &workspace_id,
        after: Some(workspace),
        name: &r.name,
        code_id_path: "properties.componentSpec.code",
        id_prefix: "azureml:",
    };
    code_asset::attach_dir(ctx, r, &code, d, &asset)
}

fn inline_spec(ctx: &Ctx<'_>, r: &Resource) -> Json {
    let mut spec = Map::new();
    spec.insert("$schema".into(), json!(SCHEMA_URL));
    spec.insert(
        "type".into(),
        json!(r.body.str("type").unwrap_or("command")),
    );
    for (attr, key) in [
        ("display_name", "display_name"),
        ("command", "command"),
        ("code", "code"),
    ] {
        if let Some(a) = present(&r.body, attr) {
            spec.insert(key.into(), ctx.json(&a.value));
        }
    }
    if let Some(env) = present(&r.body, "environment") {
        let value = match &env.value {
            // An environment version by its asset ID, as `az ml` writes a reference.
            Value::Ref(_) => Json::String(format!("azureml:{}", ctx.text(&env.value))),
            other => ctx.json(other),
        };
        spec.insert("environment".into(), value);
    }
    for (block, key) in [("input", "inputs"), ("output", "outputs")] {
        let mut ports = Map::new();
        for b in r.body.blocks(block) {
            let Some(label) = b.label() else {
                continue;
            };
            let mut port = Map::new();
            for name in ["type", "default", "optional", "description"] {
                if let Some(a) = present(&b.body, name) {
                    port.insert(name.into(), ctx.json(&a.value));
                }
            }
            ports.insert(label.to_string(), Json::Object(port));
        }
        if !ports.is_empty() {
            spec.insert(key.into(), Json::Object(ports));
        }
    }
    Json::Object(spec)
}

/// The kind's cost model: a component version costs nothing of its own.
fn cost(_: &Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free(
        "a component version is a registration; its runs are billed on their compute".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::{Node, environment_reference_ok, parse, placeholders};

    #[test]
    fn placeholders_are_found_in_a_command() {
        assert_eq!(
            placeholders("python a.py --in ${{inputs.data}} --out ${{ outputs.model }} ${{x}}"),
            [("inputs", "data"), ("outputs", "model")]
        );
        assert!(placeholders("python a.py ${{inputs.unclosed").is_empty());
    }

    #[test]
    fn environment_references_have_one_of_the_cli_forms() {
        for ok in [
            "azureml:train:3",
            "azureml:train@latest",
            "azureml:/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w/environments/e/versions/1",
            "azureml://registries/azureml/environments/sklearn-1.5/versions/1",
        ] {
            assert!(environment_reference_ok(ok), "{ok}");
        }
        for bad in [
            "train:3",
            "azureml:train",
            "azureml:train@3",
            "azureml:@latest",
        ] {
            assert!(!environment_reference_ok(bad), "{bad}");
        }
    }

    #[test]
    fn yaml_nodes_know_where_they_start() {
        let text = "name: prep\ninputs:\n  raw:\n    type: uri_folder\ncommand: >-\n  python prep.py ${{inputs.raw}}\n";
        let doc = parse(text).expect("parses");
        let ty = doc
            .get("inputs")
            .and_then(|i| i.get("raw"))
            .and_then(|r| r.get("type"))
            .expect("type");
        assert_eq!(&text[ty.start()..ty.start() + 10], "uri_folder");
        assert!(matches!(doc.get("command"), Some(Node::Scalar(..))));
        assert!(parse("a: [1,").is_err());
    }
}
