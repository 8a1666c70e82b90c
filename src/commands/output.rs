//! `amlplan output`: the root module's outputs as recorded by the last apply.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use crate::cli::{DiagnosticFormat, OutputArgs};
use crate::state::OutputState;

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

/// An output's value as `amlplan output` prints it: strings quoted, other values as JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        v => v.to_string(),
    }
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
            shown(&o.value)
        };
        if asked.is_some() {
            let _ = writeln!(out, "{}", shown);
        } else {
            let _ = writeln!(out, "{name:<width$} = {shown}");
        }
    }
    out
}

fn manifest_args(args: &OutputArgs) -> crate::cli::ManifestArgs {
    crate::cli::ManifestArgs {
        dir: args.dir.clone(),
        vars: Vec::new(),
        var_files: Vec::new(),
        deny_warnings: false,
    }
}

fn style() -> crate::render::human::Style {
    super::style(
        crate::cli::ColorChoice::Auto,
        crate::cli::DEFAULT_MAX_ERRORS,
    )
}

/// Before the first apply there is no state: the outputs that depend on no resource are
/// known from the manifest alone; the others are known only after apply, and asking for one
/// of those by name is E0913.
fn before_apply(args: &OutputArgs) -> u8 {
    let Some(compilation) = super::pipeline::compile_only(
        &manifest_args(args),
        super::pipeline::Reporter::Human(style()),
    ) else {
        return EXIT_ERROR;
    };
    let outputs = &compilation.manifest.outputs;
    if let Some(name) = &args.name {
        let Some(output) = outputs.iter().find(|o| &o.name == name) else {
            return fail(&diag::no_such_output(
                name,
                outputs.iter().map(|o| o.name.as_str()),
            ));
        };
        let Some(value) = crate::plan::outputs::value_before_apply(&output.value) else {
            return fail(&diag::output_known_after_apply(name));
        };
        match args.format {
            DiagnosticFormat::Json => crate::render::stdout::println(
                &serde_json::json!({name.as_str(): {"value": value, "sensitive": output.sensitive}})
                    .to_string(),
            ),
            DiagnosticFormat::Human => crate::render::stdout::println(&shown(&value)),
        }
        return EXIT_OK;
    }
    if outputs.is_empty() {
        crate::render::stderr::println(format_args!(
            "The manifest declares no outputs, and nothing has been applied yet."
        ));
        return EXIT_OK;
    }
    match args.format {
        DiagnosticFormat::Json => {
            let doc: serde_json::Map<String, Value> = outputs
                .iter()
                .map(|o| {
                    let value = crate::plan::outputs::value_before_apply(&o.value);
                    let shown = match (&value, o.sensitive) {
                        (Some(_), true) => Value::String("(sensitive value)".into()),
                        (v, _) => v.clone().unwrap_or(Value::Null),
                    };
                    (
                        o.name.clone(),
                        serde_json::json!({"value": shown, "sensitive": o.sensitive, "unknown": value.is_none()}),
                    )
                })
                .collect();
            crate::render::stdout::println(&serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        DiagnosticFormat::Human => {
            let width = outputs.iter().map(|o| o.name.len()).max().unwrap_or(0);
            let mut text = String::new();
            for o in outputs {
                let value = match crate::plan::outputs::value_before_apply(&o.value) {
                    None => crate::arm::UNKNOWN_TEXT.to_string(),
                    Some(_) if o.sensitive => "(sensitive value)".to_string(),
                    Some(v) => shown(&v),
                };
                let _ = writeln!(text, "{:<width$} = {value}", o.name);
            }
            crate::render::stdout::print(&text);
            crate::render::stderr::println(format_args!(
                "Nothing has been applied yet: values marked (known after apply) appear after `amlplan apply`."
            ));
        }
    }
    EXIT_OK
}

fn evaluate_again(args: &OutputArgs) -> Option<BTreeMap<String, OutputState>> {
    let manifest = manifest_args(args);
    let style = style();
    let opened = super::pipeline::open(
        &manifest,
        &args.provider,
        None,
        super::pipeline::Reporter::Human(style),
    )?;
    Some(opened.engine.current_outputs(&opened.lowered))
}

pub fn run(args: &OutputArgs) -> u8 {
    let backend = match super::backend::for_state_commands(&args.dir, &args.provider) {
        Ok(backend) => backend,
        Err(d) => return fail(&d),
    };
    let state = match backend.load() {
        Ok(Some(s)) => s,
        Ok(None) => return before_apply(args),
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
