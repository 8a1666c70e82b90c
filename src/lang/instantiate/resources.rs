//! Resource blocks of a module instance: their shape (`for_each`/`count`), instance
//! addresses and references, and the evaluation of their bodies.

use std::collections::BTreeMap;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::instances::{Instance, Slot};
use crate::diagnostic::Diagnostic;
use crate::diagnostics;
use crate::lang::decls::{self, ResourceDecl};
use crate::lang::depth;
use crate::lang::eval::Repetition;
use crate::lang::value::{Reference, Value};
use crate::model::{self, InstanceKey};
use crate::source::{FileId, Span};

/// How a resource block repeats.
#[derive(Debug, Clone)]
pub(super) enum Shape {
    Single,
    Each(BTreeMap<String, Value>),
    Count(usize),
    /// Its `for_each`/`count` had an error (reported).
    Broken,
}

impl<'a> Instance<'a> {
    pub(super) fn shape(&self, decl: &ResourceDecl) -> Result<Shape, Diagnostic> {
        let key = (decl.schema.kind.to_string(), decl.label.clone());
        match self.shapes.borrow().get(&key) {
            Some(Slot::Done(s)) => return Ok(s.clone()),
            Some(Slot::InProgress) => {
                return Err(diagnostics::expressions::repetition_depends_on_itself(
                    decl.schema.kind,
                    &decl.label,
                    decls::header_span(decl.block.file, decl.block.node),
                ));
            }
            None => {}
        }
        let header = decls::header_span(decl.block.file, decl.block.node);
        let Some(_level) = depth::enter(depth::INSTANCE_LEVELS) else {
            return Err(diagnostics::expressions::evaluation_too_deep(
                header,
                &depth::chain(),
            ));
        };
        let _resolving =
            depth::resolving(|| format!("{}.{}", decl.schema.kind, decl.label), header);
        self.shapes
            .borrow_mut()
            .insert(key.clone(), Slot::InProgress);
        let shape = self.compute_shape(decl);
        self.shapes
            .borrow_mut()
            .insert(key, Slot::Done(shape.clone()));
        Ok(shape)
    }

    pub(super) fn compute_shape(&self, decl: &ResourceDecl) -> Shape {
        let file = decl.block.file;
        let body = &decl.block.node.body;
        let for_each = body.get_attribute("for_each");
        let count = body.get_attribute("count");
        if let (Some(f), Some(c)) = (for_each, count) {
            self.ctx
                .report(diagnostics::expressions::for_each_and_count(
                    Span::from_opt(file, c.key.span()),
                    Span::from_opt(file, f.key.span()),
                ));
            return Shape::Broken;
        }
        if let Some(attr) = for_each {
            let span = Span::from_opt(file, attr.value.span());
            if matches!(attr.value, Expression::Array(_)) {
                self.ctx
                    .report(diagnostics::expressions::for_each_list_literal(span));
                return Shape::Broken;
            }
            let mut ev = self.evaluator(file, Repetition::None);
            let value = match ev.eval(&attr.value) {
                Ok(v) => v,
                Err(d) => {
                    self.ctx.report(d);
                    return Shape::Broken;
                }
            };
            if ev.sensitive {
                self.ctx
                    .report(diagnostics::expressions::for_each_sensitive(span));
                return Shape::Broken;
            }
            return match value {
                Value::Map(map) => Shape::Each(map),
                Value::List(items) => {
                    let mut map = BTreeMap::new();
                    for item in items {
                        match item {
                            Value::String(s) => {
                                map.insert(s.clone(), Value::String(s));
                            }
                            other => {
                                self.ctx.report(
                                    diagnostics::expressions::for_each_non_string_element(
                                        other.type_name(),
                                        span,
                                    ),
                                );
                                return Shape::Broken;
                            }
                        }
                    }
                    Shape::Each(map)
                }
                // Unknown with no resource behind it: an error upstream (reported there).
                Value::Unknown if ev.deps.is_empty() => Shape::Broken,
                v if v.is_unknown() => {
                    self.ctx
                        .report(diagnostics::expressions::for_each_unknown(span));
                    Shape::Broken
                }
                other => {
                    self.ctx
                        .report(diagnostics::expressions::for_each_wrong_type(
                            other.type_name(),
                            span,
                        ));
                    Shape::Broken
                }
            };
        }
        if let Some(attr) = count {
            let span = Span::from_opt(file, attr.value.span());
            let mut ev = self.evaluator(file, Repetition::None);
            return match ev.eval(&attr.value) {
                Ok(v) => match v.as_i64() {
                    Some(n) if n >= 0 => Shape::Count(n as usize),
                    _ if matches!(v, Value::Unknown) && ev.deps.is_empty() => Shape::Broken,
                    _ if v.is_unknown() => {
                        self.ctx
                            .report(diagnostics::expressions::count_unknown(span));
                        Shape::Broken
                    }
                    _ => {
                        self.ctx.report(diagnostics::expressions::count_invalid(
                            &v.to_string(),
                            span,
                        ));
                        Shape::Broken
                    }
                },
                Err(d) => {
                    self.ctx.report(d);
                    Shape::Broken
                }
            };
        }
        Shape::Single
    }

    pub(super) fn address(&self, kind: &str, label: &str, key: Option<&InstanceKey>) -> String {
        match key {
            Some(k) => format!("{}{kind}.{label}{k}", self.prefix),
            None => format!("{}{kind}.{label}", self.prefix),
        }
    }

