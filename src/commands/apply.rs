//! `amlplan apply` and `amlplan destroy`.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::apply::scheduler::Outcome;
use crate::apply::{Applier, LineProgress, StateWriter, operations};
use crate::arm::Desired;
use crate::cli::{ApplyArgs, DestroyArgs, ManifestArgs};
use crate::diagnostic::{Code, Diagnostic};
use crate::lang::value::Value as HclValue;
use crate::model::Manifest;
use crate::plan::planner::PlanOptions;
use crate::plan::{Action, Plan};
use crate::render::human::Style;
use crate::render::{plan_human, plan_json};
use crate::state::{JournalStatus, OutputState, ResourceState, State};

use super::pipeline::{Lowered, compile_and_lower, report};
use super::session::{self, Session};
use super::{EXIT_ERROR, EXIT_OK};

pub fn run(args: &ApplyArgs, style: Style) -> u8 {
    // `apply FILE` applies a saved plan; `apply DIR` plans and applies.
    let (dir, saved) = if args.target.is_file() {
        match read_plan_file(&args.target) {
            Ok((dir, saved)) => (dir, Some(saved)),
            Err(d) => {
                eprintln!("error[{}]: {}", d.code, d.message);
                return EXIT_ERROR;
            }
        }
    } else {
        (args.target.clone(), None)
    };
    // A saved plan's variable values first; values given now override them.
    let mut vars: Vec<String> = saved
        .as_ref()
        .and_then(|s| s["variables"].as_array())
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
        .unwrap_or_default();
    vars.extend(args.vars.iter().cloned());
    let manifest_args = ManifestArgs {
        dir,
        vars,
        var_files: args.var_files.clone(),
        deny_warnings: false,
    };
    let Some(mut lowered) = compile_and_lower(&manifest_args, style) else {
        return EXIT_ERROR;
    };
    report(&lowered.warnings, &lowered.compilation, style);
    let backend_path = super::backend_path(&lowered.compilation.manifest);
    let mut session = match session::open(
        &manifest_args.dir,
        &args.provider,
        backend_path.as_deref(),
        Some("amlplan apply"),
    ) {
        Ok(s) => s,
        Err(d) => {
            report(&[d], &lowered.compilation, style);
            return EXIT_ERROR;
        }
    };
    let plan = match session.plan_manifest(&mut lowered, PlanOptions::default()) {
        Ok(p) => p,
        Err(d) => {
            report(&[d], &lowered.compilation, style);
            return EXIT_ERROR;
        }
    };
    if let Some(saved) = &saved
        && let Err(d) = check_saved_plan(saved, &plan, &lowered, &session)
    {
        report(&[d], &lowered.compilation, style);
        return EXIT_ERROR;
    }
    if !plan.errors.is_empty() {
        report(&plan.errors, &lowered.compilation, style);
        eprintln!("error: the plan cannot be applied");
        return EXIT_ERROR;
    }
    let approved = saved.is_some() || args.auto_approve;
    execute(
        &mut session,
        &plan,
        &lowered,
        args.parallelism,
        approved,
        "apply",
    )
}

pub fn run_destroy(args: &DestroyArgs, style: Style) -> u8 {
    let Some(lowered) = compile_and_lower(&args.manifest, style) else {
        return EXIT_ERROR;
    };
    let backend_path = super::backend_path(&lowered.compilation.manifest);
    let mut session = match session::open(
        &args.manifest.dir,
        &args.provider,
        backend_path.as_deref(),
        Some("amlplan destroy"),
    ) {
        Ok(s) => s,
        Err(d) => {
            report(&[d], &lowered.compilation, style);
            return EXIT_ERROR;
        }
    };
    // Destroying is planning an empty manifest; prevent_destroy still comes from the
    // manifest's blocks.
    let mut plan = match session.plan(&[], PlanOptions::default()) {
        Ok(p) => p,
        Err(d) => {
            report(&[d], &lowered.compilation, style);
            return EXIT_ERROR;
        }
    };
    for change in &plan.changes {
        if let Some(d) = lowered.desired.iter().find(|d| d.address == change.address)
            && d.lifecycle.prevent_destroy
            && change.action == Action::Delete
        {
            let mut diag = Diagnostic::new(
                Code::E0902,
                format!(
                    "`{}` has prevent_destroy set; destroy would delete it",
                    d.address
                ),
            )
            .with_help("remove prevent_destroy in a reviewed change if destroying it is intended");
            if let Some(span) = d.span {
                diag = diag.at(span, "protected by lifecycle.prevent_destroy");
            }
            plan.errors.push(diag);
        }
    }
    if !plan.errors.is_empty() {
        report(&plan.errors, &lowered.compilation, style);
        eprintln!("error: nothing was destroyed");
        return EXIT_ERROR;
    }
    execute(
        &mut session,
        &plan,
        &lowered,
        args.parallelism,
        args.auto_approve,
        "destroy",
    )
}

