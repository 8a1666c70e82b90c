//! The expression evaluator.
//!
//! It walks `hcl-edit` expressions directly, so every error it raises can point at the exact
//! sub-expression. Names are resolved through a [`Scope`], which the module instantiation in
//! [`crate::lang::instantiate`] implements (variables, lazily evaluated locals, module outputs,
//! resources). While evaluating, the evaluator records which resources were referred to
//! (dependency edges) and whether a sensitive value was read.

mod special;

use std::collections::BTreeMap;
use std::path::Path;

use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Template};
use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::Diagnostic;
use crate::diagnostics::expressions::{self, type_error};
use crate::diagnostics::{modules, references};
use crate::lang::depth;
use crate::lang::functions::{self, FunctionContext};
use crate::lang::types::parse_number;
use crate::lang::unify;
use crate::lang::value::{Number, Reference, Value, format_number};
use crate::sensitive;
use crate::source::{FileId, Span};

/// The result of evaluating a name through a scope.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub value: Value,
    pub sensitive: bool,
    /// Resources the value was computed from (a local that interpolates a resource's
    /// attribute is unknown, but whoever uses it still depends on that resource).
    pub deps: Vec<Reference>,
}

impl Resolved {
    pub fn plain(value: Value) -> Resolved {
        Resolved {
            value,
            sensitive: false,
            deps: Vec::new(),
        }
    }
}

/// Resolves the names an expression can refer to.
pub trait Scope {
    /// `var.NAME`; `None` if no such variable is declared.
    fn variable(&self, name: &str) -> Option<Resolved>;
    /// `local.NAME`; `None` if no such local is declared. Errors (a cycle, an error in the
    /// local's own expression) are reported where the local is defined, so a reference to a
    /// broken local gets `Unknown` rather than a second report.
    fn local(&self, name: &str, span: Span) -> Option<Result<Resolved, Diagnostic>>;
    /// `module.NAME.OUTPUT`.
    fn module_output(&self, module: &str, output: &str, span: Span)
    -> Result<Resolved, Diagnostic>;
    /// `KIND.LABEL`: the value of a resource (a reference, or a map/list of references for a
    /// repeated resource); `None` if no such resource is declared in this module.
    fn resource(&self, kind: &str, label: &str, span: Span) -> Option<Result<Value, Diagnostic>>;
    fn is_resource_kind(&self, kind: &str) -> bool;
    /// Names for "did you mean" help.
    fn variable_names(&self) -> Vec<String>;
    fn local_names(&self) -> Vec<String>;
    fn resource_labels(&self, kind: &str) -> Vec<String>;
    fn module_names(&self) -> Vec<String>;
    /// The value of an attribute known only after apply, if it is known in this run.
    fn known_attribute(&self, _address: &str, _attr: &str) -> Option<Value> {
        None
    }
}

/// What `each` and `count` mean in the block being evaluated.
#[derive(Debug, Clone, Default)]
pub enum Repetition {
    #[default]
    None,
    Each {
        key: Value,
        value: Value,
    },
    Count(usize),
}

pub struct Evaluator<'a> {
    pub scope: &'a dyn Scope,
    pub file: FileId,
    pub base_dir: &'a Path,
    pub repetition: Repetition,
    /// Variables bound by enclosing `for` expressions, innermost last.
    bindings: Vec<(String, Value)>,
    /// Resources referred to, in the order met.
    pub deps: Vec<(Reference, Span)>,
    /// A sensitive value was read.
    pub sensitive: bool,
    /// The texts of the sensitive values read, scrubbed from every error [`Self::eval`]
    /// returns (a failing function or index must not quote them).
    secrets: Vec<String>,
    /// How many of this evaluator's [`Self::eval`] calls are open (0: the next is a whole).
    open: usize,
}

type EvalResult = Result<Value, Diagnostic>;

