//! Checking an evaluated body against a schema table: unknown and missing attributes and
//! blocks, value types, enums, durations, ARM IDs, GUIDs, VM sizes and roles.
//!
//! Unknown values (known only after apply) are skipped: they are checked when they are known.

use std::path::Path;

use crate::azure::{arm_id, roles, vm_sizes};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean, similar_names};
use crate::diagnostics::{constraints, load, references, structure, values};
use crate::lang::duration;
use crate::lang::value::Value;
use crate::model::{Attr, Block, Body};
use crate::schema::{self, AttrSchema, AttrType, BlockSchema, EnumValue, KindSchema, meta};
use crate::sensitive;
use crate::source::{Sources, Span};

/// What a body is being checked as, for messages and for the meta attributes it accepts.
#[derive(Clone, Copy)]
pub enum Context<'k> {
    /// The top-level body of a resource block.
    Resource(&'k KindSchema),
    /// A nested block or a settings block.
    Block(&'k str),
}

pub struct SchemaChecker<'a> {
    pub sources: &'a Sources,
    pub diags: &'a mut Diagnostics,
}

impl SchemaChecker<'_> {
    /// Checks `body` (of the block whose header is at `header`) against `schema`.
    pub fn check_body(
        &mut self,
        body: &Body,
        schema: &BlockSchema,
        context: Context,
        header: Span,
    ) {
        let allowed_attr = |name: &str| -> bool {
            schema.attr(name).is_some()
                || match context {
                    Context::Resource(kind) => {
                        meta::is_meta_attr(name)
                            || (name == "tags" && kind.has_tags)
                            || (name == "location" && kind.has_location)
                    }
                    Context::Block(_) => false,
                }
        };
        for attr in body.attrs.values() {
            if !allowed_attr(&attr.name) {
                self.unknown_attribute(attr, schema, context);
                continue;
            }
            let attr_schema = schema.attr(&attr.name).or_else(|| match context {
                Context::Resource(_) => meta_schema(&attr.name),
                Context::Block(_) => None,
            });
            if let Some(s) = attr_schema {
                self.check_value(&attr.value, &s.ty, attr, s);
            }
            if attr.sensitive && becomes_part_of_arm_ids(context, &attr.name) {
                self.diags
                    .push(crate::diagnostics::values::sensitive_in_arm_id(
                        &attr.name,
                        attr.key_span,
                    ));
            }
        }
        for s in schema.attrs.iter().filter(|a| a.required) {
            if !body.attrs.contains_key(s.name) {
                let what = match context {
                    Context::Resource(kind) => {
                        format!("{} {} block", article(kind.kind), kind.kind)
                    }
                    Context::Block(b) => format!("{} `{b}` block", article(b)),
                };
                self.diags
                    .push(structure::missing_attribute(&what, s.name, s.doc, header));
            }
        }
        for block in &body.blocks {
            let nested = schema.block(&block.kind).or(match context {
                Context::Resource(_) if block.kind == "lifecycle" => Some(&meta::LIFECYCLE),
                _ => None,
            });
            let Some(nested) = nested else {
                let mut candidates: Vec<&str> = schema.blocks.iter().map(|b| b.name).collect();
                if matches!(context, Context::Resource(_)) {
                    candidates.push("lifecycle");
                }
                let help = did_you_mean(&block.kind, candidates.iter().copied()).or_else(|| {
                    if schema.attr(&block.kind).is_some() {
                        Some(format!(
                            "`{}` is an attribute: write `{} = ...`",
                            block.kind, block.kind
                        ))
                    } else if !candidates.is_empty() {
                        Some(format!(
                            "the blocks allowed here are: {}",
                            candidates.join(", ")
                        ))
                    } else {
                        None
                    }
                });
                self.diags.push(structure::unknown_nested_block(
                    &block.kind,
                    &context_suffix(context),
                    block.span,
                    help,
                ));
                continue;
            };
            if block.labels.len() != nested.labels {
                let at = block
                    .labels
                    .get(nested.labels)
                    .map_or(block.span, |(_, s)| *s);
                self.diags.push(structure::nested_block_label_count(
                    &block.kind,
                    nested.labels,
                    block.labels.len(),
                    at,
                ));
                continue;
            }
            self.check_body(
                &block.body,
                nested.body,
                Context::Block(nested.name),
                block.header_span(),
            );
        }
        for nested in schema.blocks {
            let found: Vec<&Block> = body.blocks(nested.name).collect();
            if (found.len() as u32) < nested.min {
                self.diags.push(structure::block_required(
                    nested.name,
                    &context_suffix(context),
                    header,
                    nested.doc,
                ));
            }
            if let Some(max) = nested.max
                && found.len() as u32 > max
            {
                let extra = found[max as usize];
                self.diags.push(structure::too_many_blocks(
                    nested.name,
                    max,
                    &context_suffix(context),
                    extra.span,
                    found[0].span,
                ));
            }
            if nested.labels == 1 {
                let mut seen: Vec<(&str, Span)> = Vec::new();
                for b in &found {
                    let Some((label, span)) = b.labels.first() else {
                        continue;
                    };
                    if let Some((_, first)) = seen.iter().find(|(l, _)| l == label) {
                        self.diags.push(structure::duplicate_nested_block(
                            nested.name,
                            label,
                            *span,
                            *first,
                        ));
                    } else {
                        seen.push((label, *span));
                    }
                }
            }
        }
    }

    fn unknown_attribute(&mut self, attr: &Attr, schema: &BlockSchema, context: Context) {
        let mut candidates: Vec<&str> = schema.attrs.iter().map(|a| a.name).collect();
        if let Context::Resource(kind) = context {
            candidates.extend(meta::META_ATTRS.iter().map(|a| a.name));
            if kind.has_tags {
                candidates.push("tags");
            }
            if kind.has_location {
                candidates.push("location");
            }
        }
        let help = did_you_mean(&attr.name, candidates.iter().copied()).or_else(|| {
            if schema.block(&attr.name).is_some() {
                Some(format!(
                    "`{}` is a block: write `{} {{ ... }}`",
                    attr.name, attr.name
                ))
            } else if let Context::Resource(kind) = context
                && attr.name == "tags"
                && !kind.has_tags
            {
                Some(format!("ARM has no tags on {} resources", kind.kind))
            } else {
                None
            }
        });
        self.diags.push(structure::unknown_attribute(
            &attr.name,
            &context_suffix(context),
            attr.key_span,
            help,
        ));
    }

    fn check_value(&mut self, value: &Value, ty: &AttrType, attr: &Attr, s: &AttrSchema) {
        if let Some(d) = self.value_error(value, ty, attr, s) {
            // A sensitive value is never quoted, nor described by the closest valid ones.
            let d = if attr.sensitive || s.sensitive {
                let mut d = sensitive::hide(d, value);
                if d.help
                    .as_deref()
                    .is_some_and(|h| h.starts_with("did you mean"))
                {
                    d.help = None;
                }
                values::without_parser_detail(d, &attr.name)
            } else {
                d
            };
            self.diags.push(d);
        }
    }

    fn value_error(
        &mut self,
        value: &Value,
        ty: &AttrType,
        attr: &Attr,
        s: &AttrSchema,
    ) -> Option<Diagnostic> {
        let span = attr.span;
        if matches!(value, Value::Unknown) || value.is_null() && !s.required {
            return None;
        }
        let wrong = |expected: &str| -> Diagnostic {
            let got = match value {
                Value::Ref(r) => format!("a reference to `{r}`"),
                v => format!("{} {}", article(v.type_name()), v.type_name()),
            };
            values::wrong_type(&attr.name, expected, &got, span)
        };
        // A reference to an attribute is known only after apply, except that it must not be
        // given where a whole resource is expected.
        if let Value::Ref(r) = value
            && !r.attr.is_empty()
        {
            return match ty {
                AttrType::Ref(_) => Some(values::attribute_where_resource_expected(
                    wrong(&ty.describe()),
                    &r.address,
                )),
                _ => None,
            };
        }
        match ty {
            AttrType::Any => None,
            AttrType::String => match value {
                Value::String(_) | Value::Number(_) | Value::Bool(_) => None,
                _ => Some(wrong("a string")),
            },
            AttrType::Bool => match value {
                Value::Bool(_) => None,
                Value::String(t) if t == "true" || t == "false" => None,
                _ => Some(wrong("a bool (true or false)")),
            },
            AttrType::Number | AttrType::Integer { .. } => {
                let n = match value {
                    Value::Number(n) => n.clone(),
                    Value::String(t) if crate::lang::types::parse_number(t).is_some() => {
                        crate::lang::types::parse_number(t).unwrap_or_default()
                    }
                    _ => {
                        return Some(wrong(if matches!(ty, AttrType::Number) {
                            "a number"
                        } else {
                            "a whole number"
                        }));
                    }
                };
                if let AttrType::Integer { min, max } = ty {
                    if !n.is_integer() {
                        return Some(wrong("a whole number"));
                    }
                    let outside = match n.to_i64() {
                        Some(i) => min.is_some_and(|m| i < m) || max.is_some_and(|m| i > m),
                        // Beyond 64 bits: outside any bound there is.
                        None => min.is_some() || max.is_some(),
                    };
                    if outside {
                        return Some(values::out_of_range(
                            &attr.name,
                            &format!("is {n}, {}", range_text(*min, *max)),
                            s.doc,
                            span,
                        ));
                    }
                }
                None
            }
            AttrType::Duration { min_secs, max_secs } => {
                let Value::String(text) = value else {
                    return Some(wrong("a duration string such as \"30m\""));
                };
                match duration::parse_duration(text) {
                    Err(e) => Some(values::invalid_duration(&attr.name, &e.to_string(), span)),
                    Ok(d) => {
                        let secs = d.as_secs();
                        let low = min_secs.is_some_and(|m| secs < m);
                        let high = max_secs
                            .is_some_and(|m| secs > m || (secs == m && d.subsec_nanos() > 0));
                        if low || high {
                            let bound = |b: Option<u64>| {
                                b.map(|b| duration::format_human(std::time::Duration::from_secs(b)))
                            };
                            let text = match (bound(*min_secs), bound(*max_secs)) {
                                (Some(a), Some(b)) => format!("must be between {a} and {b}"),
                                (Some(a), None) => format!("must be at least {a}"),
                                (None, Some(b)) => format!("must be at most {b}"),
                                (None, None) => String::new(),
                            };
                            Some(values::out_of_range(
                                &attr.name,
                                &format!("{text}, got {}", text_of(value)),
                                s.doc,
                                span,
                            ))
                        } else {
                            None
                        }
                    }
                }
            }
            AttrType::Enum(values) => {
                let Value::String(text) = value else {
                    return Some(wrong(&format!("one of {}", ty.describe())));
                };
                enum_error(text, values, &attr.name, span)
            }
            AttrType::Ref(kinds) => match value {
                Value::Ref(r) => kind_error(r.kind.as_str(), &r.address, kinds, &attr.name, span),
                Value::String(_) => Some(values::string_where_reference_expected(
                    wrong(&ty.describe()),
                    &attr.name,
                    kinds[0],
                )),
                _ => Some(wrong(&ty.describe())),
            },
            AttrType::RoleScope => match value {
                Value::Ref(r) => kind_error(
                    r.kind.as_str(),
                    &r.address,
                    schema::role_scope_kinds(),
                    &attr.name,
                    span,
                ),
                Value::String(text) => arm_id_error(text, &[], &attr.name, span),
                _ => Some(wrong(&ty.describe())),
            },
            AttrType::RefOrArmId { kinds, arm_types } => match value {
                Value::Ref(r) => kind_error(r.kind.as_str(), &r.address, kinds, &attr.name, span),
                // Assets may also be named the way `az ml` does: `azureml:NAME:VERSION`,
                // `azureml:NAME@latest` or a registry URI (curated environments).
                Value::String(text) if asset_kinds(kinds) && text.starts_with("azureml:") => {
                    azureml_asset_error(text, &attr.name, span)
                }
                Value::String(text) => arm_id_error(text, arm_types, &attr.name, span),
                _ => Some(wrong(&ty.describe())),
            },
            AttrType::ArmId(arm_types) => match value {
                Value::String(text) => arm_id_error(text, arm_types, &attr.name, span),
                Value::Ref(r) => {
                    let ok = schema::kind(&r.kind).is_some_and(|k| {
                        arm_types.is_empty()
                            || arm_types.iter().any(|t| t.eq_ignore_ascii_case(k.arm_type))
                    });
                    (!ok).then(|| wrong(&format!("an ARM ID of a {}", arm_types.join(" or "))))
                }
                _ => Some(wrong("an ARM resource ID string")),
            },
            AttrType::Guid => match value {
                Value::String(text) if arm_id::is_guid(text) => None,
                Value::String(text) => {
                    Some(values::invalid_guid(&attr.name, &format!("{text:?}"), span))
                }
                _ => Some(wrong("a GUID string")),
            },
            AttrType::FilePath | AttrType::DirPath => {
                let Value::String(text) = value else {
                    return Some(wrong("a path string"));
                };
                let base = self
                    .sources
                    .get(span.file)
                    .path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                let path = base.join(text);
                let want_dir = matches!(ty, AttrType::DirPath);
                let fs = crate::fs::current();
                let ok = if want_dir {
                    fs.is_dir(&path)
                } else {
                    fs.is_file(&path)
                };
                // A file whose content goes into the request (a conda file) must be readable
                // as text now, or the plan would fail where validate passed.
                if ok
                    && matches!(s.wire, crate::schema::Wire::FileContent)
                    && let Err(e) = fs.read_to_string(&path)
                {
                    return Some(load::unreadable_named_file(&attr.name, text, &e, span));
                }
                (!ok).then(|| {
                    load::named_path_missing(
                        &attr.name,
                        if want_dir { "a directory" } else { "a file" },
                        text,
                        span,
                    )
                })
            }
            AttrType::VmSize => {
                let Value::String(text) = value else {
                    return Some(wrong("a VM size string"));
                };
                if vm_sizes::is_known(text) {
                    return None;
                }
                Some(constraints::unknown_vm_size(
                    text,
                    &vm_sizes::closest(text, 3),
                    span,
                ))
            }
            AttrType::Role => {
                let Value::String(text) = value else {
                    return Some(wrong("a role name or role definition ID"));
                };
                if text.starts_with('/') {
                    return match arm_id::expect_type(
                        text,
                        &["Microsoft.Authorization/roleDefinitions"],
                    ) {
                        Ok(id) if id.name().is_some_and(arm_id::is_guid) => None,
                        Ok(_) => Some(constraints::role_id_without_guid(span)),
                        Err(e) => Some(values::invalid_role_id(&e.to_string(), span)),
                    };
                }
                if roles::role_by_name(text).is_some() {
                    return None;
                }
                let similar = similar_names(text, roles::role_names());
                Some(constraints::unknown_role(
                    text,
                    similar.first().copied(),
                    span,
                ))
            }
            AttrType::List(inner) => match value {
                Value::List(items) => {
                    for item in items {
                        if let Some(d) = self.value_error(item, inner, attr, s) {
                            return Some(d);
                        }
                    }
                    None
                }
                _ => Some(wrong(&ty.describe())),
            },
            AttrType::Map(inner) => match value {
                Value::Map(map) => {
                    for item in map.values() {
                        if let Some(d) = self.value_error(item, inner, attr, s) {
                            return Some(d);
                        }
                    }
                    None
                }
                _ => Some(wrong(&ty.describe())),
            },
        }
    }
}

