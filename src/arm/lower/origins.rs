//! The manifest attributes behind an entry's body: the descriptors' reverse map
//! ([`crate::schema::manifest_paths`]) instantiated for one resource, so that every repeated
//! block's element index stands next to the block instance (and label) it was lowered from,
//! and every path next to the place in the manifest that sets it.

use std::borrow::Cow;

use crate::arm::{Desired, Origin};
use crate::model::{Body, Resource};
use crate::schema::manifest_paths::{ELEMENT, LABEL, Mapping, Target, entry_map};
use crate::source::Span;

/// The origins of one entry lowered from `resource` (none for an implicit resource).
pub(crate) fn of_entry(resource: &Resource, entry: &Desired) -> Vec<Origin> {
    let Some(map) = entry_map(&entry.kind) else {
        return Vec::new();
    };
    let mut body = &resource.body;
    let mut span = resource.header_span();
    let mut prefix = String::new();
    if !map.root.is_empty() {
        // A child block's entry is addressed `RESOURCE.KIND.LABEL` (see the kinds' hooks).
        let label = entry
            .address
            .strip_prefix(resource.address.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|rest| rest.strip_prefix(entry.kind.as_str()))
            .and_then(|rest| rest.strip_prefix('.'));
        let last = map.root.len() - 1;
        for (depth, nested) in map.root.iter().enumerate() {
            let block = if depth == last {
                body.blocks(nested.name).find(|b| b.label() == label)
            } else {
                body.blocks(nested.name).next()
            };
            let Some(block) = block else {
                return Vec::new();
            };
            prefix = join(&prefix, nested.name);
            if let Some(label) = block.label() {
                prefix.push_str(&format!("[{}]", quote(label)));
            }
            body = &block.body;
            span = block.header_span();
        }
    }
    let mut out = Vec::new();
    for mapping in &map.mappings {
        let walk = Walk {
            mapping,
            rooted: prefix.is_empty(),
            body: &entry.body,
        };
        walk.expand(0, body, span, &prefix, &mut Vec::new(), &mut out);
    }
    out
}

/// One mapping being instantiated; `rooted`: the entry's root is the resource block (its
/// manifest paths start there, as the reverse map's texts do).
struct Walk<'e> {
    mapping: &'static Mapping,
    rooted: bool,
    /// The entry's body: a block the manifest leaves out that a hook fills in all the same
    /// (an online endpoint's default identity) is named by its attributes.
    body: &'e serde_json::Value,
}

impl Walk<'_> {
    /// The mapping for every instance of the blocks of its chain, from `body` (at depth
    /// `depth` of the chain) down. Blocks that are absent lower to nothing, so they get no
    /// origin.
    fn expand(
        &self,
        depth: usize,
        body: &Body,
        span: Span,
        manifest: &str,
        indices: &mut Vec<(usize, String)>,
        out: &mut Vec<Origin>,
    ) {
        let mapping = self.mapping;
        let Some(nested) = mapping.chain.get(depth) else {
            let (name, span, schema) = match mapping.target {
                Target::Attr(a) => (
                    Some(a.name),
                    body.attr(a.name).map_or(span, |at| at.key_span.to(at.span)),
                    Some(a),
                ),
                Target::Block(b) => (
                    Some(b.name),
                    body.blocks(b.name)
                        .next()
                        .map_or(span, |bl| bl.header_span()),
                    None,
                ),
                Target::Instance => (None, span, None),
            };
            // Most paths name no block instance: they borrow the reverse map's texts (an
            // entry per resource, at ten thousand resources, adds up).
            let plain = self.rooted && indices.is_empty();
            let attribute = match &mapping.manifest {
                Some(text) if plain => Cow::Borrowed(text.as_str()),
                _ => Cow::Owned(name.map_or_else(|| manifest.to_string(), |n| join(manifest, n))),
            };
            let path = if indices.is_empty() {
                Cow::Borrowed(mapping.arm.as_str())
            } else {
                Cow::Owned(fill(&mapping.arm, indices))
            };
            out.push(Origin {
                path,
                attribute,
                span,
                schema,
            });
            return;
        };
        let name = join(manifest, nested.name);
        if nested.max == Some(1) {
            if let Some(block) = body.blocks(nested.name).next() {
                self.expand(
                    depth + 1,
                    &block.body,
                    block.header_span(),
                    &name,
                    indices,
                    out,
                );
            } else if indices.is_empty()
                && crate::json_path::get(self.body, &mapping.arm).is_some_and(|v| !v.is_null())
            {
                self.expand(depth + 1, &Body::default(), span, &name, indices, out);
            }
            return;
        }
        for (i, block) in body.blocks(nested.name).enumerate() {
            let instance = match block.label() {
                Some(label) => format!("{name}[{}]", quote(label)),
                None => format!("{name}[{i}]"),
            };
            indices.push((i, block.label().unwrap_or_default().to_string()));
            self.expand(
                depth + 1,
                &block.body,
                block.header_span(),
                &instance,
                indices,
                out,
            );
            indices.pop();
        }
    }
}

/// The ARM path of a mapping with each element placeholder replaced by its index and each
/// label placeholder by its block's label, in order.
fn fill(arm: &str, indices: &[(usize, String)]) -> String {
    if indices.is_empty() {
        return arm.to_string();
    }
    let mut next = indices.iter();
    arm.split('.')
        .map(|segment| match segment {
            ELEMENT => next
                .next()
                .map_or_else(|| segment.to_string(), |(i, _)| i.to_string()),
            LABEL => next
                .next()
                .map_or_else(|| segment.to_string(), |(_, label)| label.clone()),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// A label or map key as the manifest path writes it: a quoted string.
pub(crate) fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}