impl<'a> Evaluator<'a> {
    pub fn new(scope: &'a dyn Scope, file: FileId, base_dir: &'a Path) -> Evaluator<'a> {
        Evaluator {
            scope,
            file,
            base_dir,
            repetition: Repetition::None,
            bindings: Vec::new(),
            deps: Vec::new(),
            sensitive: false,
            secrets: Vec::new(),
            open: 0,
        }
    }

    pub fn with_repetition(mut self, repetition: Repetition) -> Evaluator<'a> {
        self.repetition = repetition;
        self
    }

    /// Clears what was recorded, to evaluate the next attribute with the same settings.
    pub fn reset(&mut self) {
        self.deps.clear();
        self.sensitive = false;
        self.secrets.clear();
    }

    pub fn span_of(&self, node: &impl hcl_edit::Span) -> Span {
        Span::from_opt(self.file, node.span())
    }

    /// Evaluates one expression. An error never quotes a sensitive value it read. Nesting is
    /// bounded ([`depth`]): past the bound this is E0312, and a value this evaluator
    /// computes as a whole that nests too deeply is E0313.
    pub fn eval(&mut self, expr: &Expression) -> EvalResult {
        let Some(_level) = depth::enter(depth::EXPRESSION_LEVELS) else {
            return Err(expressions::evaluation_too_deep(
                self.span_of(expr),
                &depth::chain(),
            ));
        };
        self.open += 1;
        let result = self.eval_expr(expr);
        self.open -= 1;
        let result = match result {
            Ok(value) if self.open == 0 && depth::value_too_deep(&value) => {
                Err(expressions::value_too_deep(self.span_of(expr)))
            }
            result => result,
        };
        match result {
            Err(d) if !self.secrets.is_empty() => Err(sensitive::scrub(d, &self.secrets)),
            result => result,
        }
    }

    fn eval_expr(&mut self, expr: &Expression) -> EvalResult {
        let span = self.span_of(expr);
        match expr {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => Ok(Value::Number(literal_number(n))),
            // Strings are NFC-normalised as they are read, as Terraform does, so text that
            // looks the same compares equal.
            Expression::String(s) => Ok(Value::String(nfc(s.value()))),
            Expression::Array(array) => self.eval_array(array),
            Expression::Object(object) => self.eval_object(object),
            Expression::StringTemplate(template) => self.eval_string_template(template, span),
            Expression::HeredocTemplate(heredoc) => {
                self.eval_template(&heredoc.template, (false, false), span)
            }
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            Expression::Variable(ident) => self.eval_variable(ident.value().as_str(), span),
            Expression::Conditional(cond) => self.eval_conditional(cond, span),
            Expression::FuncCall(call) => self.eval_call(call, span),
            Expression::Traversal(traversal) => self.eval_traversal(traversal, span),
            Expression::UnaryOp(op) => self.eval_unary(op),
            Expression::BinaryOp(op) => self.eval_binary(op, span),
            Expression::ForExpr(for_expr) => self.eval_for(for_expr, span),
        }
    }

    fn eval_array(&mut self, array: &hcl_edit::expr::Array) -> EvalResult {
        let mut items = Vec::with_capacity(array.len());
        for item in array.iter() {
            items.push(self.eval(item)?);
        }
        Ok(Value::List(items))
    }

    fn eval_object(&mut self, object: &hcl_edit::expr::Object) -> EvalResult {
        let mut map = BTreeMap::new();
        for (key, value) in object.iter() {
            let key_span = self.span_of(key);
            let key = match key {
                ObjectKey::Ident(ident) => ident.value().as_str().to_string(),
                // `{null = 1}` names the key "null", as HCL reads a keyword there.
                ObjectKey::Expression(Expression::Null(_)) => "null".to_string(),
                // `{var.x = 1}` could mean the name "var.x" or the variable's value;
                // HCL asks for `(var.x)` or `"var.x"`.
                ObjectKey::Expression(Expression::Traversal(_)) => {
                    return Err(expressions::ambiguous_object_key(key_span));
                }
                ObjectKey::Expression(expr) => {
                    // `(var.x) = 1` and `"a" = 1` are both allowed.
                    match self.eval(expr)? {
                        Value::String(s) => s,
                        Value::Number(n) => format_number(&n),
                        Value::Bool(b) => b.to_string(),
                        Value::Unknown => return Ok(Value::Unknown),
                        other => {
                            return Err(type_error(format!(
                                "an object key must be a string, got {}",
                                other.type_name()
                            ))
                            .at(key_span, "not a string"));
                        }
                    }
                }
            };
            let value = self.eval(value.expr())?;
            map.insert(key, value);
        }
        Ok(Value::Map(map))
    }

    fn eval_string_template(
        &mut self,
        template: &hcl_edit::template::StringTemplate,
        span: Span,
    ) -> EvalResult {
        let elements: Vec<&Element> = template
            .iter()
            .filter(|e| !matches!(e, Element::Literal(l) if l.value().is_empty()))
            .collect();
        // A template that is one interpolation is that value, of its own type
        // (`"${true}"` is a bool), as in HCL.
        if let [Element::Interpolation(interp)] = elements.as_slice() {
            return self.eval(&interp.expr);
        }
        self.eval_elements(&elements, (false, false), span)
    }

    fn eval_conditional(&mut self, cond: &hcl_edit::expr::Conditional, span: Span) -> EvalResult {
        let c = self.eval(&cond.cond_expr)?;
        match c {
            Value::Bool(choice) => {
                let (chosen, other) = if choice {
                    (&cond.true_expr, &cond.false_expr)
                } else {
                    (&cond.false_expr, &cond.true_expr)
                };
                let value = self.eval(chosen)?;
                // The other result only lends its type (its errors do not count, as
                // in HCL), so what evaluating it records is put back.
                let other_value = self.speculate(other);
                let (t, f) = if choice {
                    (&value, &other_value)
                } else {
                    (&other_value, &value)
                };
                let common = self.common_type(cond, t, f, span)?;
                Ok(unify::convert(value, &common))
            }
            Value::Unknown | Value::Ref(_) if c.is_unknown() => {
                // Evaluate both sides for their errors and dependencies.
                let t = self.eval(&cond.true_expr)?;
                let f = self.eval(&cond.false_expr)?;
                self.common_type(cond, &t, &f, span)?;
                Ok(Value::Unknown)
            }
            other => Err(type_error(format!(
                "the condition must be a bool, got {}",
                other.type_name()
            ))
            .at(self.span_of(&cond.cond_expr), "not a bool")),
        }
    }

    fn eval_call(&mut self, call: &hcl_edit::expr::FuncCall, span: Span) -> EvalResult {
        let name = call.name.name.value().as_str();
        let name_span = self.span_of(&call.name.name);
        if call.name.namespace.is_empty() {
            if let Some(reason) = functions::refused(name) {
                return Err(expressions::refused_function(name, reason, name_span));
            }
            if let Some(result) = self.eval_special(name, call, span) {
                return result;
            }
        }
        if !call.name.namespace.is_empty() || !functions::exists(name) {
            return Err(expressions::unknown_function(
                name,
                name_span,
                functions::names(),
            ));
        }
        let mut args = Vec::with_capacity(call.args.len());
        let mut arg_spans = Vec::with_capacity(call.args.len());
        // Which arguments are sensitive: their values (as the function saw them, after
        // any transformation) are scrubbed from its error.
        let mut arg_sensitive = Vec::with_capacity(call.args.len());
        for arg in call.args.iter() {
            arg_spans.push(self.span_of(arg));
            let before = std::mem::take(&mut self.sensitive);
            args.push(self.eval(arg)?);
            arg_sensitive.push(self.sensitive);
            self.sensitive |= before;
        }
        let sensitive_texts: Vec<String> = args
            .iter()
            .zip(
                arg_sensitive
                    .iter()
                    .chain(std::iter::repeat(arg_sensitive.last().unwrap_or(&false))),
            )
            .filter(|(_, s)| **s)
            .flat_map(|(v, _)| sensitive::texts_of(v))
            .collect();
        if call.args.expand_final() {
            // `f(a, list...)`: spread the final list into arguments.
            match args.pop() {
                Some(Value::List(items)) => {
                    let last = arg_spans.pop().unwrap_or(span);
                    for item in items {
                        args.push(item);
                        arg_spans.push(last);
                    }
                }
                Some(Value::Unknown) => return Ok(Value::Unknown),
                Some(other) => {
                    return Err(type_error(format!(
                        "only a list can be expanded with `...`, got {}",
                        other.type_name()
                    ))
                    .at(arg_spans.last().copied().unwrap_or(span), "not a list"));
                }
                None => {}
            }
        }
        let ctx = FunctionContext {
            base_dir: self.base_dir,
        };
        functions::call(name, args, &ctx).map_err(|e| {
            let at = e
                .arg
                .and_then(|i| arg_spans.get(i).copied())
                .unwrap_or(span);
            let d = if name == "file" {
                expressions::file_function_failed(&e.message, at)
            } else {
                expressions::invalid_function_arguments(
                    name,
                    &e.message,
                    at,
                    functions::signature(name).as_deref(),
                )
            };
            sensitive::scrub(d, &sensitive_texts)
        })
    }

    fn eval_unary(&mut self, op: &hcl_edit::expr::UnaryOp) -> EvalResult {
        let value = self.eval(&op.expr)?;
        let operand_span = self.span_of(&op.expr);
        match (op.operator.value(), value) {
            (_, Value::Unknown) => Ok(Value::Unknown),
            (UnaryOperator::Neg, Value::Number(n)) => Ok(Value::Number(n.neg())),
            (UnaryOperator::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
            (UnaryOperator::Neg, other) => Err(type_error(format!(
                "`-` needs a number, got {}",
                other.type_name()
            ))
            .at(operand_span, "not a number")),
            (UnaryOperator::Not, other) => Err(type_error(format!(
                "`!` needs a bool, got {}",
                other.type_name()
            ))
            .at(operand_span, "not a bool")),
        }
    }

    fn eval_template(
        &mut self,
        template: &Template,
        strip: (bool, bool),
        span: Span,
    ) -> EvalResult {
        let elements: Vec<&Element> = template.iter().collect();
        self.eval_elements(&elements, strip, span)
    }

    /// `strip` says whether the directive around these elements strips the whitespace at
    /// their start and end (`%{ if c ~}` ... `%{~ endif }`). A `~` strips only the literal
    /// text beside it, never an inserted value.
    fn eval_elements(
        &mut self,
        elements: &[&Element],
        strip: (bool, bool),
        span: Span,
    ) -> EvalResult {
        let mut out = String::new();
        let mut unknown = false;
        for (i, element) in elements.iter().enumerate() {
            match element {
                Element::Literal(lit) => {
                    let normalised = nfc(lit.value().as_str());
                    let mut text = normalised.as_str();
                    let strip_start = match i.checked_sub(1) {
                        Some(before) => strips_after(elements[before]),
                        None => strip.0,
                    };
                    let strip_end = match elements.get(i + 1) {
                        Some(after) => strips_before(after),
                        None => strip.1,
                    };
                    if strip_start {
                        text = text.trim_start();
                    }
                    if strip_end {
                        text = text.trim_end();
                    }
                    out.push_str(text);
                }
                Element::Interpolation(interp) => {
                    let value = self.eval(&interp.expr)?;
                    let at = self.span_of(&interp.expr);
                    match template_string(&value) {
                        Some(Ok(s)) => out.push_str(&s),
                        Some(Err(type_name)) => {
                            return Err(type_error(format!(
                                "cannot interpolate a {type_name} into a string"
                            ))
                            .at(at, "not a string, number or bool")
                            .with_help(
                                "use jsonencode(...) or join(...) to turn it into a string",
                            ));
                        }
                        None => unknown = true,
                    }
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(d) => {
                        let cond = self.eval(&d.if_expr.cond_expr)?;
                        let chosen = match cond {
                            Value::Bool(true) => {
                                let end = d
                                    .else_expr
                                    .as_ref()
                                    .map_or(d.endif_expr.strip.strip_start(), |e| {
                                        e.strip.strip_start()
                                    });
                                Some((&d.if_expr.template, (d.if_expr.strip.strip_end(), end)))
                            }
                            Value::Bool(false) => d.else_expr.as_ref().map(|e| {
                                (
                                    &e.template,
                                    (e.strip.strip_end(), d.endif_expr.strip.strip_start()),
                                )
                            }),
                            Value::Unknown => {
                                unknown = true;
                                None
                            }
                            other => {
                                return Err(type_error(format!(
                                    "the condition must be a bool, got {}",
                                    other.type_name()
                                ))
                                .at(self.span_of(&d.if_expr.cond_expr), "not a bool"));
                            }
                        };
                        if let Some((t, strip)) = chosen {
                            match self.eval_template(t, strip, span)? {
                                Value::String(s) => out.push_str(&s),
                                _ => unknown = true,
                            }
                        }
                    }
                    Directive::For(d) => {
                        let collection = self.eval(&d.for_expr.collection_expr)?;
                        let at = self.span_of(&d.for_expr.collection_expr);
                        let Some(items) = iteration_items(&collection) else {
                            if collection.is_unknown() {
                                unknown = true;
                                continue;
                            }
                            return Err(type_error(format!(
                                "a template `for` needs a list or map, got {}",
                                collection.type_name()
                            ))
                            .at(at, "not a collection"));
                        };
                        let key_var = d.for_expr.key_var.as_ref().map(|k| k.value().to_string());
                        let value_var = d.for_expr.value_var.value().to_string();
                        let strip = (
                            d.for_expr.strip.strip_end(),
                            d.endfor_expr.strip.strip_start(),
                        );
                        for (k, v) in items {
                            let pushed = self.bind(key_var.as_deref(), &value_var, k, v);
                            let result = self.eval_template(&d.for_expr.template, strip, span);
                            self.bindings.truncate(self.bindings.len() - pushed);
                            match result? {
                                Value::String(s) => out.push_str(&s),
                                _ => unknown = true,
                            }
                        }
                    }
                },
            }
        }
        Ok(if unknown {
            Value::Unknown
        } else {
            Value::String(out)
        })
    }

    /// Evaluates an expression only for its value's type: its errors, dependencies and
    /// sensitivity are not kept. An error gives `Unknown` (any type).
    fn speculate(&mut self, expr: &Expression) -> Value {
        let deps = self.deps.len();
        let sensitive = self.sensitive;
        let secrets = self.secrets.len();
        let value = self.eval_expr(expr).unwrap_or(Value::Unknown);
        self.deps.truncate(deps);
        self.sensitive = sensitive;
        self.secrets.truncate(secrets);
        value
    }

    /// The type both results of a conditional convert to, or the error HCL gives when there
    /// is none (`true ? 1 : true`).
    fn common_type(
        &self,
        cond: &hcl_edit::expr::Conditional,
        t: &Value,
        f: &Value,
        span: Span,
    ) -> Result<unify::Shape, Diagnostic> {
        let (ts, fs) = (unify::Shape::of(t), unify::Shape::of(f));
        unify::unify(&ts, &fs).ok_or_else(|| {
            expressions::inconsistent_conditional_types(
                &ts.describe(),
                &fs.describe(),
                span,
                self.span_of(&cond.true_expr),
                self.span_of(&cond.false_expr),
            )
        })
    }

    fn bind(&mut self, key_var: Option<&str>, value_var: &str, key: Value, value: Value) -> usize {
        let mut pushed = 1;
        if let Some(k) = key_var {
            self.bindings.push((k.to_string(), key));
            pushed += 1;
        }
        self.bindings.push((value_var.to_string(), value));
        pushed
    }

    fn eval_variable(&mut self, name: &str, span: Span) -> EvalResult {
        if let Some((_, v)) = self.bindings.iter().rev().find(|(n, _)| n == name) {
            return Ok(v.clone());
        }
        match name {
            "each" => match &self.repetition {
                Repetition::Each { key, value } => Ok(Value::Map(BTreeMap::from([
                    ("key".to_string(), key.clone()),
                    ("value".to_string(), value.clone()),
                ]))),
                _ => Err(expressions::each_outside_for_each(span)),
            },
            "count" => match &self.repetition {
                Repetition::Count(i) => Ok(Value::Map(BTreeMap::from([(
                    "index".to_string(),
                    Value::int(*i as i64),
                )]))),
                _ => Err(expressions::count_outside_count(span)),
            },
            _ => Err(self.unknown_root(name, span)),
        }
    }

    fn unknown_root(&self, name: &str, span: Span) -> Diagnostic {
        let mut candidates: Vec<String> = ["var", "local", "module", "each", "count"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        candidates.extend(crate::schema::kind_names().map(str::to_string));
        candidates.extend(self.bindings.iter().map(|(n, _)| n.clone()));
        expressions::unknown_name(
            name,
            span,
            candidates.iter().map(String::as_str),
            self.scope.is_resource_kind(name),
        )
    }

    fn eval_traversal(&mut self, traversal: &hcl_edit::expr::Traversal, span: Span) -> EvalResult {
        let ops = &traversal.operators;
        // Special roots consume their leading operators and give a starting value.
        let (value, rest) = match &traversal.expr {
            Expression::Variable(root)
                if !self
                    .bindings
                    .iter()
                    .any(|(n, _)| n == root.value().as_str()) =>
            {
                self.eval_root(root.value().as_str(), ops, span)?
            }
            other => (self.eval(other)?, 0),
        };
        self.apply_operators(value, &ops[rest..], span)
    }

    /// Applies traversal operators in order. After a full splat (`[*]`) the rest of the
    /// traversal applies to each element; after the legacy attribute-only splat (`.*`) only
    /// the attribute accesses (and `.N` indexes) right after it do, and what follows them
    /// applies to the resulting list, as HCL defines.
    fn apply_operators(
        &mut self,
        mut value: Value,
        ops: &[hcl_edit::repr::Decorated<TraversalOperator>],
        span: Span,
    ) -> EvalResult {
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            let op_span = self.span_of(op);
            let whole = span.to(op_span);
            i += 1;
            match op.value() {
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items = match value {
                        Value::List(items) => items,
                        Value::Unknown => return Ok(Value::Unknown),
                        Value::Null => Vec::new(),
                        other => vec![other],
                    };
                    let end = if matches!(op.value(), TraversalOperator::FullSplat(_)) {
                        ops.len()
                    } else {
                        i + ops[i..]
                            .iter()
                            .take_while(|o| {
                                matches!(
                                    o.value(),
                                    TraversalOperator::GetAttr(_)
                                        | TraversalOperator::LegacyIndex(_)
                                )
                            })
                            .count()
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply_operators(item, &ops[i..end], whole)?);
                    }
                    value = Value::List(out);
                    i = end;
                }
                TraversalOperator::GetAttr(ident) => {
                    let name = ident.value().as_str();
                    // An attribute known only after apply, when this run already knows it
                    // (apply re-evaluates once the resource exists).
                    if let Value::Ref(r) = &value
                        && r.attr.is_empty()
                        && let Some(known) = self.scope.known_attribute(&r.address, name)
                    {
                        value = known;
                        continue;
                    }
                    value = get_attr(value, name, op_span, whole)?;
                }
                TraversalOperator::Index(index_expr) => {
                    let index = self.eval(index_expr)?;
                    let index_span = self.span_of(index_expr);
                    value = get_index(value, &index, index_span, whole)?;
                }
                TraversalOperator::LegacyIndex(i) => {
                    value = get_index(value, &Value::int(*i.value() as i64), op_span, whole)?;
                }
            }
        }
        Ok(value)
    }

    /// Resolves `var.x`, `local.x`, `module.m.o`, `KIND.LABEL`, `each.*`, `count.*`.
    /// Returns the value and how many operators were consumed.
    fn eval_root(
        &mut self,
        root: &str,
        ops: &[hcl_edit::repr::Decorated<TraversalOperator>],
        span: Span,
    ) -> Result<(Value, usize), Diagnostic> {
        let attr_at = |i: usize| -> Option<(&str, Span)> {
            match ops.get(i).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(ident)) => Some((
                    ident.value().as_str(),
                    Span::from_opt(self.file, ops[i].span()),
                )),
                _ => None,
            }
        };
        let whole = |i: usize| -> Span {
            ops.get(i)
                .map_or(span, |o| span.to(Span::from_opt(self.file, o.span())))
        };
        match root {
            "var" => {
                let Some((name, _)) = attr_at(0) else {
                    return Err(expressions::bare_var(span));
                };
                match self.scope.variable(name) {
                    Some(r) => {
                        self.absorb(&r, whole(0));
                        Ok((r.value, 1))
                    }
                    None => {
                        let names = self.scope.variable_names();
                        Err(expressions::undefined_variable(
                            name,
                            whole(0),
                            names.iter().map(String::as_str),
                        ))
                    }
                }
            }
            "local" => {
                let Some((name, _)) = attr_at(0) else {
                    return Err(expressions::bare_local(span));
                };
                match self.scope.local(name, whole(0)) {
                    Some(Ok(r)) => {
                        self.absorb(&r, whole(0));
                        Ok((r.value, 1))
                    }
                    Some(Err(d)) => Err(d),
                    None => {
                        let names = self.scope.local_names();
                        Err(expressions::undefined_local(
                            name,
                            whole(0),
                            names.iter().map(String::as_str),
                        ))
                    }
                }
            }
            "module" => {
                let Some((module, _)) = attr_at(0) else {
                    return Err(modules::bare_module(span));
                };
                if !self.scope.module_names().iter().any(|m| m == module) {
                    let names = self.scope.module_names();
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    return Err(references::undefined_module(module, &names, whole(0)));
                }
                let Some((output, _)) = attr_at(1) else {
                    return Err(modules::module_without_output(module, whole(0)));
                };
                let r = self.scope.module_output(module, output, whole(1))?;
                self.absorb(&r, whole(1));
                Ok((r.value, 2))
            }
            "each" | "count" => {
                let base = self.eval_variable(root, span)?;
                Ok((base, 0))
            }
            kind if self.scope.is_resource_kind(kind) => {
                let Some((label, _)) = attr_at(0) else {
                    return Err(references::kind_without_name(kind, span));
                };
                match self.scope.resource(kind, label, whole(0)) {
                    Some(Ok(value)) => {
                        let at = whole(0);
                        // Indexing a repeated resource and attribute access are applied by
                        // the generic loop; record the dependency on what this names.
                        let consumed = 1;
                        let value = self.finish_resource_traversal(value, ops, consumed, at)?;
                        Ok(value)
                    }
                    Some(Err(d)) => Err(d),
                    None => {
                        let labels = self.scope.resource_labels(kind);
                        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                        Err(references::undefined_resource(
                            kind,
                            label,
                            &labels,
                            whole(0),
                        ))
                    }
                }
            }
            other => Err(self.unknown_root(other, span)),
        }
    }

    /// After `KIND.LABEL`: applies an optional instance index, records the dependency, and
    /// leaves attribute access to the generic loop (which extends the reference's path).
    fn finish_resource_traversal(
        &mut self,
        value: Value,
        ops: &[hcl_edit::repr::Decorated<TraversalOperator>],
        consumed: usize,
        at: Span,
    ) -> Result<(Value, usize), Diagnostic> {
        let mut consumed = consumed;
        let mut value = value;
        let mut at = at;
        if let (Value::Ref(r), Some(op)) = (&value, ops.get(consumed))
            && matches!(
                op.value(),
                TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)
            )
        {
            return Err(expressions::single_resource_indexed(
                &r.address,
                Span::from_opt(self.file, op.span()),
            ));
        }
        if let (Value::Map(_) | Value::List(_), Some(op)) = (&value, ops.get(consumed)) {
            let op_span = Span::from_opt(self.file, op.span());
            let index = match op.value() {
                TraversalOperator::Index(e) => Some(self.eval(e)?),
                TraversalOperator::LegacyIndex(i) => Some(Value::int(*i.value() as i64)),
                _ => None,
            };
            if let Some(index) = index {
                at = at.to(op_span);
                value = get_index(value, &index, op_span, at)?;
                consumed += 1;
            }
        }
        self.record_refs(&value, at);
        Ok((value, consumed))
    }

    /// Takes over what a resolved name carries: sensitivity and dependencies.
    fn absorb(&mut self, resolved: &Resolved, span: Span) {
        self.sensitive |= resolved.sensitive;
        if resolved.sensitive {
            self.secrets.extend(sensitive::texts_of(&resolved.value));
        }
        for dep in &resolved.deps {
            self.add_dep(dep, span);
        }
        self.record_refs(&resolved.value, span);
    }

    fn add_dep(&mut self, r: &Reference, span: Span) {
        if !self.deps.iter().any(|(d, _)| d.address == r.address) {
            let base = Reference {
                address: r.address.clone(),
                kind: r.kind.clone(),
                attr: Vec::new(),
            };
            self.deps.push((base, span));
        }
    }

    /// Records every resource the value refers to as a dependency.
    pub fn record_refs(&mut self, value: &Value, span: Span) {
        for r in value.references() {
            let base = Reference {
                address: r.address.clone(),
                kind: r.kind.clone(),
                attr: Vec::new(),
            };
            if !self.deps.iter().any(|(d, _)| d.address == base.address) {
                self.deps.push((base, span));
            }
        }
    }

    fn eval_binary(&mut self, op: &hcl_edit::expr::BinaryOp, span: Span) -> EvalResult {
        let operator = *op.operator.value();
        let lhs = self.eval(&op.lhs_expr)?;
        // `&&` and `||` short-circuit on known values, like Terraform.
        if operator == BinaryOperator::And && lhs == Value::Bool(false) {
            return Ok(Value::Bool(false));
        }
        if operator == BinaryOperator::Or && lhs == Value::Bool(true) {
            return Ok(Value::Bool(true));
        }
        let rhs = self.eval(&op.rhs_expr)?;
        let lhs_span = self.span_of(&op.lhs_expr);
        let rhs_span = self.span_of(&op.rhs_expr);
        use BinaryOperator::*;
        match operator {
            Eq | NotEq => {
                if lhs.is_unknown() || rhs.is_unknown() {
                    return Ok(Value::Unknown);
                }
                let equal = values_equal(&lhs, &rhs);
                Ok(Value::Bool(if operator == Eq { equal } else { !equal }))
            }
            And | Or => {
                let l = bool_operand(&lhs, operator, lhs_span)?;
                let r = bool_operand(&rhs, operator, rhs_span)?;
                match (l, r) {
                    (Some(l), Some(r)) => {
                        Ok(Value::Bool(if operator == And { l && r } else { l || r }))
                    }
                    _ => Ok(Value::Unknown),
                }
            }
            _ => {
                let l = number_operand(&lhs, operator, lhs_span)?;
                let r = number_operand(&rhs, operator, rhs_span)?;
                let (Some(l), Some(r)) = (l, r) else {
                    return Ok(Value::Unknown);
                };
                Ok(match operator {
                    Less => Value::Bool(l < r),
                    LessEq => Value::Bool(l <= r),
                    Greater => Value::Bool(l > r),
                    GreaterEq => Value::Bool(l >= r),
                    Plus => Value::Number(l.add(&r)),
                    Minus => Value::Number(l.sub(&r)),
                    Mul => Value::Number(l.mul(&r)),
                    Div | Mod if r.is_zero() => {
                        return Err(type_error("division by zero")
                            .at(rhs_span, "this is zero")
                            .or_at(span, ""));
                    }
                    Div => Value::Number(l.div(&r).unwrap_or(Number::ZERO)),
                    Mod => Value::Number(l.rem(&r).unwrap_or(Number::ZERO)),
                    _ => Value::Unknown,
                })
            }
        }
    }

    fn eval_for(&mut self, for_expr: &hcl_edit::expr::ForExpr, _span: Span) -> EvalResult {
        let collection = self.eval(&for_expr.intro.collection_expr)?;
        let coll_span = self.span_of(&for_expr.intro.collection_expr);
        let Some(items) = iteration_items(&collection) else {
            if collection.is_unknown() {
                return Ok(Value::Unknown);
            }
            return Err(type_error(format!(
                "a `for` expression needs a list or map, got {}",
                collection.type_name()
            ))
            .at(coll_span, "not a collection"));
        };
        let key_var = for_expr
            .intro
            .key_var
            .as_ref()
            .map(|k| k.value().to_string());
        let value_var = for_expr.intro.value_var.value().to_string();
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (k, v) in items {
            let pushed = self.bind(key_var.as_deref(), &value_var, k, v);
            let result = self.eval_for_item(for_expr);
            self.bindings.truncate(self.bindings.len() - pushed);
            let Some((key, value)) = result? else {
                continue;
            };
            match key {
                None => list.push(value),
                Some((key, key_span)) => {
                    let key = match key {
                        Value::String(s) => s,
                        Value::Number(n) => format_number(&n),
                        Value::Bool(b) => b.to_string(),
                        Value::Unknown => return Ok(Value::Unknown),
                        other => {
                            return Err(type_error(format!(
                                "a `for` key must be a string, got {}",
                                other.type_name()
                            ))
                            .at(key_span, "not a string"));
                        }
                    };
                    if for_expr.grouping {
                        groups.entry(key).or_default().push(value);
                    } else {
                        match map.entry(key) {
                            std::collections::btree_map::Entry::Occupied(e) => {
                                return Err(expressions::duplicate_for_key(e.key(), key_span));
                            }
                            std::collections::btree_map::Entry::Vacant(e) => {
                                e.insert(value);
                            }
                        }
                    }
                }
            }
        }
        Ok(if for_expr.key_expr.is_none() {
            Value::List(list)
        } else if for_expr.grouping {
            Value::Map(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::List(v)))
                    .collect(),
            )
        } else {
            Value::Map(map)
        })
    }

    #[allow(clippy::type_complexity)]
    fn eval_for_item(
        &mut self,
        for_expr: &hcl_edit::expr::ForExpr,
    ) -> Result<Option<(Option<(Value, Span)>, Value)>, Diagnostic> {
        if let Some(cond) = &for_expr.cond {
            match self.eval(&cond.expr)? {
                Value::Bool(true) => {}
                Value::Bool(false) => return Ok(None),
                Value::Unknown => {}
                other => {
                    return Err(type_error(format!(
                        "a `for` condition must be a bool, got {}",
                        other.type_name()
                    ))
                    .at(self.span_of(&cond.expr), "not a bool"));
                }
            }
        }
        let key = match &for_expr.key_expr {
            Some(k) => Some((self.eval(k)?, self.span_of(k))),
            None => None,
        };
        let value = self.eval(&for_expr.value_expr)?;
        Ok(Some((key, value)))
    }
}

