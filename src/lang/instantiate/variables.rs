//! Variable binding: root values from the environment, var files and `--var`; type
//! conversion, defaults, required variables and validation for every module instance.

use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::structure::Structure;
use indexmap::IndexMap;

use super::scope::{EmptyScope, OneVariable};
use super::{Ctx, Inputs, literal_bool};
use crate::diagnostic::Diagnostics;
use crate::diagnostics;
use crate::lang::decls::{self, Decls, VariableDecl};
use crate::lang::eval::{Evaluator, Resolved};
use crate::lang::types::{self, Type};
use crate::lang::value::{Reference, Value};
use crate::load::{self};
use crate::model::{self};
use crate::source::{FileId, SourceFile, Sources, Span};

/// A value given for a variable from outside its declaration, with where it came from.
#[derive(Debug, Clone)]
pub struct ProvidedValue {
    pub value: Value,
    pub span: Span,
    pub sensitive: bool,
    /// From a module call (type errors are E0804) rather than the command line.
    pub from_module_call: bool,
    /// The value is still text (from `--var` or the environment) and is converted by type.
    pub raw: bool,
    /// Resources the value was computed from (module inputs).
    pub deps: Vec<Reference>,
}

/// Collects root variable values from the environment, var files and `--var`, each later
/// source overriding earlier ones.
pub(super) fn root_inputs(
    decls: &Decls,
    inputs: &Inputs,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> IndexMap<String, ProvidedValue> {
    let mut provided: IndexMap<String, ProvidedValue> = IndexMap::new();
    for (name, value) in &inputs.env {
        if !decls.variables.contains_key(name) {
            // Terraform ignores environment values for undeclared variables; so do we.
            continue;
        }
        let id = sources.add(SourceFile::new(
            format!("AMLPLAN_VAR_{name}"),
            PathBuf::new(),
            value.clone(),
        ));
        provided.insert(name.clone(), raw_value(value, id));
    }
    let var_file_diags = diags.len();
    for path in &inputs.var_files {
        let display = path.to_string_lossy().into_owned();
        let text = match crate::fs::current().read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(diagnostics::load::unreadable_var_file(&display, &e));
                continue;
            }
        };
        let id = sources.add(SourceFile::new(display.clone(), path.clone(), text));
        let is_json = path.extension().is_some_and(|e| e == "json");
        if is_json {
            match serde_json::from_str::<serde_json::Value>(&sources.get(id).text) {
                Ok(serde_json::Value::Object(map)) => {
                    for (name, v) in map {
                        let span = Span::new(id, 0..0);
                        if check_declared(decls, &name, span, diags) {
                            provided.insert(
                                name,
                                ProvidedValue {
                                    value: Value::from_json(&v),
                                    span,
                                    sensitive: false,
                                    from_module_call: false,
                                    raw: false,
                                    deps: Vec::new(),
                                },
                            );
                        }
                    }
                }
                Ok(_) => diags.push(diagnostics::load::var_file_not_an_object(
                    &display,
                    Span::new(id, 0..0),
                )),
                Err(e) => {
                    let offset = line_col_offset(&sources.get(id).text, e.line(), e.column());
                    diags.push(diagnostics::load::var_file_syntax(
                        &e,
                        Span::new(id, offset..offset),
                    ));
                }
            }
            continue;
        }
        let Some(parsed) = load::parse_file(id, sources, diags) else {
            continue;
        };
        for structure in parsed.body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let name = attr.key.value().to_string();
                    let key_span = Span::from_opt(id, attr.key.span());
                    if !check_declared(decls, &name, key_span, diags) {
                        continue;
                    }
                    let scope = EmptyScope;
                    let mut ev = Evaluator::new(&scope, id, Path::new("."));
                    match ev.eval(&attr.value) {
                        Ok(value) => {
                            provided.insert(
                                name,
                                ProvidedValue {
                                    value,
                                    span: Span::from_opt(id, attr.value.span()),
                                    sensitive: false,
                                    from_module_call: false,
                                    raw: false,
                                    deps: Vec::new(),
                                },
                            );
                        }
                        Err(d) => diags.push(d),
                    }
                }
                Structure::Block(b) => diags.push(diagnostics::load::block_in_var_file(
                    decls::block_span(id, b),
                )),
            }
        }
    }
    if decls
        .variables
        .values()
        .any(|v| literal_bool(&v.block.node.body, "sensitive") == Some(true))
    {
        load::hide_snippets(diags, var_file_diags, sources, |f| {
            inputs.var_files.contains(&sources.get(f).path)
        });
    }
    for (name, value) in &inputs.vars {
        let id = sources.add(SourceFile::new(
            "--var",
            PathBuf::new(),
            format!("{name}={value}"),
        ));
        let name_span = Span::new(id, 0..name.len());
        if !check_declared(decls, name, name_span, diags) {
            continue;
        }
        let mut p = raw_value(value, id);
        p.span = Span::new(id, name.len() + 1..name.len() + 1 + value.len());
        provided.insert(name.clone(), p);
    }
    provided
}

