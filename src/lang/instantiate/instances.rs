//! One module instance: its variables, lazily evaluated locals and outputs, and its child
//! module instances, with in-progress markers that find cycles.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use hcl_edit::Span as _;
use indexmap::IndexMap;

use super::resources::Shape;
use super::variables::ProvidedValue;
use super::{Ctx, literal_bool};
use crate::diagnostic::Diagnostic;
use crate::diagnostics;
use crate::lang::decls::{self, Decls};
use crate::lang::depth;
use crate::lang::eval::{Evaluator, Repetition, Resolved, Scope};
use crate::lang::value::Value;
use crate::source::{FileId, Span};

pub(super) enum Slot<T> {
    InProgress,
    Done(T),
}

pub(super) struct Instance<'a> {
    pub(super) ctx: &'a Ctx<'a>,
    pub(super) module: usize,
    pub(super) path: Vec<String>,
    pub(super) prefix: String,
    pub(super) vars: IndexMap<String, Resolved>,
    pub(super) locals: RefCell<HashMap<String, Slot<Option<Resolved>>>>,
    pub(super) outputs: RefCell<HashMap<String, Slot<Option<Resolved>>>>,
    pub(super) children: RefCell<HashMap<String, Slot<Option<Rc<Instance<'a>>>>>>,
    pub(super) shapes: RefCell<HashMap<(String, String), Slot<Shape>>>,
    /// Set while locals are being evaluated in dependency order (see `locals.rs`); the
    /// locals read meanwhile are evaluated lazily.
    pub(super) ordering_locals: Cell<bool>,
}