/// A string in Unicode normal form C; ASCII (nearly every manifest's text) is already.
fn nfc(s: &str) -> String {
    if s.is_ascii()
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// Whether an element of a template strips the whitespace of the literal before it (`${~`,
/// `%{~ if`, `%{~ for`).
fn strips_before(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}

/// Whether an element of a template strips the whitespace of the literal after it (`~}` of
/// an interpolation, `endif` or `endfor`).
fn strips_after(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}

/// The string form of a value inside a template; `None` if unknown, `Err(type)` if it has no
/// string form.
fn template_string(value: &Value) -> Option<Result<String, &'static str>> {
    match value {
        Value::String(s) => Some(Ok(s.clone())),
        Value::Number(n) => Some(Ok(format_number(n))),
        Value::Bool(b) => Some(Ok(b.to_string())),
        Value::Unknown | Value::Ref(_) => None,
        Value::Null => Some(Err("null value")),
        Value::List(_) => Some(Err("list")),
        Value::Map(_) => Some(Err("map")),
    }
}

fn iteration_items(collection: &Value) -> Option<Vec<(Value, Value)>> {
    match collection {
        Value::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::int(i as i64), v.clone()))
                .collect(),
        ),
        Value::Map(map) => Some(
            map.iter()
                .map(|(k, v)| (Value::String(k.clone()), v.clone()))
                .collect(),
        ),
        _ => None,
    }
}

