//! Collecting the declarations of one module directory.
//!
//! The top-level blocks of a module's files are sorted into variables, locals, outputs,
//! module calls, resources and settings, with the structural checks that need no evaluation:
//! unknown block types, wrong label counts and duplicate declarations.

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use indexmap::IndexMap;

use crate::diagnostic::Diagnostics;
use crate::diagnostics::structure;
use crate::load::ParsedFile;
use crate::schema::{self, KindSchema};
use crate::source::{FileId, Span};

/// A top-level block with the file it is in.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a, T> {
    pub file: FileId,
    pub node: &'a T,
}

impl<'a, T: hcl_edit::Span> Located<'a, T> {
    pub fn span(&self) -> Span {
        Span::from_opt(self.file, self.node.span())
    }
}

#[derive(Debug, Clone)]
pub struct VariableDecl<'a> {
    pub name: String,
    pub block: Located<'a, Block>,
}

#[derive(Debug, Clone)]
pub struct LocalDecl<'a> {
    pub name: String,
    pub attr: Located<'a, Attribute>,
}

#[derive(Debug, Clone)]
pub struct ModuleCallDecl<'a> {
    pub name: String,
    pub block: Located<'a, Block>,
}

#[derive(Debug, Clone)]
pub struct ResourceDecl<'a> {
    pub schema: &'static KindSchema,
    pub label: String,
    pub block: Located<'a, Block>,
}

/// The declarations of one module directory.
#[derive(Debug, Default)]
pub struct Decls<'a> {
    pub variables: IndexMap<String, VariableDecl<'a>>,
    pub locals: IndexMap<String, LocalDecl<'a>>,
    pub outputs: IndexMap<String, Located<'a, Block>>,
    pub modules: IndexMap<String, ModuleCallDecl<'a>>,
    /// Keyed by `(kind, label)`.
    pub resources: IndexMap<(String, String), ResourceDecl<'a>>,
    pub azure: Vec<Located<'a, Block>>,
    pub backend: Vec<Located<'a, Block>>,
    /// `budget`, `prices`, `review`.
    pub settings: Vec<Located<'a, Block>>,
}

/// Top-level block types other than resource kinds, with their label counts.
pub const TOP_LEVEL: &[(&str, usize)] = &[
    ("azure", 0),
    ("backend", 1),
    ("variable", 1),
    ("locals", 0),
    ("output", 1),
    ("module", 1),
    ("budget", 1),
    ("prices", 0),
    ("review", 0),
];

pub fn block_span(file: FileId, block: &Block) -> Span {
    Span::from_opt(file, block.ident.span())
}

/// The span of a block's type and labels (where "this block" diagnostics point).
pub fn header_span(file: FileId, block: &Block) -> Span {
    let ident = block_span(file, block);
    block
        .labels
        .last()
        .and_then(|l| l.span())
        .map_or(ident, |r| ident.to(Span::new(file, r)))
}

pub fn label_span(file: FileId, block: &Block, index: usize) -> Span {
    block
        .labels
        .get(index)
        .and_then(|l| l.span())
        .map_or_else(|| block_span(file, block), |r| Span::new(file, r))
}

pub fn collect<'a>(files: &'a [ParsedFile], diags: &mut Diagnostics) -> Decls<'a> {
    let mut decls = Decls::default();
    for parsed in files {
        for structure in parsed.body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    diags.push(structure::top_level_attribute(
                        attr.key.value(),
                        Span::from_opt(parsed.file, attr.key.span()),
                    ));
                }
                Structure::Block(block) => collect_block(parsed.file, block, &mut decls, diags),
            }
        }
    }
    decls
}