    pub(super) fn reference(&self, kind: &str, label: &str, key: Option<&InstanceKey>) -> Value {
        Value::Ref(Reference {
            address: self.address(kind, label, key),
            kind: kind.to_string(),
            attr: Vec::new(),
        })
    }

    pub(super) fn eval_resource(&self, decl: &ResourceDecl) {
        let kind = decl.schema.kind;
        let shape = match self.shape(decl) {
            Ok(s) => s,
            Err(d) => {
                self.ctx.report(d);
                return;
            }
        };
        let instances: Vec<(Option<InstanceKey>, Repetition)> = match shape {
            Shape::Single => vec![(None, Repetition::None)],
            Shape::Broken => return,
            Shape::Each(map) => map
                .into_iter()
                .map(|(k, v)| {
                    (
                        Some(InstanceKey::Key(k.clone())),
                        Repetition::Each {
                            key: Value::String(k),
                            value: v,
                        },
                    )
                })
                .collect(),
            Shape::Count(n) => (0..n)
                .map(|i| (Some(InstanceKey::Index(i)), Repetition::Count(i)))
                .collect(),
        };
        let file = decl.block.file;
        let block = decl.block.node;
        for (key, repetition) in instances {
            let body = self.eval_body(file, &block.body, &repetition, true);
            let label_span = decls::label_span(file, block, 0);
            let (name, name_span) = match body.attrs.get("name") {
                Some(attr) => match &attr.value {
                    Value::String(s) => (s.clone(), attr.span),
                    _ => (decl.label.clone(), attr.span),
                },
                None => (decl.label.clone(), label_span),
            };
            let address = self.address(kind, &decl.label, key.as_ref());
            let known = self.ctx.known.get(&address).cloned().unwrap_or_default();
            self.ctx.resources.borrow_mut().push(model::Resource {
                schema: decl.schema,
                address,
                module_path: self.path.clone(),
                label: decl.label.clone(),
                key,
                name,
                name_span,
                span: decls::block_span(file, block),
                label_span,
                body,
                known,
            });
        }
    }

    /// Evaluates a block (one not repeated) into the model.
    pub(super) fn eval_block(
        &self,
        file: FileId,
        block: &Block,
        repetition: &Repetition,
    ) -> model::Block {
        model::Block {
            kind: block.ident.value().to_string(),
            labels: block
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.as_str().to_string(), decls::label_span(file, block, i)))
                .collect(),
            span: decls::block_span(file, block),
            body: self.eval_body(file, &block.body, repetition, false),
        }
    }

    pub(super) fn eval_body(
        &self,
        file: FileId,
        body: &Body,
        repetition: &Repetition,
        resource_top: bool,
    ) -> model::Body {
        let mut out = model::Body::default();
        let mut ev = self.evaluator(file, repetition.clone());
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let name = attr.key.value().as_str();
                    if resource_top && matches!(name, "for_each" | "count") {
                        continue;
                    }
                    // `lifecycle.ignore_changes` lists attribute names, which may be bare
                    // identifiers; `eval_lifecycle` reads them from the syntax instead.
                    if !resource_top
                        && name == "ignore_changes"
                        && matches!(attr.value, Expression::Array(_))
                    {
                        continue;
                    }
                    ev.reset();
                    let value = match ev.eval(&attr.value) {
                        Ok(v) => v,
                        Err(d) => {
                            self.ctx.report(d);
                            Value::Unknown
                        }
                    };
                    let value_span = Span::from_opt(file, attr.value.span());
                    ev.record_refs(&value, value_span);
                    out.attrs.insert(
                        name.to_string(),
                        model::Attr {
                            name: name.to_string(),
                            value,
                            key_span: Span::from_opt(file, attr.key.span()),
                            span: Span::from_opt(file, attr.value.span()),
                            sensitive: ev.sensitive,
                            deps: std::mem::take(&mut ev.deps),
                        },
                    );
                }
                Structure::Block(block) => {
                    let nested = if block.ident.value().as_str() == "lifecycle" {
                        self.eval_lifecycle(file, block, repetition)
                    } else {
                        self.eval_block(file, block, repetition)
                    };
                    out.blocks.push(nested);
                }
            }
        }
        out
    }

    /// `lifecycle` is evaluated like any block, except that `ignore_changes` may list bare
    /// attribute names (`[tags]`, as Terraform writes them) as well as strings.
    pub(super) fn eval_lifecycle(
        &self,
        file: FileId,
        block: &Block,
        repetition: &Repetition,
    ) -> model::Block {
        let mut evaluated = self.eval_block(file, block, repetition);
        if let Some(attr) = block.body.get_attribute("ignore_changes")
            && let Expression::Array(items) = &attr.value
        {
            let mut names = Vec::new();
            for item in items.iter() {
                let text = match item {
                    Expression::String(s) => s.value().clone(),
                    Expression::Variable(v) => v.value().to_string(),
                    other => self
                        .ctx
                        .sources
                        .snippet(Span::from_opt(file, other.span()))
                        .trim()
                        .to_string(),
                };
                names.push(Value::String(text));
            }
            evaluated.body.attrs.insert(
                "ignore_changes".to_string(),
                model::Attr {
                    name: "ignore_changes".to_string(),
                    value: Value::List(names),
                    key_span: Span::from_opt(file, attr.key.span()),
                    span: Span::from_opt(file, attr.value.span()),
                    sensitive: false,
                    deps: Vec::new(),
                },
            );
        }
        evaluated
    }
}