/// Shows the plan, asks, applies, saves, prints outputs.
fn execute(
    session: &mut Session,
    plan: &Plan,
    lowered: &Lowered,
    parallelism: usize,
    approved: bool,
    verb: &str,
) -> u8 {
    print!("{}", plan_human::render(plan));
    // Entries left pending by a run that crashed were reconciled by this run's refresh.
    for entry in session
        .state
        .pending()
        .iter()
        .map(|e| e.seq)
        .collect::<Vec<_>>()
    {
        session.state.complete(
            entry,
            crate::state::Outcome::Failed("interrupted; reconciled by the next refresh".into()),
        );
    }
    session.state.clear_completed_journal();
    reconcile_state(&mut session.state, plan);
    if !plan.has_changes() {
        return finish(session, lowered, verb, 0);
    }
    if !approved && !confirm(verb) {
        eprintln!("{verb} cancelled: nothing was changed");
        return EXIT_ERROR;
    }
    let ops = operations(plan);
    let progress: Arc<dyn crate::apply::Progress> = if std::io::stderr().is_terminal() {
        Arc::new(crate::apply::TerminalProgress::new(&ops))
    } else {
        Arc::new(LineProgress)
    };
    let writer = Arc::new(StateWriter::new(
        std::mem::take(&mut session.state),
        session.backend.clone(),
    ));
    let applier = Applier {
        client: session.client.clone(),
        state: writer.clone(),
        progress,
        resolver: Some(Arc::new(Reevaluate {
            dir: lowered.dir.clone(),
            inputs: lowered.inputs.clone(),
        })),
    };
    let results = session.runtime.block_on(applier.apply(ops, parallelism));
    drop(applier);
    session.state = match Arc::try_unwrap(writer) {
        Ok(w) => w.into_state(),
        Err(shared) => shared.snapshot(),
    };
    let mut failures = 0;
    for r in &results {
        if let Outcome::Failed(e) = &r.outcome {
            failures += 1;
            eprintln!(
                "error[{}]: {}: {} ({}): {}",
                Code::E0906,
                r.address,
                e.code,
                e.status,
                e.message
            );
        }
    }
    let skipped = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Skipped { .. }))
        .count();
    if failures > 0 {
        eprintln!(
            "{verb} failed: {failures} operation(s) failed, {skipped} not attempted; everything else was applied and recorded. Run `amlplan {verb}` again to continue."
        );
    }
    finish(session, lowered, verb, failures)
}

/// Compiles and lowers the manifest again with values now known.
struct Reevaluate {
    dir: PathBuf,
    inputs: crate::lang::instantiate::Inputs,
}

impl crate::apply::Resolve for Reevaluate {
    fn resolve(&self, address: &str, known: &crate::apply::Known) -> Result<Desired, String> {
        let mut inputs = self.inputs.clone();
        inputs.known = known.clone();
        let mut compilation = crate::compile::compile(&self.dir, &inputs);
        if compilation.has_errors() {
            return Err("the manifest no longer compiles".into());
        }
        super::pipeline::provider_defaults(&mut compilation.manifest);
        let desired = crate::arm::lower::lower(&compilation.manifest, &compilation.sources)
            .map_err(|_| "the manifest no longer lowers".to_string())?;
        desired
            .into_iter()
            .find(|d| d.address == address)
            .ok_or_else(|| format!("{address} is no longer in the manifest"))
    }
}

/// Brings the state in line with what the refresh found before anything is written:
/// resources that exist exactly as desired are recorded as they are now (a run killed
/// between ARM's answer and the state write, a record whose dependencies changed), moved
/// blocks are re-addressed, and resources already gone are forgotten. Recording the same
/// thing again does not move the state's serial.
fn reconcile_state(state: &mut State, plan: &Plan) {
    for c in &plan.changes {
        if let Some(p) = &c.prior
            && p.address != c.address
        {
            state.remove(&p.address);
        }
        match (&c.desired, c.action) {
            (Some(d), Action::NoOp) if c.exists => {
                state.record_applied(ResourceState::from_desired(
                    d,
                    crate::plan::compare::redact(&d.body, &d.sensitive),
                ));
            }
            (None, Action::NoOp) if !c.exists => {
                state.remove(&c.address);
            }
            _ => {}
        }
    }
}

fn finish(session: &mut Session, lowered: &Lowered, verb: &str, failures: usize) -> u8 {
    if verb == "apply" {
        let mut outputs = resolve_outputs(session, &lowered.compilation.manifest, &lowered.desired);
        // Sensitive outputs are printed redacted and never written to the state; `amlplan
        // output NAME` evaluates one again when asked for it by name.
        let shown = super::output::render_outputs(&outputs, None);
        for o in outputs.values_mut().filter(|o| o.sensitive) {
            o.value = Value::String("(sensitive value)".into());
        }
        session.state.replace_outputs(outputs);
        session.shown_outputs = Some(shown);
    } else {
        session.state.replace_outputs(BTreeMap::new());
    }
    session.state.clear_completed_journal();
    if let Err(e) = session.backend.save(&mut session.state) {
        eprintln!("error[{}]: {e}", Code::E0904);
        return EXIT_ERROR;
    }
    if let Err(e) = session.cloud.save() {
        eprintln!("error[{}]: {e}", Code::E0908);
        return EXIT_ERROR;
    }
    if failures > 0 {
        return EXIT_ERROR;
    }
    let pending = session
        .state
        .journal()
        .iter()
        .filter(|e| e.status == JournalStatus::Pending)
        .count();
    debug_assert_eq!(pending, 0);
    eprintln!(
        "{} complete.",
        if verb == "apply" { "Apply" } else { "Destroy" }
    );
    if verb == "apply" {
        print!(
            "{}",
            super::output::render_outputs(session.state.outputs(), None)
        );
    }
    EXIT_OK
}

