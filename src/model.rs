//! The evaluated, spanned manifest: what the checker checks and the planner plans.
//!
//! Everything here is already evaluated (variables substituted, modules expanded, `for_each`
//! and `count` unrolled) but not yet checked against the schema: a [`Body`] holds whatever
//! attributes and blocks the user wrote, each with its span, so the checker can point at
//! every one of them.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::lang::value::{Reference, Value};
use crate::schema::KindSchema;
use crate::source::Span;

/// An evaluated attribute.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    pub value: Value,
    /// The attribute's key.
    pub key_span: Span,
    /// The attribute's value expression.
    pub span: Span,
    /// The value was derived from a sensitive variable.
    pub sensitive: bool,
    /// Resources the expression referred to (each becomes a dependency edge).
    pub deps: Vec<(Reference, Span)>,
}

/// An evaluated nested block.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<(String, Span)>,
    /// The block type identifier.
    pub span: Span,
    pub body: Body,
}

impl Block {
    pub fn label(&self) -> Option<&str> {
        self.labels.first().map(|(l, _)| l.as_str())
    }

    /// The span of the block header (type and labels), where diagnostics about the whole
    /// block point.
    pub fn header_span(&self) -> Span {
        self.labels
            .last()
            .map_or(self.span, |(_, s)| self.span.to(*s))
    }
}

/// The attributes and nested blocks of a block, in source order.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attrs: IndexMap<String, Attr>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.get(name)
    }

    pub fn value(&self, name: &str) -> Option<&Value> {
        self.attrs.get(name).map(|a| &a.value)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.value(name).and_then(Value::as_str)
    }

    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }

    pub fn block(&self, kind: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.kind == kind)
    }
}

/// The key of one instance of a repeated block.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum InstanceKey {
    /// From `for_each`: `["a100"]`.
    Key(String),
    /// From `count`: `[0]`.
    Index(usize),
}

impl std::fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstanceKey::Key(k) => write!(f, "[{k:?}]"),
            InstanceKey::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// One resource instance.
#[derive(Debug, Clone)]
pub struct Resource {
    pub schema: &'static KindSchema,
    /// `module.net.compute_cluster.gpu["a100"]`.
    pub address: String,
    /// Module names from the root down (`["net"]`), empty at the root.
    pub module_path: Vec<String>,
    /// The block label (`gpu`).
    pub label: String,
    pub key: Option<InstanceKey>,
    /// The name in Azure: the `name` attribute if given, else the label.
    pub name: String,
    /// Where the name came from (the `name` attribute's value or the label).
    pub name_span: Span,
    /// The block type identifier (`compute_cluster`).
    pub span: Span,
    pub label_span: Span,
    pub body: Body,
    /// Its attributes known only after apply that this run knows (a feature store's
    /// `principal_id` once it exists), for a kind whose lowering needs its own.
    pub known: std::collections::BTreeMap<String, crate::lang::value::Value>,
}

impl Resource {
    pub fn kind(&self) -> &'static str {
        self.schema.kind
    }

    /// The address of the resource's ARM parent (the block its kind's ID template names as
    /// parent): the workspace of a compute, asset or endpoint, the endpoint of a deployment.
    pub fn parent_address(&self) -> Option<&str> {
        let attr = self.parent_attr()?;
        self.body
            .value(attr)
            .and_then(crate::lang::value::Value::as_ref)
            .map(|r| r.address.as_str())
    }

    /// The attribute naming the resource's ARM parent: its kind's parent attribute, or the
    /// registry an asset version names instead.
    pub fn parent_attr(&self) -> Option<&'static str> {
        let parent = self.schema.id.parent_attr()?;
        match self.schema.id.registry_attr() {
            Some(registry)
                if self.body.attr(parent).is_none() && self.body.attr(registry).is_some() =>
            {
                Some(registry)
            }
            _ => Some(parent),
        }
    }

    pub fn header_span(&self) -> Span {
        self.span.to(self.label_span)
    }
}

/// A declared input variable with its final value.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub module_path: Vec<String>,
    pub value: Value,
    pub sensitive: bool,
    /// The value came from outside the declaration (the environment, a var file, `--var`,
    /// a module call) rather than its default.
    pub provided: bool,
    pub span: Span,
}

/// An output of the root module.
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub value: Value,
    pub sensitive: bool,
    pub description: Option<String>,
    pub span: Span,
    pub value_span: Span,
    pub deps: Vec<(Reference, Span)>,
}

/// The evaluated manifest.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// The root `azure` block.
    pub azure: Option<Block>,
    pub backend: Option<Block>,
    pub variables: Vec<Variable>,
    pub outputs: Vec<Output>,
    pub resources: Vec<Resource>,
    /// `budget`, `prices` and `review` blocks (root module only).
    pub settings: Vec<Block>,
}

impl Manifest {
    pub fn resource(&self, address: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.address == address)
    }

    /// The resources inside each resource (by [`Resource::parent_address`]: an endpoint's
    /// deployments, a workspace's computes and assets), by its address, in the manifest's
    /// order. The checker and the lowering each build it once: a rule or a kind's lowering
    /// that scanned the manifest for a resource's siblings would be quadratic in its size.
    pub fn children_by_parent(&self) -> HashMap<&str, Vec<&Resource>> {
        let mut map: HashMap<&str, Vec<&Resource>> = HashMap::new();
        for r in &self.resources {
            if let Some(parent) = r.parent_address() {
                map.entry(parent).or_default().push(r);
            }
        }
        map
    }
}
