//! `amlplan plan`: what apply would do.

use crate::cli::{PlanArgs, PlanFormat};
use crate::plan::planner::PlanOptions;
use crate::render::human::Style;
use crate::render::{plan_human, plan_json, plan_markdown};

use super::pipeline::{compile_and_lower, report};
use super::session;
use super::{EXIT_CHANGES, EXIT_ERROR, EXIT_OK};

pub fn run(args: &PlanArgs, style: Style) -> u8 {
    let Some(mut lowered) = compile_and_lower(&args.manifest, style) else {
        return EXIT_ERROR;
    };
    let backend_path = super::backend_path(&lowered.compilation.manifest);
    // Planning only reads the state, but takes the lock so it never reads a half-applied one.
    let session = match session::open(
        &args.manifest.dir,
        &args.provider,
        backend_path.as_deref(),
        Some("amlplan plan"),
    ) {
        Ok(s) => s,
        Err(d) => {
            report(&[d], &lowered.compilation, style);
            return EXIT_ERROR;
        }
    };
    let plan = match session.plan_manifest(
        &mut lowered,
        PlanOptions {
            refresh_only: args.refresh_only,
        },
    ) {
        Ok(p) => p,
        Err(d) => {
            report(&[d], &lowered.compilation, style);
            return EXIT_ERROR;
        }
    };
    report(&lowered.warnings, &lowered.compilation, style);
    let sources = &lowered.compilation.sources;
    match args.format {
        PlanFormat::Human => print!("{}", plan_human::render(&plan)),
        PlanFormat::Json => print!("{}", plan_json::render(&plan, sources)),
        PlanFormat::Markdown => print!("{}", plan_markdown::render(&plan)),
    }
    if !plan.errors.is_empty() {
        if args.format != PlanFormat::Json {
            report(&plan.errors, &lowered.compilation, style);
        }
        eprintln!("error: the plan cannot be applied");
        return EXIT_ERROR;
    }
    if let Some(out) = &args.out {
        let file = session::plan_file(
            plan_json::to_value(&plan, sources),
            &lowered.desired,
            &session.state,
            &args.manifest.dir,
            &lowered.compilation.manifest,
        );
        let text = serde_json::to_string_pretty(&file).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(out, text) {
            eprintln!("error: cannot write the plan file {}: {e}", out.display());
            return EXIT_ERROR;
        }
        eprintln!(
            "Saved the plan to {}. Apply exactly this plan with: amlplan apply {}",
            out.display(),
            out.display()
        );
    }
    let code = if args.detailed_exitcode
        && (plan.has_changes() || (args.refresh_only && !plan.drift.is_empty()))
    {
        EXIT_CHANGES
    } else {
        EXIT_OK
    };
    // The process exits next: freeing a large manifest and plan only costs time (hundreds
    // of milliseconds at ten thousand resources). The state lock is released properly.
    let mut session = session;
    drop(session.lock.take());
    std::mem::forget(session);
    std::mem::forget(plan);
    std::mem::forget(lowered);
    code
}
