//! Plan files: what `plan -out FILE` saves, and the checks that a saved plan still applies
//! to the manifest, state and cloud it was computed from.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::arm::Desired;
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;
use crate::plan::Plan;
use crate::render::plan_json;
use crate::state::State;

use super::lowered::Lowered;

/// A hash of everything the plan was computed from on the manifest side: every desired
/// resource's address, ID, api-version and exact body (sensitive values included, so a
/// changed secret is a changed manifest; only the hash is stored).
pub fn desired_hash(desired: &[Desired]) -> String {
    let doc: Vec<Value> = desired
        .iter()
        .map(|d| json!([d.address, d.id, d.api_version, d.body, d.depends_on]))
        .collect();
    crate::state::request_hash(&Value::Array(doc))
}

/// What a plan file holds: the plan as JSON (redacted, like `--format json`) and what it is
/// bound to. It never holds a secret. `manifest_dir` is stored as given (the caller makes it
/// absolute: the engine does not look at the file system).
pub fn plan_file(
    plan_json: Value,
    desired: &[Desired],
    state: &State,
    manifest_dir: &Path,
    manifest: &crate::model::Manifest,
) -> Value {
    let dir = manifest_dir;
    // The root variables given from outside (environment, var files, `--var`), so
    // `apply FILE` evaluates the manifest as the plan did; defaults are not stored (a changed
    // default is a changed manifest), and sensitive values never are (they must be given
    // again to apply).
    let vars: Vec<Value> = manifest
        .variables
        .iter()
        .filter(|v| {
            v.module_path.is_empty() && v.provided && !v.sensitive && v.value.is_wholly_known()
        })
        .map(|v| {
            let text = match &v.value {
                crate::lang::value::Value::String(s) => s.clone(),
                other => other.to_json().to_string(),
            };
            json!([v.name, text])
        })
        .collect();
    json!({
        "kind": "amlplan-plan",
        "variables": vars,
        "manifest_dir": dir.to_string_lossy(),
        "format_version": crate::plan::FORMAT_VERSION,
        "desired_hash": desired_hash(desired),
        "state_serial": state.serial(),
        "state_lineage": state.lineage(),
        "plan": plan_json,
    })
}

/// The `(address, actions)` pairs of a JSON plan, for comparing a saved plan with a fresh one.
pub fn actions_of(plan_json: &Value) -> Vec<(String, Value)> {
    plan_json["resource_changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| c["actions"] != json!(["no-op"]))
                .map(|c| {
                    (
                        c["address"].as_str().unwrap_or_default().to_string(),
                        c["actions"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A saved plan read from `path` (by the caller: the engine reads no files): the manifest
/// directory it was made for and its JSON.
pub fn parse_plan_file(path: &Path, text: &str) -> Result<(PathBuf, Value), Diagnostic> {
    let json: Value = serde_json::from_str(text).map_err(|_| diag::not_a_plan_file(path))?;
    if json["kind"] != "amlplan-plan" {
        return Err(diag::not_a_plan_file(path));
    }
    if json["format_version"] != crate::plan::FORMAT_VERSION {
        return Err(diag::plan_file_version(
            path,
            &json["format_version"],
            crate::plan::FORMAT_VERSION,
        ));
    }
    let dir = json["manifest_dir"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((dir, json))
}

/// The root variable values a saved plan was made with, as `NAME=VALUE` arguments.
pub fn saved_variables(saved: &Value) -> Vec<String> {
    saved["variables"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|pair| {
                    Some(format!(
                        "{}={}",
                        pair.get(0)?.as_str()?,
                        pair.get(1)?.as_str()?
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A saved plan applies only to the manifest, state and cloud it was computed from.
pub fn check_saved_plan(
    saved: &Value,
    fresh: &Plan,
    lowered: &Lowered,
    state: &State,
) -> Result<(), Diagnostic> {
    let stale = |what: String| diag::saved_plan_stale(&what);
    if saved["state_lineage"].as_str() != Some(state.lineage()) && state.serial() > 0 {
        return Err(stale("it was made for a different state".into()));
    }
    let serial = saved["state_serial"].as_u64().unwrap_or(u64::MAX);
    if serial != state.serial() {
        return Err(stale(format!(
            "the state moved from serial {serial} to {} (someone applied since)",
            state.serial()
        )));
    }
    if saved["desired_hash"].as_str() != Some(&desired_hash(&lowered.desired)) {
        let mut d =
            stale("the manifest or its inputs (variables, files) changed since the plan".into());
        let sensitive: Vec<&str> = lowered
            .compilation
            .manifest
            .variables
            .iter()
            .filter(|v| v.module_path.is_empty() && v.sensitive)
            .map(|v| v.name.as_str())
            .collect();
        if !sensitive.is_empty() {
            d = d.with_help(format!(
                "sensitive variables are never stored in plan files; give them to apply as you gave them to plan ({}), or run `amlplan plan -out FILE` again",
                sensitive.join(", ")
            ));
        }
        return Err(d);
    }
    let fresh_json = plan_json::to_value(fresh, &lowered.compilation.sources);
    let before = actions_of(&saved["plan"]);
    let now = actions_of(&fresh_json);
    if before != now {
        let moved: Vec<String> = before
            .iter()
            .filter(|b| !now.contains(b))
            .map(|(a, act)| format!("{a} {act}"))
            .chain(
                now.iter()
                    .filter(|n| !before.contains(n))
                    .map(|(a, act)| format!("{a} now {act}")),
            )
            .collect();
        return Err(stale(format!(
            "the resources changed outside amlplan since the plan: {}",
            moved.join("; ")
        )));
    }
    Ok(())
}