impl<'a> Instance<'a> {
    pub(super) fn new(
        ctx: &'a Ctx<'a>,
        module: usize,
        path: Vec<String>,
        vars: IndexMap<String, Resolved>,
    ) -> Instance<'a> {
        let prefix: String = path.iter().map(|m| format!("module.{m}.")).collect();
        Instance {
            ctx,
            module,
            path,
            prefix,
            vars,
            locals: RefCell::new(HashMap::new()),
            outputs: RefCell::new(HashMap::new()),
            children: RefCell::new(HashMap::new()),
            shapes: RefCell::new(HashMap::new()),
            ordering_locals: Cell::new(false),
        }
    }

    pub(super) fn decls(&self) -> &'a Decls<'a> {
        &self.ctx.decls[self.module]
    }

    pub(super) fn dir(&self) -> &'a Path {
        &self.ctx.modules[self.module].dir
    }

    pub(super) fn evaluator(&self, file: FileId, repetition: Repetition) -> Evaluator<'_> {
        Evaluator::new(self, file, self.dir()).with_repetition(repetition)
    }

    /// Evaluates everything not yet evaluated: all locals (for their errors), all child
    /// modules, all resources and all outputs.
    pub(super) fn finish(&self) {
        let decls = self.decls();
        for (name, local) in &decls.locals {
            let _ = self.local(
                name,
                Span::from_opt(local.attr.file, local.attr.node.key.span()),
            );
        }
        for name in decls.modules.keys() {
            let _ = self.child(name);
        }
        for decl in decls.resources.values() {
            self.eval_resource(decl);
        }
        if self.module != 0 {
            for (name, out) in &decls.outputs {
                let _ = self.output(name, decls::label_span(out.file, out.node, 0));
            }
        }
    }

    /// `local.NAME`, read at `span`: computed once, the locals it reads first.
    pub(super) fn resolve_local(
        &self,
        name: &str,
        span: Span,
    ) -> Option<Result<Resolved, Diagnostic>> {
        if let Some(done) = self.local_slot(name, span) {
            return Some(done);
        }
        let decl = self.decls().locals.get(name)?;
        if !self.ordering_locals.replace(true) {
            self.evaluate_locals_read_by(name, span);
            self.ordering_locals.set(false);
            if let Some(done) = self.local_slot(name, span) {
                return Some(done);
            }
        }
        let _resolving = depth::resolving(|| format!("local.{name}"), span);
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        let mut ev = self.evaluator(decl.attr.file, Repetition::None);
        let result = match ev.eval(&decl.attr.node.value) {
            Ok(value) => Some(Resolved {
                value,
                sensitive: ev.sensitive,
                deps: ev.deps.iter().map(|(r, _)| r.clone()).collect(),
            }),
            Err(d) => {
                self.ctx.report(d);
                None
            }
        };
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(result.clone()));
        Some(Ok(result.unwrap_or(Resolved::plain(Value::Unknown))))
    }

    /// A local already evaluated (or a cycle, if it is being evaluated).
    fn local_slot(&self, name: &str, span: Span) -> Option<Result<Resolved, Diagnostic>> {
        match self.locals.borrow().get(name)? {
            Slot::Done(r) => Some(Ok(r.clone().unwrap_or(Resolved::plain(Value::Unknown)))),
            Slot::InProgress => Some(Err(diagnostics::expressions::local_cycle(name, span))),
        }
    }

    pub(super) fn output(&self, name: &str, span: Span) -> Result<Resolved, Diagnostic> {
        match self.outputs.borrow().get(name) {
            Some(Slot::Done(r)) => return Ok(r.clone().unwrap_or(Resolved::plain(Value::Unknown))),
            Some(Slot::InProgress) => {
                return Err(diagnostics::expressions::output_cycle(name, span));
            }
            None => {}
        }
        let Some(out) = self.decls().outputs.get(name) else {
            let names: Vec<&str> = self.decls().outputs.keys().map(String::as_str).collect();
            return Err(diagnostics::modules::unknown_output(name, &names, span));
        };
        let _resolving = depth::resolving(|| format!("output.{name}"), span);
        self.outputs
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        let result = match out.node.body.get_attribute("value") {
            Some(attr) => {
                let mut ev = self.evaluator(out.file, Repetition::None);
                match ev.eval(&attr.value) {
                    Ok(value) => Some(Resolved {
                        value,
                        sensitive: ev.sensitive
                            || literal_bool(&out.node.body, "sensitive").unwrap_or(false),
                        deps: ev.deps.iter().map(|(r, _)| r.clone()).collect(),
                    }),
                    Err(d) => {
                        self.ctx.report(d);
                        None
                    }
                }
            }
            None => None,
        };
        self.outputs
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(result.clone()));
        Ok(result.unwrap_or(Resolved::plain(Value::Unknown)))
    }

    pub(super) fn child(&self, name: &str) -> Result<Option<Rc<Instance<'a>>>, Diagnostic> {
        match self.children.borrow().get(name) {
            Some(Slot::Done(c)) => return Ok(c.clone()),
            Some(Slot::InProgress) => {
                let call = &self.decls().modules[name];
                return Err(diagnostics::expressions::module_input_cycle(
                    name,
                    decls::label_span(call.block.file, call.block.node, 0),
                ));
            }
            None => {}
        }
        let Some(call) = self.decls().modules.get(name) else {
            return Ok(None);
        };
        let header = decls::header_span(call.block.file, call.block.node);
        // Instantiating a module nests (its own modules are instantiated within), with no
        // expression evaluated in between when a chain of modules passes nothing on.
        let Some(_level) = depth::enter(depth::INSTANCE_LEVELS) else {
            // Reported here: `finish` instantiates calls without looking at the result.
            self.ctx
                .report(diagnostics::expressions::evaluation_too_deep(
                    header,
                    &depth::chain(),
                ));
            self.children
                .borrow_mut()
                .insert(name.to_string(), Slot::Done(None));
            return Ok(None);
        };
        let _resolving = depth::resolving(|| format!("module.{name}"), header);
        self.children
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        if call.block.node.body.get_attribute("source").is_none() {
            self.ctx
                .report(diagnostics::structure::module_without_source(
                    name,
                    decls::header_span(call.block.file, call.block.node),
                ));
        }
        let target = self.ctx.modules[self.module]
            .calls
            .get(name)
            .copied()
            .flatten();
        let target = target.filter(|_| self.ctx.another_module_instance(name, header));
        let instance = target.map(|target| {
            let provided = self.module_inputs(call, target);
            let mut path = self.path.clone();
            path.push(name.to_string());
            let vars = self
                .ctx
                .bind_variables(target, &path, provided, Some(header));
            let child = Rc::new(Instance::new(self.ctx, target, path, vars));
            child.finish();
            child
        });
        self.children
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(instance.clone()));
        Ok(instance)
    }

    /// Evaluates a module call's input attributes in this (the caller's) scope.
    pub(super) fn module_inputs(
        &self,
        call: &decls::ModuleCallDecl,
        target: usize,
    ) -> IndexMap<String, ProvidedValue> {
        let file = call.block.file;
        let body = &call.block.node.body;
        let target_vars = &self.ctx.decls[target].variables;
        let mut provided = IndexMap::new();
        if body.get_attribute("source").is_none() {
            self.ctx
                .report(diagnostics::structure::module_without_source(
                    &call.name,
                    decls::header_span(file, call.block.node),
                ));
        }
        for attr in body.attributes() {
            let key = attr.key.value().as_str();
            if matches!(key, "source" | "depends_on" | "version" | "providers") {
                continue;
            }
            let key_span = Span::from_opt(file, attr.key.span());
            if matches!(key, "for_each" | "count") {
                self.ctx
                    .report(diagnostics::expressions::repeated_module(key, key_span));
                continue;
            }
            if !target_vars.contains_key(key) {
                let inputs: Vec<&str> = target_vars.keys().map(String::as_str).collect();
                self.ctx.report(diagnostics::modules::unknown_input(
                    &call.name, key, &inputs, key_span,
                ));
                continue;
            }
            let mut ev = self.evaluator(file, Repetition::None);
            match ev.eval(&attr.value) {
                Ok(value) => {
                    provided.insert(
                        key.to_string(),
                        ProvidedValue {
                            value,
                            span: Span::from_opt(file, attr.value.span()),
                            sensitive: ev.sensitive,
                            from_module_call: true,
                            raw: false,
                            deps: ev.deps.iter().map(|(r, _)| r.clone()).collect(),
                        },
                    );
                }
                Err(d) => self.ctx.report(d),
            }
        }
        provided
    }
}
