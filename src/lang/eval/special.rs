//! The functions the evaluator runs itself, because they need more than argument values:
//! `try` and `can` (unevaluated arguments whose errors they catch), `sensitive`,
//! `nonsensitive` and `issensitive` (what the evaluator knows about sensitivity), and
//! `templatefile` (the template language, evaluated with only the template's variables).

use std::cell::Cell;

use hcl_edit::expr::{Expression, FuncCall};

use super::{EvalResult, Evaluator, Resolved, Scope};
use crate::diagnostic::{Code, Diagnostic};
use crate::diagnostics::{expressions, references};
use crate::lang::functions;
use crate::lang::value::Value;
use crate::sensitive;
use crate::source::Span;

thread_local! {
    /// How many `templatefile` templates are being evaluated on this thread: a template may
    /// not call `templatefile` (as in Terraform), which also stops a template including
    /// itself.
    static TEMPLATE_DEPTH: Cell<u32> = const { Cell::new(0) };
}

impl Evaluator<'_> {
    /// Runs `name` if it is one of the functions the evaluator runs itself.
    pub(super) fn eval_special(
        &mut self,
        name: &str,
        call: &FuncCall,
        span: Span,
    ) -> Option<EvalResult> {
        let args: Vec<&Expression> = call.args.iter().collect();
        let (min, max) = match name {
            "try" => (1, usize::MAX),
            "can" | "sensitive" | "nonsensitive" | "issensitive" => (1, 1),
            "templatefile" => (2, 2),
            _ => return None,
        };
        if args.len() < min || args.len() > max || call.args.expand_final() {
            let expects = match (min, max) {
                (1, usize::MAX) => "at least 1 argument".to_string(),
                (1, 1) => "1 argument".to_string(),
                (n, _) => format!("{n} arguments"),
            };
            let message = if call.args.expand_final() {
                format!("`{name}` does not take a list expanded with `...`")
            } else {
                format!("`{name}` expects {expects}, got {}", args.len())
            };
            return Some(Err(self.invalid_call(name, &message, span)));
        }
        Some(match name {
            "try" => self.eval_try(&args, span),
            "can" => self.eval_can(args[0]),
            "sensitive" => self.eval(args[0]).inspect(|v| {
                self.sensitive = true;
                self.secrets.extend(sensitive::texts_of(v));
            }),
            "nonsensitive" => {
                let before = std::mem::take(&mut self.sensitive);
                let secrets = self.secrets.len();
                let value = self.eval(args[0]);
                self.sensitive = before;
                self.secrets.truncate(secrets);
                value
            }
            "issensitive" => {
                let before = std::mem::take(&mut self.sensitive);
                let value = self.eval(args[0]);
                let read = self.sensitive;
                self.sensitive = before || read;
                value.map(|_| Value::Bool(read))
            }
            _ => self.eval_templatefile(args[0], args[1], span),
        })
    }

    fn invalid_call(&self, name: &str, message: &str, span: Span) -> Diagnostic {
        expressions::invalid_function_arguments(
            name,
            message,
            span,
            functions::signature(name).as_deref(),
        )
    }

    /// `try(a, b, ...)`: the first argument that evaluates without an error.
    fn eval_try(&mut self, args: &[&Expression], span: Span) -> EvalResult {
        let mut last = String::new();
        for arg in args {
            match self.attempt(arg) {
                Ok(value) => return Ok(value),
                Err(d) if is_static(&d) => return Err(d),
                Err(d) => last = d.message,
            }
        }
        Err(self.invalid_call(
            "try",
            &format!("no argument of `try` could be evaluated; the last one failed with: {last}"),
            span,
        ))
    }

    /// `can(expr)`: whether the expression evaluates without an error.
    fn eval_can(&mut self, arg: &Expression) -> EvalResult {
        match self.attempt(arg) {
            Ok(value) if value.is_unknown() => Ok(Value::Unknown),
            Ok(_) => Ok(Value::Bool(true)),
            Err(d) if is_static(&d) => Err(d),
            Err(_) => Ok(Value::Bool(false)),
        }
    }

    /// Evaluates an argument whose error may be caught: what a failed attempt read (its
    /// sensitivity) does not count; its references still are dependencies, as in Terraform.
    fn attempt(&mut self, arg: &Expression) -> EvalResult {
        let sensitive = self.sensitive;
        let secrets = self.secrets.len();
        let result = self.eval(arg);
        if result.is_err() {
            self.sensitive = sensitive;
            self.secrets.truncate(secrets);
        }
        result
    }

    /// `templatefile(path, vars)`: the file at `path` (relative to the module) evaluated as a
    /// template whose only names are the keys of `vars`.
    fn eval_templatefile(
        &mut self,
        path_expr: &Expression,
        vars_expr: &Expression,
        span: Span,
    ) -> EvalResult {
        let path_value = self.eval(path_expr)?;
        let vars_value = self.eval(vars_expr)?;
        let path_span = self.span_of(path_expr);
        let vars = match (&path_value, vars_value) {
            (p, _) if p.is_unknown() => return Ok(Value::Unknown),
            (_, v) if v.is_unknown() => return Ok(Value::Unknown),
            (Value::String(_), Value::Map(vars)) => vars,
            (Value::String(_), other) => {
                return Err(self.invalid_call(
                    "templatefile",
                    &format!(
                        "argument 2 of `templatefile` must be a map of the template's variables, got {}",
                        other.type_name()
                    ),
                    self.span_of(vars_expr),
                ));
            }
            (other, _) => {
                return Err(self.invalid_call(
                    "templatefile",
                    &format!(
                        "argument 1 of `templatefile` must be a path, got {}",
                        other.type_name()
                    ),
                    path_span,
                ));
            }
        };
        let Value::String(path) = path_value else {
            return Ok(Value::Unknown);
        };
        if TEMPLATE_DEPTH.get() > 0 {
            return Err(self.invalid_call(
                "templatefile",
                "a template cannot call `templatefile`",
                span,
            ));
        }
        let fs = crate::fs::current();
        let resolved = self.base_dir.join(&path);
        let bytes = if fs.is_file(&resolved) {
            fs.read(&resolved)
        } else {
            Err(std::io::Error::from(std::io::ErrorKind::NotFound))
        };
        let text = bytes
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                expressions::file_function_failed(
                    &format!("cannot read the template {path}: no such file or not UTF-8 text"),
                    path_span,
                )
            })?;
        let template = hcl_edit::parser::parse_template(&text).map_err(|e| {
            self.invalid_call(
                "templatefile",
                &format!("{path} is not a valid template: {}", e.message()),
                path_span,
            )
        })?;
        let scope = TemplateScope;
        let mut inner = Evaluator::new(&scope, self.file, self.base_dir);
        inner.bindings = vars.into_iter().collect();
        TEMPLATE_DEPTH.set(TEMPLATE_DEPTH.get() + 1);
        let result = inner.eval_template(&template, (false, false), span);
        TEMPLATE_DEPTH.set(TEMPLATE_DEPTH.get() - 1);
        result.map_err(|d| {
            // The template's own spans point into a file the sources do not hold, so the
            // error points at the path.
            self.invalid_call(
                "templatefile",
                &format!("in the template {path}: {}", d.message),
                path_span,
            )
        })
    }
}

/// Errors `try` and `can` do not catch: mistakes in the configuration itself (an undeclared
/// name, an unknown function), which Terraform reports before evaluating.
fn is_static(d: &Diagnostic) -> bool {
    matches!(
        d.code,
        Code::E0301
            | Code::E0302
            | Code::E0303
            | Code::E0310
            | Code::E0311
            | Code::E0314
            | Code::E0315
    )
}

/// The names a `templatefile` template sees besides its variables: none.
struct TemplateScope;

impl Scope for TemplateScope {
    fn variable(&self, _: &str) -> Option<Resolved> {
        None
    }
    fn local(&self, _: &str, _: Span) -> Option<Result<Resolved, Diagnostic>> {
        None
    }
    fn module_output(&self, module: &str, _: &str, span: Span) -> Result<Resolved, Diagnostic> {
        Err(references::module_not_available(module, span))
    }
    fn resource(&self, _: &str, _: &str, _: Span) -> Option<Result<Value, Diagnostic>> {
        None
    }
    fn is_resource_kind(&self, _: &str) -> bool {
        false
    }
    fn variable_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn local_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn resource_labels(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn module_names(&self) -> Vec<String> {
        Vec::new()
    }
}
