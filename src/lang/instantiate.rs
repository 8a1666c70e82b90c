//! Module instantiation: from parsed module directories to the evaluated [`Manifest`].
//!
//! 1. [`load_modules`] reads the root directory and, following `module` blocks, every module
//!    directory (each once), and rejects modules that include themselves.
//! 2. [`evaluate`] binds the root variables from defaults, `AMLPLAN_VAR_*`, var files and
//!    `--var`, then instantiates the root module. Locals, module outputs and the shapes of
//!    repeated resources are evaluated lazily, on first use, with cycle detection; then every
//!    resource instance's body is evaluated into a [`model::Resource`].

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};
use indexmap::IndexMap;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::lang::decls::{self, Decls, ResourceDecl, VariableDecl};
use crate::lang::eval::{Evaluator, Repetition, Resolved, Scope};
use crate::lang::types::{self, Type};
use crate::lang::value::{Reference, Value};
use crate::load::{self, ParsedFile};
use crate::model::{self, InstanceKey, Manifest};
use crate::source::{FileId, SourceFile, Sources, Span};

/// Values for root variables from outside the manifest.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `AMLPLAN_VAR_name` environment variables, as `(name, value)`.
    pub env: Vec<(String, String)>,
    /// `--var-file` paths, in the order given.
    pub var_files: Vec<PathBuf>,
    /// `--var name=value`, in the order given.
    pub vars: Vec<(String, String)>,
    /// Attributes known only after apply that this run knows (resource address → attribute
    /// → value), read from ARM by apply before it re-evaluates a resource that needs them.
    pub known: BTreeMap<String, BTreeMap<String, Value>>,
}

impl Inputs {
    /// Reads `AMLPLAN_VAR_*` from the process environment.
    pub fn from_env() -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = std::env::vars()
            .filter_map(|(k, v)| k.strip_prefix("AMLPLAN_VAR_").map(|n| (n.to_string(), v)))
            .collect();
        env.sort();
        env
    }
}

/// One module directory, parsed.
#[derive(Debug)]
pub struct ModuleDir {
    pub dir: PathBuf,
    pub files: Vec<ParsedFile>,
    /// For each `module` block: the index of the directory it instantiates, or `None` if its
    /// source is missing, invalid or includes itself (already diagnosed).
    pub calls: HashMap<String, Option<usize>>,
}

/// Loads the root directory and every module directory it uses, transitively.
pub fn load_modules(
    root: &Path,
    display_root: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Vec<ModuleDir> {
    let mut modules: Vec<ModuleDir> = Vec::new();
    let root_dir = crate::fs::current()
        .canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf());
    let files = load::load_dir(root, display_root, sources, diags);
    modules.push(ModuleDir {
        dir: root_dir,
        files,
        calls: HashMap::new(),
    });
    let mut next = 0;
    while next < modules.len() {
        let mut calls = HashMap::new();
        let mut to_load: Vec<PathBuf> = Vec::new();
        for parsed in &modules[next].files {
            for block in parsed
                .body
                .blocks()
                .filter(|b| b.ident.value().as_str() == "module")
            {
                let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                    continue;
                };
                let target = match decls::literal_string(parsed.file, &block.body, "source") {
                    None => {
                        // Missing `source` is reported by the module-call check.
                        calls.insert(name, None);
                        continue;
                    }
                    Some(Err(span)) => {
                        diags.push(
                            Diagnostic::new(Code::E0801, "a module `source` must be a string literal")
                                .at(span, "not a literal string")
                                .with_help("module sources are resolved before any expression is evaluated, so write the path directly: source = \"../modules/x\""),
                        );
                        calls.insert(name, None);
                        continue;
                    }
                    Some(Ok((source, span))) => {
                        let path = modules[next].dir.join(&source);
                        match crate::fs::current().canonicalize(&path) {
                            Ok(p) if crate::fs::current().is_dir(&p) => p,
                            _ => {
                                diags.push(
                                    Diagnostic::new(
                                        Code::E0801,
                                        format!("module source `{source}` is not a directory"),
                                    )
                                    .at(span, "no such directory")
                                    .with_help("a local module source is a directory path relative to the file's directory"),
                                );
                                calls.insert(name, None);
                                continue;
                            }
                        }
                    }
                };
                let index = match modules.iter().position(|m| m.dir == target) {
                    Some(i) => i,
                    None => match to_load.iter().position(|p| *p == target) {
                        Some(i) => modules.len() + i,
                        None => {
                            to_load.push(target.clone());
                            modules.len() + to_load.len() - 1
                        }
                    },
                };
                calls.insert(name, Some(index));
            }
        }
        modules[next].calls = calls;
        for dir in to_load {
            let files = load::load_dir(&dir, display_root, sources, diags);
            modules.push(ModuleDir {
                dir,
                files,
                calls: HashMap::new(),
            });
        }
        next += 1;
    }
    reject_self_inclusion(&mut modules, diags);
    modules
}