fn get_attr(value: Value, name: &str, op_span: Span, whole: Span) -> EvalResult {
    match value {
        Value::Map(mut map) => match map.remove(name) {
            Some(v) => Ok(v),
            None => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                Err(expressions::no_such_attribute(name, &keys, op_span, whole))
            }
        },
        Value::Ref(mut r) => {
            if r.attr.is_empty()
                && let Some(kind) = crate::schema::kind(&r.kind)
                && !resource_has_attribute(kind, name)
            {
                let candidates = crate::schema::COMMON_EXPORTS
                    .iter()
                    .chain(kind.exports)
                    .map(|e| e.name)
                    .chain(kind.body.attrs.iter().map(|a| a.name));
                let exports: Vec<&str> = crate::schema::COMMON_EXPORTS
                    .iter()
                    .chain(kind.exports)
                    .map(|e| e.name)
                    .collect();
                return Err(references::unknown_resource_attribute(
                    name,
                    crate::check::schema::article(kind.kind),
                    kind.kind,
                    candidates,
                    &exports,
                    op_span,
                    whole,
                ));
            }
            r.attr.push(name.to_string());
            Ok(Value::Ref(r))
        }
        Value::Unknown => Ok(Value::Unknown),
        other => Err(expressions::attribute_of_non_object(
            name,
            other.type_name(),
            op_span,
        )),
    }
}