/// Attributes whose value is part of ARM IDs (a resource's name and group; the subscription
/// and group of the `azure` block): shown in every plan line, progress message and state
/// entry, so they cannot be sensitive.
fn becomes_part_of_arm_ids(context: Context, attr: &str) -> bool {
    match context {
        Context::Resource(_) => matches!(attr, "name" | "resource_group"),
        Context::Block("azure") => matches!(attr, "subscription_id" | "resource_group"),
        Context::Block(_) => false,
    }
}

fn meta_schema(name: &str) -> Option<&'static AttrSchema> {
    meta::META_ATTRS
        .iter()
        .find(|a| a.name == name)
        .or_else(|| (name == "tags").then_some(&meta::TAGS))
        .or_else(|| (name == "location").then_some(&meta::LOCATION))
}

fn context_suffix(context: Context) -> String {
    match context {
        Context::Resource(kind) => format!(" in a {} block", kind.kind),
        Context::Block(b) => format!(" in a `{b}` block"),
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// "a" or "an" before a word.
pub fn article(type_name: &str) -> &'static str {
    match type_name.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn range_text(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("but must be between {a} and {b}"),
        (Some(a), None) => format!("but must be at least {a}"),
        (None, Some(b)) => format!("but must be at most {b}"),
        (None, None) => String::new(),
    }
}

/// The enum check: exact manifest spelling passes; ARM spelling gets E0503 naming the right
/// one; anything else gets E0502 with the closest value.
pub fn enum_error(text: &str, values: &[EnumValue], attr: &str, span: Span) -> Option<Diagnostic> {
    if values.iter().any(|v| v.hcl == text) {
        return None;
    }
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    if let Some(v) = values
        .iter()
        .find(|v| v.arm == text || squash(v.arm) == squash(text) || squash(v.hcl) == squash(text))
    {
        return Some(values::arm_spelling(
            attr,
            &format!("{text:?}"),
            v.hcl,
            v.arm,
            span,
        ));
    }
    let allowed: Vec<String> = values.iter().map(|v| format!("\"{}\"", v.hcl)).collect();
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    Some(values::not_allowed(
        attr,
        &format!("{text:?}"),
        &allowed,
        did_you_mean(text, values.iter().map(|v| v.hcl)),
        span,
    ))
}

/// Whether any of `kinds` is an asset version (which `az ml` names `azureml:NAME:VERSION`).
fn asset_kinds(kinds: &[&str]) -> bool {
    kinds
        .iter()
        .any(|k| schema::kind(k).is_some_and(|k| k.behavior.versioned_asset))
}

/// `azureml:NAME:VERSION`, `azureml:NAME@LABEL` or `azureml://registries/R/(models|environments)/N/versions/V`.
fn azureml_asset_error(text: &str, attr: &str, span: Span) -> Option<Diagnostic> {
    let ok = if let Some(rest) = text.strip_prefix("azureml://") {
        let parts: Vec<&str> = rest.split('/').collect();
        parts.len() >= 4 && parts.iter().all(|p| !p.is_empty())
    } else {
        let rest = &text["azureml:".len()..];
        match rest.split_once(['@', ':']) {
            Some((name, version)) => {
                !name.is_empty() && !version.is_empty() && !version.contains([':', '@'])
            }
            None => false,
        }
    };
    (!ok).then(|| values::invalid_asset_id(attr, &format!("{text:?}"), span))
}

fn kind_error(
    kind: &str,
    address: &str,
    kinds: &[&str],
    attr: &str,
    span: Span,
) -> Option<Diagnostic> {
    if kinds.contains(&kind) {
        return None;
    }
    let expected = kinds
        .iter()
        .map(|k| format!("{} {k}", article(k)))
        .collect::<Vec<_>>()
        .join(" or ");
    let a = article(kind);
    Some(references::wrong_kind(
        attr, &expected, address, a, kind, kinds[0], span,
    ))
}

fn arm_id_error(text: &str, arm_types: &[&str], attr: &str, span: Span) -> Option<Diagnostic> {
    let result = if arm_types.is_empty() {
        arm_id::ArmId::parse(text).map(|_| ())
    } else {
        arm_id::expect_type(text, arm_types).map(|_| ())
    };
    result.err().map(|e| {
        let help = arm_types.first().map(|t| {
            format!(
                "expected an ID of the form /subscriptions/<id>/resourceGroups/<rg>/providers/{}",
                example_path(t)
            )
        });
        values::invalid_arm_id(attr, &e.to_string(), span, help)
    })
}

/// `Microsoft.Network/virtualNetworks/subnets` → `Microsoft.Network/virtualNetworks/<name>/subnets/<name>`.
fn example_path(arm_type: &str) -> String {
    let mut parts = arm_type.split('/');
    let provider = parts.next().unwrap_or_default();
    let mut out = provider.to_string();
    for t in parts {
        out.push('/');
        out.push_str(t);
        out.push_str("/<name>");
    }
    out
}
