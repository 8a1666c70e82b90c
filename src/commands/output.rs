//! `amlplan output`: the root module's outputs as recorded by the last apply.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use crate::cli::{DiagnosticFormat, OutputArgs};
use crate::state::{LocalBackend, OutputState};

use crate::diagnostics::engine as diag;

use super::{EXIT_ERROR, EXIT_OK};

/// Prints a diagnostic and gives the exit code of a failed command.
fn fail(d: &crate::diagnostic::Diagnostic) -> u8 {
    crate::render::stderr::print(format_args!(
        "{}",
        crate::render::diagnostic_line::render(d)
    ));
    EXIT_ERROR
}

/// `name = value` lines; sensitive values are shown only for the one output asked for by
/// name.
pub fn render_outputs(outputs: &BTreeMap<String, OutputState>, asked: Option<&str>) -> String {
    let mut out = String::new();
    if outputs.is_empty() {
        return out;
    }
    if asked.is_none() {
        out.push_str("\nOutputs:\n\n");
    }
    let width = outputs.keys().map(String::len).max().unwrap_or(0);
    for (name, o) in outputs {
        if asked.is_some_and(|a| a != name) {
            continue;
        }
        let shown = if o.sensitive && asked.is_none() {
            "(sensitive value)".to_string()
        } else {
            match &o.value {
                Value::String(s) => format!("{s:?}"),
                v => v.to_string(),
            }
        };
        if asked.is_some() {
            let _ = writeln!(out, "{}", shown);
        } else {
            let _ = writeln!(out, "{name:<width$} = {shown}");
        }
    }
    out
}

fn evaluate_again(args: &OutputArgs) -> Option<BTreeMap<String, OutputState>> {
    let manifest = crate::cli::ManifestArgs {
        dir: args.dir.clone(),
        vars: Vec::new(),
        var_files: Vec::new(),
        deny_warnings: false,
    };
    let style = super::style(
        crate::cli::ColorChoice::Auto,
        crate::cli::DEFAULT_MAX_ERRORS,
    );
    let opened = super::pipeline::open(
        &manifest,
        &args.provider,
        None,
        super::pipeline::Reporter::Human(style),
    )?;
    Some(opened.engine.current_outputs(&opened.lowered))
}

pub fn run(args: &OutputArgs) -> u8 {
    let path = args
        .provider
        .state
        .clone()
        .unwrap_or_else(|| LocalBackend::default_path(&args.dir));
    let state = match LocalBackend::new(path).load() {
        Ok(Some(s)) => s,
        Ok(None) => return fail(&diag::no_state_yet()),
        Err(e) => return fail(&diag::state(&e)),
    };
    let outputs = state.outputs();
    if let Some(name) = &args.name
        && !outputs.contains_key(name)
    {
        return fail(&diag::no_such_output(
            name,
            outputs.keys().map(String::as_str),
        ));
    }
    // A sensitive output asked for by name is evaluated again (the state never holds it).
    let mut outputs = outputs.clone();
    if let Some(name) = &args.name
        && outputs.get(name).is_some_and(|o| o.sensitive)
    {
        match evaluate_again(args) {
            Some(fresh) => outputs = fresh,
            None => return EXIT_ERROR,
        }
    }
    let outputs = &outputs;
    match args.format {
        DiagnosticFormat::Json => {
            let doc: serde_json::Map<String, Value> = outputs
                .iter()
                .filter(|(n, _)| args.name.as_ref().is_none_or(|a| a == *n))
                .map(|(n, o)| {
                    let value = if o.sensitive && args.name.is_none() {
                        Value::String("(sensitive value)".into())
                    } else {
                        o.value.clone()
                    };
                    (
                        n.clone(),
                        serde_json::json!({"value": value, "sensitive": o.sensitive}),
                    )
                })
                .collect();
            crate::render::stdout::println(&serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        DiagnosticFormat::Human => crate::render::stdout::print(
            &render_outputs(outputs, args.name.as_deref())
                .trim_start_matches('\n')
                .replace("Outputs:\n\n", ""),
        ),
    }
    EXIT_OK
}