pub(super) fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

pub(super) fn raw_value(text: &str, file: FileId) -> ProvidedValue {
    ProvidedValue {
        value: Value::String(text.to_string()),
        span: Span::new(file, 0..text.len()),
        sensitive: false,
        from_module_call: false,
        raw: true,
        deps: Vec::new(),
    }
}

/// Whether `name` is a declared root variable; reports E0405 if not.
pub(super) fn check_declared(
    decls: &Decls,
    name: &str,
    span: Span,
    diags: &mut Diagnostics,
) -> bool {
    if decls.variables.contains_key(name) {
        return true;
    }
    diags.push(diagnostics::variables::undeclared_variable(
        name,
        span,
        decls.variables.keys().map(String::as_str),
    ));
    false
}

impl<'a> Ctx<'a> {
    /// Binds a module's variables: type conversion, defaults, required, validation.
    pub(super) fn bind_variables(
        &self,
        module: usize,
        path: &[String],
        mut provided: IndexMap<String, ProvidedValue>,
        call_span: Option<Span>,
    ) -> IndexMap<String, Resolved> {
        let mut out = IndexMap::new();
        for (name, decl) in &self.decls[module].variables {
            let given = provided.shift_remove(name);
            let was_provided = given.is_some();
            let resolved = self.bind_variable(module, decl, given, call_span);
            self.variables.borrow_mut().push(model::Variable {
                name: name.clone(),
                module_path: path.to_vec(),
                value: resolved.value.clone(),
                sensitive: resolved.sensitive,
                provided: was_provided,
                span: decls::label_span(decl.block.file, decl.block.node, 0),
            });
            out.insert(name.clone(), resolved);
        }
        out
    }