fn collect_block<'a>(
    file: FileId,
    block: &'a Block,
    decls: &mut Decls<'a>,
    diags: &mut Diagnostics,
) {
    let ident = block.ident.value().as_str();
    let located = Located { file, node: block };
    let expected_labels = if let Some((_, n)) = TOP_LEVEL.iter().find(|(name, _)| *name == ident) {
        *n
    } else if schema::kind(ident).is_some() {
        1
    } else {
        let candidates = TOP_LEVEL
            .iter()
            .map(|(n, _)| *n)
            .chain(schema::kind_names());
        diags.push(structure::unknown_block_type(
            ident,
            block_span(file, block),
            candidates,
        ));
        return;
    };
    if block.labels.len() != expected_labels {
        let at = if block.labels.len() > expected_labels {
            label_span(file, block, expected_labels)
        } else {
            block_span(file, block)
        };
        diags.push(structure::wrong_label_count(
            ident,
            expected_labels,
            block.labels.len(),
            at,
        ));
        return;
    }
    let label = block.labels.first().map(|l| l.as_str().to_string());
    let duplicate = |kind: &str, name: &str, first: Span, diags: &mut Diagnostics| {
        diags.push(structure::duplicate_declaration(
            kind,
            name,
            label_span(file, block, 0),
            first,
        ));
    };
    match ident {
        "azure" => decls.azure.push(located),
        "backend" => decls.backend.push(located),
        "budget" | "prices" | "review" => decls.settings.push(located),
        "locals" => {
            for attr in block.body.attributes() {
                let name = attr.key.value().to_string();
                let this = Span::from_opt(file, attr.key.span());
                if let Some(prev) = decls.locals.get(&name) {
                    diags.push(structure::duplicate_local(
                        &name,
                        this,
                        Span::from_opt(prev.attr.file, prev.attr.node.key.span()),
                    ));
                    continue;
                }
                decls.locals.insert(
                    name.clone(),
                    LocalDecl {
                        name,
                        attr: Located { file, node: attr },
                    },
                );
            }
            for nested in block.body.blocks() {
                diags.push(structure::block_in_locals(
                    nested.ident.value(),
                    block_span(file, nested),
                ));
            }
        }
        "variable" => {
            let name = label.unwrap_or_default();
            if let Some(prev) = decls.variables.get(&name) {
                duplicate(
                    "variable",
                    &name,
                    label_span(prev.block.file, prev.block.node, 0),
                    diags,
                );
                return;
            }
            decls.variables.insert(
                name.clone(),
                VariableDecl {
                    name,
                    block: located,
                },
            );
        }
        "output" => {
            let name = label.unwrap_or_default();
            if let Some(prev) = decls.outputs.get(&name) {
                duplicate("output", &name, label_span(prev.file, prev.node, 0), diags);
                return;
            }
            decls.outputs.insert(name, located);
        }
        "module" => {
            let name = label.unwrap_or_default();
            if let Some(prev) = decls.modules.get(&name) {
                duplicate(
                    "module",
                    &name,
                    label_span(prev.block.file, prev.block.node, 0),
                    diags,
                );
                return;
            }
            decls.modules.insert(
                name.clone(),
                ModuleCallDecl {
                    name,
                    block: located,
                },
            );
        }
        kind => {
            let Some(schema) = schema::kind(kind) else {
                return;
            };
            let name = label.unwrap_or_default();
            let key = (kind.to_string(), name.clone());
            if let Some(prev) = decls.resources.get(&key) {
                duplicate(
                    kind,
                    &name,
                    label_span(prev.block.file, prev.block.node, 0),
                    diags,
                );
                return;
            }
            decls.resources.insert(
                key,
                ResourceDecl {
                    schema,
                    label: name,
                    block: located,
                },
            );
        }
    }
}

/// The value of a string-literal attribute (`source = "../x"`), with its span.
pub fn literal_string(
    file: FileId,
    body: &Body,
    key: &str,
) -> Option<Result<(String, Span), Span>> {
    let attr = body.get_attribute(key)?;
    let span = Span::from_opt(file, attr.value.span());
    Some(match &attr.value {
        Expression::String(s) => Ok((s.value().clone(), span)),
        _ => Err(span),
    })
}
