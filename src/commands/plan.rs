//! `amlplan plan`: what apply would do.

use crate::cli::{PlanArgs, PlanFormat};
use crate::plan::planner::PlanOptions;
use crate::render::human::Style;
use crate::render::{
    cost_human, cost_json, cost_markdown, plan_human, plan_json, plan_markdown, review_human,
    review_json, review_markdown,
};

use crate::diagnostics::engine as diag;
use crate::engine::plan_file;

use super::pipeline::{self, Opened, Reporter, report};
use super::{EXIT_CHANGES, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_OVER_BUDGET};

pub fn run(args: &PlanArgs, style: Style) -> u8 {
    let reporter = match args.format {
        PlanFormat::Json => Reporter::JsonPlan(style),
        PlanFormat::Human | PlanFormat::Markdown => Reporter::Human(style),
    };
    // Planning only reads the state, but takes the lock so it never reads a half-applied one.
    let Some(Opened {
        mut lowered,
        mut engine,
    }) = pipeline::open(
        &args.manifest,
        &args.provider,
        Some("amlplan plan"),
        reporter,
    )
    else {
        return EXIT_ERROR;
    };
    let plan = match engine.plan_manifest(
        &mut lowered,
        PlanOptions {
            refresh_only: args.refresh_only,
        },
    ) {
        Ok(p) => p,
        Err(d) => {
            reporter.fail(&[d], &lowered.compilation.sources, None);
            return EXIT_ERROR;
        }
    };
    report(&lowered.warnings, &lowered.compilation, style);
    let Some(cost) = super::cost::plan_cost(&lowered, &plan, &args.prices, reporter) else {
        return EXIT_ERROR;
    };
    let sources = &lowered.compilation.sources;
    // A refresh plans no cost; a plan without changes stays one line (its budgets are still
    // checked).
    let budgeted = cost.filter(|_| !args.refresh_only);
    let cost = budgeted.as_ref().filter(|_| plan.has_changes());
    let outputs = if args.refresh_only {
        Vec::new()
    } else {
        crate::plan::outputs::plan_outputs(
            &lowered.compilation.manifest,
            &plan,
            engine.state().outputs(),
        )
    };
    // The review gates every plan but a refresh; like the cost, it is shown with changes.
    let review = (!args.refresh_only).then(|| super::review::of_lowered(&lowered));
    let shown_review = review.as_ref().filter(|_| plan.has_changes());
    match args.format {
        PlanFormat::Human => {
            let mut text = plan_human::render(&plan);
            text.push_str(&plan_human::outputs_section(&outputs));
            if let Some(c) = cost {
                text.push_str(&cost_human::plan_section(c));
            }
            if let Some(r) = shown_review {
                text.push_str(&review_human::plan_section(r));
            }
            crate::render::stdout::print(&text)
        }
        PlanFormat::Json => {
            let mut value = plan_json::to_value(&plan, sources);
            if let Some(map) = value.as_object_mut() {
                map.insert("output_changes".into(), plan_json::outputs_value(&outputs));
                if let Some(c) = cost {
                    map.insert("cost".into(), cost_json::plan_value(c));
                }
            }
            if let (Some(r), Some(map)) = (shown_review, value.as_object_mut()) {
                map.insert("review".into(), review_json::to_value(r));
            }
            let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
            crate::render::stdout::print(&text)
        }
        PlanFormat::Markdown => {
            let mut text = plan_markdown::render(&plan);
            text.push_str(&plan_markdown::outputs_section(&outputs));
            if let Some(c) = cost {
                text.push_str(&cost_markdown::plan_section(c));
            }
            if let Some(r) = shown_review {
                text.push_str(&review_markdown::plan_section(r));
            }
            crate::render::stdout::print(&text)
        }
    }
    if !plan.errors.is_empty() {
        if args.format != PlanFormat::Json {
            report(&plan.errors, &lowered.compilation, style);
        }
        crate::render::stderr::println(format_args!("error: the plan cannot be applied"));
        return EXIT_ERROR;
    }
    if let Some(out) = &args.out {
        let file = plan_file::plan_file(
            plan_json::to_value(&plan, sources),
            &lowered.desired,
            engine.state(),
            &args
                .manifest
                .dir
                .canonicalize()
                .unwrap_or_else(|_| args.manifest.dir.clone()),
            &lowered.compilation.manifest,
        );
        let text = serde_json::to_string_pretty(&file).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(out, text) {
            report(
                &[diag::plan_file_unwritable(out, &e)],
                &lowered.compilation,
                style,
            );
            return EXIT_ERROR;
        }
        crate::render::stderr::println(format_args!(
            "Saved the plan to {}. Apply exactly this plan with: amlplan apply {}",
            out.display(),
            out.display()
        ));
    }
    let over = budgeted.as_ref().map_or_else(Vec::new, |c| {
        crate::cost::budget::over(&lowered.compilation.manifest, &c.forecast)
    });
    if !over.is_empty() {
        report(&over, &lowered.compilation, style);
        crate::render::stderr::println(format_args!("error: the plan is over budget"));
    }
    let findings = review
        .as_ref()
        .and_then(|r| super::review::gate(r, args.review.fail_on));
    if let Some(d) = &findings {
        report(std::slice::from_ref(d), &lowered.compilation, style);
    }
    let code = if !over.is_empty() {
        EXIT_OVER_BUDGET
    } else if findings.is_some() {
        EXIT_FINDINGS
    } else if args.detailed_exitcode
        && (plan.has_changes() || (args.refresh_only && !plan.drift.is_empty()))
    {
        EXIT_CHANGES
    } else {
        EXIT_OK
    };
    // The process exits next: freeing a large manifest and plan only costs time (hundreds
    // of milliseconds at ten thousand resources). The state lock is released properly.
    engine.release_lock();
    std::mem::forget(engine);
    std::mem::forget(plan);
    std::mem::forget(lowered);
    std::mem::forget(review);
    code
}