fn confirm(verb: &str) -> bool {
    if !std::io::stdin().is_terminal() {
        eprintln!("error: {verb} needs confirmation; run it in a terminal or pass --auto-approve");
        return false;
    }
    eprint!("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    answer.trim() == "yes"
}

/// The value of each root output after apply: references to attributes known only after
/// apply (`online_endpoint.fraud.scoring_uri`) are read from what ARM now holds.
pub(crate) fn resolve_outputs(
    session: &Session,
    manifest: &Manifest,
    desired: &[Desired],
) -> BTreeMap<String, OutputState> {
    let mut out = BTreeMap::new();
    for o in &manifest.outputs {
        let value = resolve_value(session, manifest, desired, &o.value);
        out.insert(
            o.name.clone(),
            OutputState {
                value,
                sensitive: o.sensitive,
            },
        );
    }
    out
}

fn resolve_value(
    session: &Session,
    manifest: &Manifest,
    desired: &[Desired],
    value: &HclValue,
) -> Value {
    match value {
        HclValue::Ref(r) => {
            let Some(d) = desired.iter().find(|d| d.address == r.address) else {
                return Value::Null;
            };
            let actual = session
                .runtime
                .block_on(session.client.get(&d.id, &d.api_version))
                .ok()
                .flatten();
            let attr = r.attr.first().map(String::as_str).unwrap_or("id");
            let path = crate::arm::export_path(attr);
            match (path, actual) {
                (Some("id"), _) => Value::String(d.id.clone()),
                (Some(p), Some(a)) => crate::plan::compare::get_path(&a, p)
                    .cloned()
                    .unwrap_or(Value::Null),
                // An input attribute: its manifest value.
                _ => manifest
                    .resource(&r.address)
                    .and_then(|res| res.body.value(attr))
                    .map(HclValue::to_json)
                    .unwrap_or(Value::Null),
            }
        }
        HclValue::List(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve_value(session, manifest, desired, v))
                .collect(),
        ),
        HclValue::Map(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve_value(session, manifest, desired, v)))
                .collect(),
        ),
        other => other.to_json(),
    }
}

/// A saved plan: the manifest directory it was made for and its JSON.
fn read_plan_file(path: &Path) -> Result<(PathBuf, Value), Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(
            Code::E0907,
            format!("cannot read plan file {}: {e}", path.display()),
        )
    })?;
    let json: Value = serde_json::from_str(&text).map_err(|_| {
        Diagnostic::new(
            Code::E0907,
            format!(
                "{} is not a plan file written by `amlplan plan -out`",
                path.display()
            ),
        )
    })?;
    if json["kind"] != "amlplan-plan" {
        return Err(Diagnostic::new(
            Code::E0907,
            format!(
                "{} is not a plan file written by `amlplan plan -out`",
                path.display()
            ),
        ));
    }
    if json["format_version"] != crate::plan::FORMAT_VERSION {
        return Err(Diagnostic::new(
            Code::E0907,
            format!(
                "{} has plan format {}; this amlplan writes {}",
                path.display(),
                json["format_version"],
                crate::plan::FORMAT_VERSION
            ),
        ));
    }
    let dir = json["manifest_dir"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((dir, json))
}

/// A saved plan applies only to the manifest, state and cloud it was computed from.
fn check_saved_plan(
    saved: &Value,
    fresh: &Plan,
    lowered: &Lowered,
    session: &Session,
) -> Result<(), Diagnostic> {
    let stale = |what: String| {
        Diagnostic::new(Code::E0903, format!("the saved plan is stale: {what}"))
            .with_help("run `amlplan plan -out FILE` again and review the new plan")
    };
    if saved["state_lineage"].as_str() != Some(session.state.lineage())
        && session.state.serial() > 0
    {
        return Err(stale("it was made for a different state".into()));
    }
    let serial = saved["state_serial"].as_u64().unwrap_or(u64::MAX);
    if serial != session.state.serial() {
        return Err(stale(format!(
            "the state moved from serial {serial} to {} (someone applied since)",
            session.state.serial()
        )));
    }
    if saved["desired_hash"].as_str() != Some(&session::desired_hash(&lowered.desired)) {
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
    let before = session::actions_of(&saved["plan"]);
    let now = session::actions_of(&fresh_json);
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
