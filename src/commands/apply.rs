//! `amlplan apply` and `amlplan destroy`.

use std::io::{BufRead, IsTerminal};
use std::sync::Arc;

use crate::apply::scheduler::Outcome;
use crate::cli::{ApplyArgs, DestroyArgs, ManifestArgs};
use crate::diagnostics::engine as diag;
use crate::engine::Engine;
use crate::engine::events::EventSink;
use crate::engine::lowered::Lowered;
use crate::engine::plan_file;
use crate::plan::planner::PlanOptions;
use crate::plan::{Action, Plan, Summary};
use crate::render::human::Style;
use crate::render::progress_lines::LineProgress;
use crate::render::progress_terminal::TerminalProgress;
use crate::render::{diagnostic_line, plan_human};

use super::pipeline::{self, Opened, report};
use super::{EXIT_ERROR, EXIT_OK, EXIT_OVER_BUDGET};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Apply,
    Destroy,
}

impl Verb {
    fn as_str(self) -> &'static str {
        match self {
            Verb::Apply => "apply",
            Verb::Destroy => "destroy",
        }
    }
}

pub fn run(args: &ApplyArgs, style: Style) -> u8 {
    // `apply FILE` applies a saved plan; `apply DIR` plans and applies.
    let (dir, saved) = if args.target.is_file() {
        let read = std::fs::read_to_string(&args.target)
            .map_err(|e| diag::plan_file_unreadable(&args.target, &e))
            .and_then(|text| plan_file::parse_plan_file(&args.target, &text));
        match read {
            Ok((dir, saved)) => (dir, Some(saved)),
            Err(d) => {
                crate::render::stderr::print(format_args!("{}", diagnostic_line::render(&d)));
                return EXIT_ERROR;
            }
        }
    } else {
        (args.target.clone(), None)
    };
    // A saved plan's variable values first; values given now override them.
    let mut vars = saved
        .as_ref()
        .map(plan_file::saved_variables)
        .unwrap_or_default();
    vars.extend(args.vars.iter().cloned());
    let manifest_args = ManifestArgs {
        dir,
        vars,
        var_files: args.var_files.clone(),
        deny_warnings: false,
    };
    let Some(Opened {
        mut lowered,
        mut engine,
    }) = pipeline::open(
        &manifest_args,
        &args.provider,
        Some("amlplan apply"),
        pipeline::Reporter::Human(style),
    )
    else {
        return EXIT_ERROR;
    };
    report(&lowered.warnings, &lowered.compilation, style);
    let plan = match engine.plan_manifest(&mut lowered, PlanOptions::default()) {
        Ok(p) => p,
        Err(d) => {
            report(&[d], &lowered.compilation, style);
            return EXIT_ERROR;
        }
    };
    if let Some(saved) = &saved
        && let Err(d) = plan_file::check_saved_plan(saved, &plan, &lowered, engine.state())
    {
        report(&[d], &lowered.compilation, style);
        return EXIT_ERROR;
    }
    if !plan.errors.is_empty() {
        report(&plan.errors, &lowered.compilation, style);
        crate::render::stderr::println(format_args!("error: the plan cannot be applied"));
        return EXIT_ERROR;
    }
    let Some(cost) = super::cost::plan_cost(
        &lowered,
        &plan,
        &args.prices,
        pipeline::Reporter::Human(style),
    ) else {
        return EXIT_ERROR;
    };
    let manifest = &lowered.compilation.manifest;
    let over = cost
        .as_ref()
        .filter(|_| plan.has_changes())
        .map_or_else(Vec::new, |c| {
            crate::cost::budget::over(manifest, &c.forecast)
        });
    if !over.is_empty() {
        report(&over, &lowered.compilation, style);
        if !args.allow_over_budget {
            let expected = cost.as_ref().map_or(0.0, |c| c.forecast.total.expected);
            let name = crate::cost::budget::budgets(manifest)
                .into_iter()
                .find(|b| expected > b.amount)
                .map_or(String::new(), |b| b.name.to_string());
            report(
                &[crate::diagnostics::cost::apply_over_budget(&name)],
                &lowered.compilation,
                style,
            );
            return EXIT_OVER_BUDGET;
        }
    }
    // The review's gate, as plan applies it; `--allow-findings` applies anyway.
    if plan.has_changes()
        && !args.allow_findings
        && let Some((count, level)) =
            super::review::of_lowered(&lowered).failed(args.review.fail_on)
    {
        report(
            &[
                crate::diagnostics::review::findings_fail(count, level.as_str()),
                crate::diagnostics::review::apply_with_findings(count, level.as_str()),
            ],
            &lowered.compilation,
            style,
        );
        return super::EXIT_FINDINGS;
    }
    let approved = saved.is_some() || args.auto_approve;
    execute(
        &mut engine,
        &plan,
        &lowered,
        args.parallelism,
        approved,
        Verb::Apply,
        style,
    )
}