/// A module that includes itself, directly or through others, would expand forever: cut
/// such calls and report each at its `source`.
fn reject_self_inclusion(modules: &mut [ModuleDir], diags: &mut Diagnostics) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        i: usize,
        modules: &mut [ModuleDir],
        marks: &mut [Mark],
        stack: &mut Vec<usize>,
        diags: &mut Diagnostics,
    ) {
        marks[i] = Mark::Active;
        stack.push(i);
        let mut calls: Vec<(String, usize)> = modules[i]
            .calls
            .iter()
            .filter_map(|(n, c)| c.map(|c| (n.clone(), c)))
            .collect();
        calls.sort();
        for (name, child) in calls {
            match marks[child] {
                Mark::Active => {
                    let span = call_source_span(&modules[i], &name);
                    let chain: Vec<String> = stack
                        [stack.iter().position(|m| *m == child).unwrap_or(0)..]
                        .iter()
                        .map(|m| {
                            modules[*m]
                                .dir
                                .file_name()
                                .map_or_else(|| ".".into(), |n| n.to_string_lossy().into_owned())
                        })
                        .collect();
                    let mut d = Diagnostic::new(
                        Code::E0805,
                        format!(
                            "module `{name}` includes itself ({} -> {})",
                            chain.join(" -> "),
                            chain[0]
                        ),
                    )
                    .with_help("a module cannot use itself, directly or through other modules");
                    if let Some(span) = span {
                        d = d.at(
                            span,
                            "this source leads back to a module that is already being expanded",
                        );
                    }
                    diags.push(d);
                    modules[i].calls.insert(name, None);
                }
                Mark::New => visit(child, modules, marks, stack, diags),
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[i] = Mark::Done;
    }
    let mut marks = vec![Mark::New; modules.len()];
    let mut stack = Vec::new();
    if !modules.is_empty() {
        visit(0, modules, &mut marks, &mut stack, diags);
    }
}

fn call_source_span(module: &ModuleDir, name: &str) -> Option<Span> {
    module.files.iter().find_map(|f| {
        f.body
            .blocks()
            .filter(|b| {
                b.ident.value().as_str() == "module"
                    && b.labels.first().is_some_and(|l| l.as_str() == name)
            })
            .find_map(|b| {
                decls::literal_string(f.file, &b.body, "source")
                    .and_then(|r| r.ok())
                    .map(|(_, s)| s)
            })
    })
}

/// Evaluates the loaded modules into the manifest.
pub fn evaluate(
    modules: &[ModuleDir],
    inputs: &Inputs,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Manifest {
    if modules.is_empty() {
        return Manifest::default();
    }
    let mut all_decls = Vec::with_capacity(modules.len());
    for (i, m) in modules.iter().enumerate() {
        let d = decls::collect(&m.files, diags);
        check_module_only_blocks(i, &d, diags);
        all_decls.push(d);
    }
    let provided = root_inputs(&all_decls[0], inputs, sources, diags);
    let ctx = Ctx {
        known: &inputs.known,
        modules,
        decls: &all_decls,
        diags: RefCell::new(Diagnostics::new()),
        resources: RefCell::new(Vec::new()),
        variables: RefCell::new(Vec::new()),
        sources,
    };
    let vars = ctx.bind_variables(0, &[], provided, None);
    let root = Rc::new(Instance::new(&ctx, 0, Vec::new(), vars));
    root.finish();
    let mut manifest = Manifest {
        azure: None,
        backend: None,
        variables: Vec::new(),
        outputs: Vec::new(),
        resources: Vec::new(),
        settings: Vec::new(),
    };
    let root_decls = &all_decls[0];
    match root_decls.azure.as_slice() {
        [] => {
            let mut d = Diagnostic::new(Code::E0208, "the manifest has no `azure` block")
                .with_help("add one: azure { subscription_id = \"...\", resource_group = \"...\", location = \"eastus\" }");
            if let Some(f) = modules[0].files.first() {
                d = d.at(
                    Span::new(f.file, 0..0),
                    "expected an `azure` block in this directory",
                );
            }
            ctx.diags.borrow_mut().push(d);
        }
        [first, rest @ ..] => {
            for extra in rest {
                ctx.diags.borrow_mut().push(
                    Diagnostic::new(Code::E0208, "the manifest has more than one `azure` block")
                        .at(
                            decls::block_span(extra.file, extra.node),
                            "another `azure` block",
                        )
                        .with_secondary(decls::block_span(first.file, first.node), "the first one"),
                );
            }
            manifest.azure = Some(root.eval_block(first.file, first.node, &Repetition::None));
        }
    }
    match root_decls.backend.as_slice() {
        [] => {}
        [first, rest @ ..] => {
            for extra in rest {
                ctx.diags.borrow_mut().push(
                    Diagnostic::new(
                        Code::E0206,
                        "the manifest has more than one `backend` block",
                    )
                    .at(
                        decls::block_span(extra.file, extra.node),
                        "another `backend` block",
                    )
                    .with_secondary(decls::block_span(first.file, first.node), "the first one"),
                );
            }
            manifest.backend = Some(root.eval_block(first.file, first.node, &Repetition::None));
        }
    }
    for s in &root_decls.settings {
        manifest
            .settings
            .push(root.eval_block(s.file, s.node, &Repetition::None));
    }
    for (name, out) in &root_decls.outputs {
        let resolved = root.output(name, decls::label_span(out.file, out.node, 0));
        let value_attr = out.node.body.get_attribute("value");
        let (value_span, deps) = match value_attr {
            Some(a) => {
                let mut ev = root.evaluator(out.file, Repetition::None);
                let _ = ev.eval(&a.value);
                (Span::from_opt(out.file, a.value.span()), ev.deps)
            }
            None => (decls::label_span(out.file, out.node, 0), Vec::new()),
        };
        let (value, sensitive) = match resolved {
            Ok(r) => (r.value, r.sensitive),
            Err(_) => (Value::Unknown, false),
        };
        let declared_sensitive = literal_bool(&out.node.body, "sensitive").unwrap_or(false);
        let description = out
            .node
            .body
            .get_attribute("description")
            .and_then(|a| a.value.as_str().map(str::to_string));
        manifest.outputs.push(model::Output {
            name: name.clone(),
            value,
            sensitive: sensitive || declared_sensitive,
            description,
            span: decls::label_span(out.file, out.node, 0),
            value_span,
            deps,
        });
    }
    drop(root);
    manifest.resources = ctx.resources.take();
    manifest.variables = ctx.variables.take();
    diags.extend(ctx.diags.take());
    manifest
}

/// `azure`, `backend`, `budget`, `prices` and `review` belong to the root module only.
fn check_module_only_blocks(module: usize, d: &Decls, diags: &mut Diagnostics) {
    if module == 0 {
        return;
    }
    for b in d.azure.iter().chain(&d.backend).chain(&d.settings) {
        let kind = b.node.ident.value().as_str();
        diags.push(
            Diagnostic::new(Code::E0807, format!("a `{kind}` block is not allowed inside a module"))
                .at(decls::block_span(b.file, b.node), "only the root manifest may have this")
                .with_help(format!("move the `{kind}` block to the root manifest; a module inherits the root's settings")),
        );
    }
}

fn literal_bool(body: &Body, key: &str) -> Option<bool> {
    body.get_attribute(key).and_then(|a| a.value.as_bool())
}

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
fn root_inputs(
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
                diags.push(Diagnostic::new(
                    Code::E0102,
                    format!("cannot read var file `{display}`: {e}"),
                ));
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
                        if check_declared(decls, &name, span, Code::E0405, diags, false) {
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
                Ok(_) => diags.push(
                    Diagnostic::new(
                        Code::E0101,
                        format!("var file `{display}` must hold a JSON object"),
                    )
                    .at(Span::new(id, 0..0), "not an object"),
                ),
                Err(e) => {
                    let offset = line_col_offset(&sources.get(id).text, e.line(), e.column());
                    diags.push(
                        Diagnostic::new(Code::E0101, format!("syntax error in var file: {e}"))
                            .at(Span::new(id, offset..offset), "here"),
                    );
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
                    if !check_declared(decls, &name, key_span, Code::E0405, diags, false) {
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
                Structure::Block(b) => diags.push(
                    Diagnostic::new(
                        Code::E0204,
                        "a var file holds only `name = value` attributes",
                    )
                    .at(decls::block_span(id, b), "unexpected block"),
                ),
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
        if !check_declared(decls, name, name_span, Code::E0405, diags, false) {
            continue;
        }
        let mut p = raw_value(value, id);
        p.span = Span::new(id, name.len() + 1..name.len() + 1 + value.len());
        provided.insert(name.clone(), p);
    }
    provided
}

fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

fn raw_value(text: &str, file: FileId) -> ProvidedValue {
    ProvidedValue {
        value: Value::String(text.to_string()),
        span: Span::new(file, 0..text.len()),
        sensitive: false,
        from_module_call: false,
        raw: true,
        deps: Vec::new(),
    }
}

fn check_declared(
    decls: &Decls,
    name: &str,
    span: Span,
    code: Code,
    diags: &mut Diagnostics,
    warn_only: bool,
) -> bool {
    if decls.variables.contains_key(name) {
        return true;
    }
    let mut d = Diagnostic::new(
        code,
        format!("a value was given for undeclared variable `{name}`"),
    )
    .at(span, "no variable block declares this");
    if warn_only {
        d = d.with_severity(crate::diagnostic::Severity::Warning);
    }
    if let Some(h) = did_you_mean(name, decls.variables.keys().map(String::as_str)) {
        d = d.with_help(h);
    }
    diags.push(d);
    false
}

struct Ctx<'a> {
    known: &'a BTreeMap<String, BTreeMap<String, Value>>,
    modules: &'a [ModuleDir],
    decls: &'a [Decls<'a>],
    diags: RefCell<Diagnostics>,
    resources: RefCell<Vec<model::Resource>>,
    variables: RefCell<Vec<model::Variable>>,
    sources: &'a Sources,
}

impl<'a> Ctx<'a> {
    fn report(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }

    /// Binds a module's variables: type conversion, defaults, required, validation.
    fn bind_variables(
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

    fn bind_variable(
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
                    self.report(
                        Diagnostic::new(Code::E0404, format!("invalid type for variable `{}`: {}", decl.name, e.message))
                            .at(at, "not a type")
                            .with_help("types are string, number, bool, any, list(T), set(T), map(T), tuple([...]) and object({...})"),
                    );
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
                    let mut d = Diagnostic::new(
                        Code::E0403,
                        format!("required variable `{}` is not set", decl.name),
                    );
                    match call_span {
                        Some(call) => {
                            d = Diagnostic::new(
                                Code::E0803,
                                format!(
                                    "the module call does not set required input `{}`",
                                    decl.name
                                ),
                            )
                            .at(call, format!("`{}` is missing here", decl.name))
                            .with_secondary(label, "declared here without a default")
                            .with_help(format!("add `{} = ...` to the module block", decl.name));
                        }
                        None => {
                            d = d.at(label, "declared without a default").with_help(format!(
                                "set it with --var {name}=VALUE, a --var-file, or AMLPLAN_VAR_{name}; or give it a default",
                                name = decl.name
                            ));
                        }
                    }
                    self.report(d);
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
                let code = if from_call { Code::E0804 } else { Code::E0401 };
                let place = if e.path.is_empty() {
                    String::new()
                } else {
                    format!(" at `{}`", e.path_display())
                };
                self.report(
                    Diagnostic::new(
                        code,
                        format!(
                            "the value for `{}` does not match its type {ty}{place}: {}",
                            decl.name, e.message
                        ),
                    )
                    .at(span, format!("expected {ty}"))
                    .with_secondary(label, "the variable is declared here"),
                );
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
                    self.report(
                        Diagnostic::new(
                            Code::E0402,
                            format!("invalid value for `{}`: {message}", decl.name),
                        )
                        .at(span, format!("this value ({shown}) fails validation"))
                        .with_secondary(
                            Span::from_opt(file, cond.value.span()),
                            "the condition that failed",
                        ),
                    );
                }
                Ok(other) => self.report(
                    Diagnostic::new(
                        Code::E0305,
                        format!(
                            "a validation condition must be a bool, got {}",
                            other.type_name()
                        ),
                    )
                    .at(Span::from_opt(file, cond.value.span()), "not a bool"),
                ),
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
fn parse_raw(value: &Value, ty: &Type) -> Value {
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

enum Slot<T> {
    InProgress,
    Done(T),
}

/// How a resource block repeats.
#[derive(Debug, Clone)]
enum Shape {
    Single,
    Each(BTreeMap<String, Value>),
    Count(usize),
    /// Its `for_each`/`count` had an error (reported).
    Broken,
}

struct Instance<'a> {
    ctx: &'a Ctx<'a>,
    module: usize,
    path: Vec<String>,
    prefix: String,
    vars: IndexMap<String, Resolved>,
    locals: RefCell<HashMap<String, Slot<Option<Resolved>>>>,
    outputs: RefCell<HashMap<String, Slot<Option<Resolved>>>>,
    children: RefCell<HashMap<String, Slot<Option<Rc<Instance<'a>>>>>>,
    shapes: RefCell<HashMap<(String, String), Slot<Shape>>>,
}

impl<'a> Instance<'a> {
    fn new(
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
        }
    }

    fn decls(&self) -> &'a Decls<'a> {
        &self.ctx.decls[self.module]
    }

    fn dir(&self) -> &'a Path {
        &self.ctx.modules[self.module].dir
    }

    fn evaluator(&self, file: FileId, repetition: Repetition) -> Evaluator<'_> {
        Evaluator::new(self, file, self.dir()).with_repetition(repetition)
    }

    /// Evaluates everything not yet evaluated: all locals (for their errors), all child
    /// modules, all resources and all outputs.
    fn finish(&self) {
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

    fn output(&self, name: &str, span: Span) -> Result<Resolved, Diagnostic> {
        match self.outputs.borrow().get(name) {
            Some(Slot::Done(r)) => return Ok(r.clone().unwrap_or(Resolved::plain(Value::Unknown))),
            Some(Slot::InProgress) => {
                return Err(Diagnostic::new(
                    Code::E0310,
                    format!("output `{name}` depends on itself"),
                )
                .at(span, "this reference closes a cycle"));
            }
            None => {}
        }
        let Some(out) = self.decls().outputs.get(name) else {
            let names: Vec<&str> = self.decls().outputs.keys().map(String::as_str).collect();
            let mut d = Diagnostic::new(Code::E0806, format!("the module has no output `{name}`"))
                .at(span, "no such output");
            if let Some(h) = did_you_mean(name, names.iter().copied()) {
                d = d.with_help(h);
            } else if !names.is_empty() {
                d = d.with_help(format!("its outputs are: {}", names.join(", ")));
            }
            return Err(d);
        };
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

    fn child(&self, name: &str) -> Result<Option<Rc<Instance<'a>>>, Diagnostic> {
        match self.children.borrow().get(name) {
            Some(Slot::Done(c)) => return Ok(c.clone()),
            Some(Slot::InProgress) => {
                let call = &self.decls().modules[name];
                return Err(Diagnostic::new(
                    Code::E0310,
                    format!("the inputs of module `{name}` depend on its own outputs"),
                )
                .at(
                    decls::label_span(call.block.file, call.block.node, 0),
                    "this module is part of a cycle",
                ));
            }
            None => {}
        }
        let Some(call) = self.decls().modules.get(name) else {
            return Ok(None);
        };
        self.children
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        if call.block.node.body.get_attribute("source").is_none() {
            self.ctx.report(
                Diagnostic::new(Code::E0205, format!("module `{name}` has no `source`"))
                    .at(
                        decls::header_span(call.block.file, call.block.node),
                        "missing `source`",
                    )
                    .with_help("add source = \"<path to the module directory>\""),
            );
        }
        let target = self.ctx.modules[self.module]
            .calls
            .get(name)
            .copied()
            .flatten();
        let instance = target.map(|target| {
            let provided = self.module_inputs(call, target);
            let mut path = self.path.clone();
            path.push(name.to_string());
            let header = decls::header_span(call.block.file, call.block.node);
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
    fn module_inputs(
        &self,
        call: &decls::ModuleCallDecl,
        target: usize,
    ) -> IndexMap<String, ProvidedValue> {
        let file = call.block.file;
        let body = &call.block.node.body;
        let target_vars = &self.ctx.decls[target].variables;
        let mut provided = IndexMap::new();
        if body.get_attribute("source").is_none() {
            self.ctx.report(
                Diagnostic::new(
                    Code::E0205,
                    format!("module `{}` has no `source`", call.name),
                )
                .at(
                    decls::header_span(file, call.block.node),
                    "missing `source`",
                )
                .with_help("add source = \"<path to the module directory>\""),
            );
        }
        for attr in body.attributes() {
            let key = attr.key.value().as_str();
            if matches!(key, "source" | "depends_on" | "version" | "providers") {
                continue;
            }
            let key_span = Span::from_opt(file, attr.key.span());
            if matches!(key, "for_each" | "count") {
                self.ctx.report(
                    Diagnostic::new(
                        Code::E0308,
                        format!("`{key}` is not supported on module blocks"),
                    )
                    .at(key_span, "not supported here")
                    .with_help("repeat the resources inside the module instead"),
                );
                continue;
            }
            if !target_vars.contains_key(key) {
                let mut d = Diagnostic::new(
                    Code::E0802,
                    format!("module `{}` has no input `{key}`", call.name),
                )
                .at(key_span, "unknown input");
                if let Some(h) = did_you_mean(key, target_vars.keys().map(String::as_str)) {
                    d = d.with_help(h);
                } else if target_vars.is_empty() {
                    d = d.with_help("the module declares no variables");
                } else {
                    d = d.with_help(format!(
                        "its inputs are: {}",
                        target_vars
                            .keys()
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                self.ctx.report(d);
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

    fn shape(&self, decl: &ResourceDecl) -> Result<Shape, Diagnostic> {
        let key = (decl.schema.kind.to_string(), decl.label.clone());
        match self.shapes.borrow().get(&key) {
            Some(Slot::Done(s)) => return Ok(s.clone()),
            Some(Slot::InProgress) => {
                return Err(Diagnostic::new(
                    Code::E0308,
                    format!(
                        "the `for_each` or `count` of `{}.{}` depends on the resource itself",
                        decl.schema.kind, decl.label
                    ),
                )
                .at(
                    decls::header_span(decl.block.file, decl.block.node),
                    "part of a cycle",
                ));
            }
            None => {}
        }
        self.shapes
            .borrow_mut()
            .insert(key.clone(), Slot::InProgress);
        let shape = self.compute_shape(decl);
        self.shapes
            .borrow_mut()
            .insert(key, Slot::Done(shape.clone()));
        Ok(shape)
    }

    fn compute_shape(&self, decl: &ResourceDecl) -> Shape {
        let file = decl.block.file;
        let body = &decl.block.node.body;
        let for_each = body.get_attribute("for_each");
        let count = body.get_attribute("count");
        if let (Some(f), Some(c)) = (for_each, count) {
            self.ctx.report(
                Diagnostic::new(
                    Code::E0308,
                    "a block cannot have both `for_each` and `count`",
                )
                .at(
                    Span::from_opt(file, c.key.span()),
                    "remove this or `for_each`",
                )
                .with_secondary(Span::from_opt(file, f.key.span()), "`for_each` is set here"),
            );
            return Shape::Broken;
        }
        if let Some(attr) = for_each {
            let span = Span::from_opt(file, attr.value.span());
            if matches!(attr.value, Expression::Array(_)) {
                self.ctx.report(
                    Diagnostic::new(Code::E0308, "`for_each` takes a map or a set, not a list")
                        .at(span, "a list literal")
                        .with_help("wrap it in toset([...]): a list may repeat elements, a set's elements are the instance keys"),
                );
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
                self.ctx.report(
                    Diagnostic::new(Code::E0308, "`for_each` cannot use a sensitive value")
                        .at(span, "derived from a sensitive variable")
                        .with_help("instance keys appear in addresses and plans, so they must not be secret"),
                );
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
                                    Diagnostic::new(Code::E0308, format!("`for_each` over a list needs strings, found a {}", other.type_name()))
                                        .at(span, "use toset([...]) of strings, or a map")
                                        .with_help("a list of non-strings has no stable keys; use a map from names to values"),
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
                    self.ctx.report(
                        Diagnostic::new(Code::E0308, "`for_each` must be known before apply")
                            .at(span, "depends on values known only after apply")
                            .with_help("instance keys must be known at plan time; use names from variables or locals"),
                    );
                    Shape::Broken
                }
                other => {
                    self.ctx.report(
                        Diagnostic::new(
                            Code::E0308,
                            format!(
                                "`for_each` needs a map or a set of strings, got {}",
                                other.type_name()
                            ),
                        )
                        .at(span, "not a map or set"),
                    );
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
                        self.ctx.report(
                            Diagnostic::new(Code::E0308, "`count` must be known before apply")
                                .at(span, "depends on values known only after apply"),
                        );
                        Shape::Broken
                    }
                    _ => {
                        self.ctx.report(
                            Diagnostic::new(
                                Code::E0308,
                                format!("`count` must be a whole number of at least 0, got {v}"),
                            )
                            .at(span, "invalid count"),
                        );
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

    fn address(&self, kind: &str, label: &str, key: Option<&InstanceKey>) -> String {
        match key {
            Some(k) => format!("{}{kind}.{label}{k}", self.prefix),
            None => format!("{}{kind}.{label}", self.prefix),
        }
    }

    fn reference(&self, kind: &str, label: &str, key: Option<&InstanceKey>) -> Value {
        Value::Ref(Reference {
            address: self.address(kind, label, key),
            kind: kind.to_string(),
            attr: Vec::new(),
        })
    }

    fn eval_resource(&self, decl: &ResourceDecl) {
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
            self.ctx.resources.borrow_mut().push(model::Resource {
                schema: decl.schema,
                address: self.address(kind, &decl.label, key.as_ref()),
                module_path: self.path.clone(),
                label: decl.label.clone(),
                key,
                name,
                name_span,
                span: decls::block_span(file, block),
                label_span,
                body,
            });
        }
    }

    /// Evaluates a block (one not repeated) into the model.
    fn eval_block(&self, file: FileId, block: &Block, repetition: &Repetition) -> model::Block {
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

    fn eval_body(
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
    fn eval_lifecycle(&self, file: FileId, block: &Block, repetition: &Repetition) -> model::Block {
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

impl Scope for Instance<'_> {
    fn variable(&self, name: &str) -> Option<Resolved> {
        self.vars.get(name).cloned()
    }

    fn local(&self, name: &str, span: Span) -> Option<Result<Resolved, Diagnostic>> {
        match self.locals.borrow().get(name) {
            Some(Slot::Done(r)) => {
                return Some(Ok(r.clone().unwrap_or(Resolved::plain(Value::Unknown))));
            }
            Some(Slot::InProgress) => {
                return Some(Err(Diagnostic::new(Code::E0310, format!("local value `{name}` depends on itself"))
                    .at(span, "this reference closes the cycle")
                    .with_help("break the cycle: a local cannot refer to itself, directly or through other locals")));
            }
            None => {}
        }
        let decl = self.decls().locals.get(name)?;
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

    fn module_output(
        &self,
        module: &str,
        output: &str,
        span: Span,
    ) -> Result<Resolved, Diagnostic> {
        match self.child(module)? {
            Some(child) => child.output(output, span),
            // The call itself is broken (reported there): its outputs are unknown.
            None => Ok(Resolved::plain(Value::Unknown)),
        }
    }

    fn resource(&self, kind: &str, label: &str, _span: Span) -> Option<Result<Value, Diagnostic>> {
        let decl = self
            .decls()
            .resources
            .get(&(kind.to_string(), label.to_string()))?;
        Some(self.shape(decl).map(|shape| {
            match shape {
                Shape::Single => self.reference(kind, label, None),
                Shape::Broken => Value::Unknown,
                Shape::Each(map) => Value::Map(
                    map.keys()
                        .map(|k| {
                            (
                                k.clone(),
                                self.reference(kind, label, Some(&InstanceKey::Key(k.clone()))),
                            )
                        })
                        .collect(),
                ),
                Shape::Count(n) => Value::List(
                    (0..n)
                        .map(|i| self.reference(kind, label, Some(&InstanceKey::Index(i))))
                        .collect(),
                ),
            }
        }))
    }

    fn is_resource_kind(&self, kind: &str) -> bool {
        crate::schema::kind(kind).is_some()
    }

    fn variable_names(&self) -> Vec<String> {
        self.vars.keys().cloned().collect()
    }

    fn local_names(&self) -> Vec<String> {
        self.decls().locals.keys().cloned().collect()
    }

    fn resource_labels(&self, kind: &str) -> Vec<String> {
        self.decls()
            .resources
            .keys()
            .filter(|(k, _)| k == kind)
            .map(|(_, l)| l.clone())
            .collect()
    }

    fn module_names(&self) -> Vec<String> {
        self.decls().modules.keys().cloned().collect()
    }

    fn known_attribute(&self, address: &str, attr: &str) -> Option<Value> {
        self.ctx.known.get(address)?.get(attr).cloned()
    }
}

/// A scope with no names: for variable defaults and var files, which must be literals.
struct EmptyScope;

impl Scope for EmptyScope {
    fn variable(&self, _: &str) -> Option<Resolved> {
        None
    }
    fn local(&self, _: &str, _: Span) -> Option<Result<Resolved, Diagnostic>> {
        None
    }
    fn module_output(&self, module: &str, _: &str, span: Span) -> Result<Resolved, Diagnostic> {
        Err(Diagnostic::new(
            Code::E0601,
            format!("`module.{module}` cannot be used here"),
        )
        .at(span, "only literal values are allowed here"))
    }
    fn resource(&self, _: &str, _: &str, _: Span) -> Option<Result<Value, Diagnostic>> {
        None
    }
    fn is_resource_kind(&self, kind: &str) -> bool {
        crate::schema::kind(kind).is_some()
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

/// The scope of a variable's validation condition: only the variable itself.
struct OneVariable<'v> {
    name: &'v str,
    value: &'v Value,
}

impl Scope for OneVariable<'_> {
    fn variable(&self, name: &str) -> Option<Resolved> {
        (name == self.name).then(|| Resolved::plain(self.value.clone()))
    }
    fn local(&self, _: &str, _: Span) -> Option<Result<Resolved, Diagnostic>> {
        None
    }
    fn module_output(&self, module: &str, _: &str, span: Span) -> Result<Resolved, Diagnostic> {
        EmptyScope.module_output(module, "", span)
    }
    fn resource(&self, _: &str, _: &str, _: Span) -> Option<Result<Value, Diagnostic>> {
        None
    }
    fn is_resource_kind(&self, kind: &str) -> bool {
        crate::schema::kind(kind).is_some()
    }
    fn variable_names(&self) -> Vec<String> {
        vec![self.name.to_string()]
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