    pub(super) fn bind_variable(
        &self,
        module: usize,
        decl: &VariableDecl,
        given: Option<ProvidedValue>,
        call_span: Option<Span>,
    ) -> Resolved {
        let file = decl.block.file;
        let body = &decl.block.node.body;
        let label = decls::label_span(file, decl.block.node, 0);
        let base_dir = self.modules[module].dir.as_path();
        let sensitive = literal_bool(body, "sensitive").unwrap_or(false);
        let ty = match body.get_attribute("type") {
            Some(attr) => match types::parse_type(&attr.value) {
                Ok(t) => t,
                Err(e) => {
                    let at = e.span.map_or_else(
                        || Span::from_opt(file, attr.value.span()),
                        |r| Span::new(file, r),
                    );
                    self.report(diagnostics::variables::invalid_type(
                        &decl.name, &e.message, at,
                    ));
                    Type::Any
                }
            },
            None => Type::Any,
        };
        let mut deps = Vec::new();
        let mut sensitive = sensitive;
        let (value, span, from_call) = match given {
            Some(p) => {
                deps = p.deps;
                sensitive |= p.sensitive;
                let value = if p.raw {
                    parse_raw(&p.value, &ty)
                } else {
                    p.value
                };
                (value, p.span, p.from_module_call)
            }
            None => match body.get_attribute("default") {
                Some(attr) => {
                    let scope = EmptyScope;
                    let mut ev = Evaluator::new(&scope, file, base_dir);
                    match ev.eval(&attr.value) {
                        Ok(v) => (v, Span::from_opt(file, attr.value.span()), false),
                        Err(d) => {
                            self.report(d.with_help("a variable's default must be a literal value; it cannot refer to other variables"));
                            return Resolved {
                                value: Value::Unknown,
                                sensitive,
                                deps: Vec::new(),
                            };
                        }
                    }
                }
                None => {
                    self.report(match call_span {
                        Some(call) => diagnostics::modules::missing_input(&decl.name, call, label),
                        None => {
                            diagnostics::variables::required_variable_not_set(&decl.name, label)
                        }
                    });
                    return Resolved {
                        value: Value::Unknown,
                        sensitive,
                        deps: Vec::new(),
                    };
                }
            },
        };
        // Never point into a sensitive value's text: the snippet would show it.
        let span = if sensitive { label } else { span };
        let value = match types::convert(&value, &ty).map_err(|e| match sensitive {
            true => e.hiding(&value),
            false => e,
        }) {
            Ok(v) => v,
            Err(e) => {
                let place = if e.path.is_empty() {
                    String::new()
                } else {
                    format!(" at `{}`", e.path_display())
                };
                let ty = ty.to_string();
                self.report(if from_call {
                    diagnostics::modules::input_type_mismatch(
                        &decl.name, &ty, &place, &e.message, span, label,
                    )
                } else {
                    diagnostics::variables::value_type_mismatch(
                        &decl.name, &ty, &place, &e.message, span, label,
                    )
                });
                return Resolved {
                    value: Value::Unknown,
                    sensitive,
                    deps: Vec::new(),
                };
            }
        };
        for validation in body
            .blocks()
            .filter(|b| b.ident.value().as_str() == "validation")
        {
            let Some(cond) = validation.body.get_attribute("condition") else {
                continue;
            };
            let scope = OneVariable {
                name: &decl.name,
                value: &value,
            };
            let mut ev = Evaluator::new(&scope, file, base_dir);
            match ev.eval(&cond.value) {
                Ok(Value::Bool(true)) | Ok(Value::Unknown) => {}
                Ok(Value::Bool(false)) => {
                    let message = validation
                        .body
                        .get_attribute("error_message")
                        .and_then(|a| a.value.as_str().map(str::to_string))
                        .unwrap_or_else(|| "the validation condition is false".into());
                    let shown = if sensitive {
                        "(sensitive value)".to_string()
                    } else {
                        value.to_string()
                    };
                    self.report(diagnostics::variables::validation_failed(
                        &decl.name,
                        &message,
                        &shown,
                        span,
                        Span::from_opt(file, cond.value.span()),
                    ));
                }
                Ok(other) => self.report(diagnostics::expressions::validation_not_bool(
                    other.type_name(),
                    Span::from_opt(file, cond.value.span()),
                )),
                Err(d) => self.report(d),
            }
        }
        Resolved {
            value,
            sensitive,
            deps,
        }
    }
}

/// Text from `--var` or the environment: a string for primitive types, an HCL expression
/// for collection types (as Terraform does).
pub(super) fn parse_raw(value: &Value, ty: &Type) -> Value {
    let Value::String(text) = value else {
        return value.clone();
    };
    match ty {
        Type::String | Type::Number | Type::Bool => value.clone(),
        _ => match hcl_edit::parser::parse_expr(text) {
            Ok(expr) => {
                let scope = EmptyScope;
                let mut ev = Evaluator::new(&scope, FileId(0), Path::new("."));
                ev.eval(&expr).unwrap_or_else(|_| value.clone())
            }
            Err(_) => value.clone(),
        },
    }
}
