//! Module instantiation: from parsed module directories to the evaluated [`Manifest`].
//!
//! 1. [`load_modules`] reads the root directory and, following `module` blocks, every module
//!    directory (each once), and rejects modules that include themselves.
//! 2. [`evaluate`] binds the root variables from defaults, `AMLPLAN_VAR_*`, var files and
//!    `--var`, then instantiates the root module. Locals, module outputs and the shapes of
//!    repeated resources are evaluated lazily, on first use, with cycle detection; then every
//!    resource instance's body is evaluated into a [`model::Resource`].
//!
//! The job is split along its seams: [`modules`] finds and loads module directories,
//! [`variables`] binds variable values, [`instances`] holds one module instance (its lazy
//! locals, outputs and child modules), [`resources`] evaluates resource blocks into instances,
//! and [`scope`] is how expressions see names.

mod instances;
mod locals;
mod modules;
mod resources;
mod scope;
mod variables;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::structure::Body;

use self::instances::Instance;
use self::variables::root_inputs;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::diagnostics;
use crate::lang::decls::{self, Decls};
use crate::lang::eval::Repetition;
use crate::lang::value::Value;
use crate::model::{self, Manifest};
use crate::source::{Sources, Span};

pub use modules::{ModuleDir, load_modules};
pub use variables::ProvidedValue;

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
        module_instances: std::cell::Cell::new(0),
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
            let start = modules[0].files.first().map(|f| Span::new(f.file, 0..0));
            ctx.diags
                .borrow_mut()
                .push(diagnostics::structure::missing_azure_block(start));
        }
        [first, rest @ ..] => {
            for extra in rest {
                ctx.diags
                    .borrow_mut()
                    .push(diagnostics::structure::repeated_azure_block(
                        decls::block_span(extra.file, extra.node),
                        decls::block_span(first.file, first.node),
                    ));
            }
            manifest.azure = Some(root.eval_block(first.file, first.node, &Repetition::None));
        }
    }
    match root_decls.backend.as_slice() {
        [] => {}
        [first, rest @ ..] => {
            for extra in rest {
                ctx.diags
                    .borrow_mut()
                    .push(diagnostics::structure::repeated_backend_block(
                        decls::block_span(extra.file, extra.node),
                        decls::block_span(first.file, first.node),
                    ));
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
        diags.push(diagnostics::modules::root_only_block(
            kind,
            decls::block_span(b.file, b.node),
        ));
    }
}

fn literal_bool(body: &Body, key: &str) -> Option<bool> {
    body.get_attribute(key).and_then(|a| a.value.as_bool())
}

struct Ctx<'a> {
    known: &'a BTreeMap<String, BTreeMap<String, Value>>,
    modules: &'a [ModuleDir],
    decls: &'a [Decls<'a>],
    diags: RefCell<Diagnostics>,
    resources: RefCell<Vec<model::Resource>>,
    variables: RefCell<Vec<model::Variable>>,
    sources: &'a Sources,
    /// Module instances made so far (bounded: [`crate::lang::depth::MAX_MODULE_INSTANCES`]).
    module_instances: std::cell::Cell<usize>,
}

impl<'a> Ctx<'a> {
    fn report(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }

    /// Counts one more module instance; `false` once the bound is passed (reported once).
    fn another_module_instance(&self, name: &str, span: crate::source::Span) -> bool {
        let made = self.module_instances.get() + 1;
        self.module_instances.set(made);
        if made == crate::lang::depth::MAX_MODULE_INSTANCES + 1 {
            self.report(crate::diagnostics::expressions::too_many_module_instances(
                name, span,
            ));
        }
        made <= crate::lang::depth::MAX_MODULE_INSTANCES
    }
}