fn get_index(value: Value, index: &Value, index_span: Span, whole: Span) -> EvalResult {
    match (value, index) {
        (Value::Unknown, _) | (_, Value::Unknown) => Ok(Value::Unknown),
        (Value::List(items), Value::Number(n)) => {
            let Some(i) = n
                .to_i64()
                .and_then(|i| usize::try_from(i).ok())
                .filter(|i| *i < items.len())
            else {
                return Err(expressions::index_out_of_range(
                    &format_number(n),
                    items.len(),
                    index_span,
                    whole,
                ));
            };
            Ok(items.into_iter().nth(i).unwrap_or(Value::Null))
        }
        (Value::Map(mut map), Value::String(key)) => match map.remove(key.as_str()) {
            Some(v) => Ok(v),
            None => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                Err(expressions::no_such_key(key, &keys, index_span, whole))
            }
        },
        // Keys convert as HCL converts them: a number or bool names a map key by its text, a
        // string that is a number indexes a list.
        (Value::Map(map), Value::Number(_) | Value::Bool(_)) => get_index(
            Value::Map(map),
            &Value::String(index.to_string()),
            index_span,
            whole,
        ),
        (Value::List(items), Value::String(s)) if parse_number(s).is_some() => get_index(
            Value::List(items),
            &Value::Number(parse_number(s).unwrap_or(Number::ZERO)),
            index_span,
            whole,
        ),
        (Value::Ref(mut r), idx) => {
            r.attr.push(match idx {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            Ok(Value::Ref(r))
        }
        (v, idx) => Err(expressions::invalid_index(
            v.type_name(),
            idx.type_name(),
            index_span,
            whole,
        )),
    }
}

/// A reference `KIND.NAME.ATTR` may name an export (known after apply), an input attribute
/// or a nested block of the kind.
fn resource_has_attribute(kind: &crate::schema::KindSchema, name: &str) -> bool {
    kind.export(name).is_some()
        || kind.body.attr(name).is_some()
        || kind.body.block(name).is_some()
        || (name == "tags" && kind.has_tags)
        || (name == "location" && kind.has_location)
}

/// Equality as HCL defines it: numbers by value, collections element-wise.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| values_equal(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && values_equal(va, vb))
        }
        (Value::Ref(x), Value::Ref(y)) => x.address == y.address && x.attr == y.attr,
        _ => a == b,
    }
}