pub fn run_destroy(args: &DestroyArgs, style: Style) -> u8 {
    let Some(Opened {
        lowered,
        mut engine,
    }) = pipeline::open(
        &args.manifest,
        &args.provider,
        Some("amlplan destroy"),
        pipeline::Reporter::Human(style),
    )
    else {
        return EXIT_ERROR;
    };
    // Destroying is planning an empty manifest; prevent_destroy still comes from the
    // manifest's blocks.
    let mut plan = match engine.plan(&[], PlanOptions::default()) {
        Ok(p) => p,
        Err(d) => {
            report(&[d], &lowered.compilation, style);
            return EXIT_ERROR;
        }
    };
    let by_address: std::collections::HashMap<&str, &crate::arm::Desired> = lowered
        .desired
        .iter()
        .map(|d| (d.address.as_str(), d))
        .collect();
    for change in &mut plan.changes {
        let Some(d) = by_address.get(change.address.as_str()) else {
            continue;
        };
        if d.lifecycle.prevent_destroy && change.action == Action::Delete {
            plan.errors.push(diag::prevent_destroy(&d.address, d.span));
        }
        // Asset versions are archived on destroy too, unless the manifest opts out.
        if d.lifecycle.delete_old_versions && change.old_version.is_some() {
            change.old_version = None;
            change.reason = Some("destroyed (`delete_old_versions` is set)".into());
        }
    }
    if !plan.errors.is_empty() {
        report(&plan.errors, &lowered.compilation, style);
        crate::render::stderr::println(format_args!("error: nothing was destroyed"));
        return EXIT_ERROR;
    }
    execute(
        &mut engine,
        &plan,
        &lowered,
        args.parallelism,
        args.auto_approve,
        Verb::Destroy,
        style,
    )
}

/// Shows the plan, asks, applies, saves, prints outputs.
fn execute(
    engine: &mut Engine,
    plan: &Plan,
    lowered: &Lowered,
    parallelism: usize,
    approved: bool,
    verb: Verb,
    style: Style,
) -> u8 {
    crate::render::stdout::print(&plan_human::render(plan));
    if verb == Verb::Apply {
        let outputs = crate::plan::outputs::plan_outputs(
            &lowered.compilation.manifest,
            plan,
            engine.state().outputs(),
        );
        crate::render::stdout::print(&plan_human::outputs_section(&outputs));
    }
    engine.reconcile(plan);
    if !plan.has_changes() {
        return finish(engine, lowered, verb, 0, Summary::default(), style);
    }
    if !approved {
        if !std::io::stdin().is_terminal() {
            crate::render::stderr::print(format_args!(
                "{}",
                diagnostic_line::render(&diag::confirmation_needed(verb.as_str()))
            ));
            crate::render::stderr::println(format_args!(
                "{} cancelled: nothing was changed",
                verb.as_str()
            ));
            return EXIT_ERROR;
        }
        if !confirm() {
            crate::render::stderr::println(format_args!(
                "{} cancelled: nothing was changed",
                verb.as_str()
            ));
            return EXIT_ERROR;
        }
    }
    let progress: Arc<dyn EventSink> = if std::io::stderr().is_terminal() {
        Arc::new(TerminalProgress::new())
    } else {
        Arc::new(LineProgress)
    };
    engine.set_events(progress);
    let results = engine.apply(plan, lowered, parallelism);
    let mut failures = 0;
    for r in &results {
        if let Outcome::Failed(e) = &r.outcome {
            failures += 1;
            crate::render::stderr::print(format_args!(
                "{}",
                diagnostic_line::render(&diag::operation_failed(&r.address, e))
            ));
        }
    }
    let skipped = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Skipped { .. }))
        .count();
    if failures > 0 {
        let verb = verb.as_str();
        crate::render::stderr::println(format_args!(
            "{verb} failed: {failures} operation(s) failed, {skipped} not attempted; everything else was applied and recorded. Run `amlplan {verb}` again to continue."
        ));
    }
    // A change counts as done when every operation it took succeeded (a replacement is a
    // create and a delete).
    let unfinished: std::collections::HashSet<&str> = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Done))
        .map(|r| r.address.as_str())
        .collect();
    let done = plan.summary_of(|c| !unfinished.contains(c.address.as_str()));
    finish(engine, lowered, verb, failures, done, style)
}

fn finish(
    engine: &mut Engine,
    lowered: &Lowered,
    verb: Verb,
    failures: usize,
    done: Summary,
    style: Style,
) -> u8 {
    let outputs_of = (verb == Verb::Apply).then_some(lowered);
    if let Err(d) = engine.finish(outputs_of) {
        report(&[d], &lowered.compilation, style);
        return EXIT_ERROR;
    }
    if failures > 0 {
        crate::render::stderr::println(format_args!(
            "Applied before the failure: {} added, {} changed, {} replaced, {} destroyed.",
            done.add, done.change, done.replace, done.destroy
        ));
        return EXIT_ERROR;
    }
    debug_assert!(engine.state().pending().is_empty());
    match verb {
        Verb::Apply => {
            crate::render::stderr::println(format_args!(
                "Apply complete. Resources: {} added, {} changed, {} replaced, {} destroyed.",
                done.add, done.change, done.replace, done.destroy
            ));
            crate::render::stdout::print(&super::output::render_outputs(
                engine.state().outputs(),
                None,
            ));
        }
        Verb::Destroy => crate::render::stderr::println(format_args!(
            "Destroy complete. Resources: {} destroyed.",
            done.destroy
        )),
    }
    EXIT_OK
}

/// Asks on the terminal; only `yes` is yes.
fn confirm() -> bool {
    crate::render::stderr::print(format_args!(
        "\nDo you want to perform these actions? Only 'yes' will be accepted: "
    ));
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    answer.trim() == "yes"
}