fn bool_operand(value: &Value, op: BinaryOperator, span: Span) -> Result<Option<bool>, Diagnostic> {
    match value {
        Value::Bool(b) => Ok(Some(*b)),
        v if v.is_unknown() => Ok(None),
        other => Err(type_error(format!(
            "`{}` needs bool operands, got {}",
            op.as_str(),
            other.type_name()
        ))
        .at(span, "not a bool")),
    }
}

fn number_operand(
    value: &Value,
    op: BinaryOperator,
    span: Span,
) -> Result<Option<Number>, Diagnostic> {
    match value {
        Value::Number(n) => Ok(Some(n.clone())),
        // HCL converts numeric strings implicitly in arithmetic.
        Value::String(s) if parse_number(s.trim()).is_some() => Ok(parse_number(s.trim())),
        v if v.is_unknown() => Ok(None),
        other => Err(expressions::number_operand_expected(
            op.as_str(),
            other.type_name(),
            span,
        )),
    }
}

/// A number literal at Terraform's precision, read from its text: hcl-edit's value is an
/// `f64`, which would lose `0.1`'s 512-bit value and whole numbers beyond 2^53. A negative
/// literal's text is `-` with optional spaces before the digits.
fn literal_number(n: &hcl_edit::Formatted<hcl_edit::Number>) -> Number {
    let from_text = n.as_repr().and_then(|repr| {
        let text: &str = repr;
        match text.strip_prefix('-') {
            Some(rest) => Number::parse(rest.trim_start()).map(|n| n.neg()),
            None => Number::parse(text),
        }
    });
    from_text
        .or_else(|| n.value().as_f64().and_then(Number::from_f64))
        .unwrap_or(Number::ZERO)
}
