//! `amlplan cost`: the monthly cost forecast of a manifest, checked against its budgets.

use crate::cli::{CostArgs, PlanFormat};
use crate::compile::compile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::render::human::{self, Style};
use crate::render::{cost_human, cost_json, cost_markdown};

use super::{EXIT_ERROR, EXIT_OK, EXIT_OVER_BUDGET};

pub fn run(args: &CostArgs, style: Style) -> u8 {
    let inputs = match super::inputs(&args.manifest) {
        Ok(i) => i,
        Err(d) => {
            crate::render::stderr::print(format_args!(
                "{}",
                human::render_all(&[d], &crate::source::Sources::new(), style)
            ));
            return EXIT_ERROR;
        }
    };
    let compilation = compile(&args.manifest.dir, &inputs);
    let mut diagnostics = compilation.diagnostics.clone();
    let (book, problems) = compilation.reading(|| {
        crate::cost::load::price_book(
            &compilation.manifest,
            &compilation.sources,
            args.prices.prices.as_deref(),
        )
    });
    // The manifest's own price file was checked by the compilation already.
    diagnostics.extend(problems.into_iter().filter(|p| p.span().is_none()));
    if args.manifest.deny_warnings {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        crate::render::stderr::print(format_args!(
            "{}",
            human::render_all(&diagnostics, &compilation.sources, style)
        ));
        crate::render::stderr::println(format_args!(
            "error: the manifest has errors: {}",
            human::summary(&diagnostics)
        ));
        return EXIT_ERROR;
    }
    let forecast = crate::cost::forecast(&compilation.manifest, &book);
    let over = crate::cost::budget::over(&compilation.manifest, &forecast);
    diagnostics.extend(over.iter().cloned());
    crate::render::stderr::print(format_args!(
        "{}",
        human::render_all(&diagnostics, &compilation.sources, style)
    ));
    crate::render::stdout::print(&match args.format {
        PlanFormat::Human => cost_human::render(&forecast),
        PlanFormat::Json => cost_json::render(&forecast),
        PlanFormat::Markdown => cost_markdown::render(&forecast),
    });
    if over.is_empty() {
        EXIT_OK
    } else {
        EXIT_OVER_BUDGET
    }
}

/// The plan's cost with `--prices` over the manifest's price book; `None` (after printing
/// why) when the `--prices` file cannot be used. The inner `None`: the plan has nothing the
/// forecast can cost (it is only a refresh).
pub fn plan_cost(
    lowered: &crate::engine::lowered::Lowered,
    plan: &crate::plan::Plan,
    prices: &crate::cli::PricesArgs,
    reporter: super::pipeline::Reporter,
) -> Option<Option<crate::cost::plan_cost::PlanCost>> {
    let compilation = &lowered.compilation;
    let (book, problems) = compilation.reading(|| {
        crate::cost::load::price_book(
            &compilation.manifest,
            &compilation.sources,
            prices.prices.as_deref(),
        )
    });
    let problems: Vec<Diagnostic> = problems
        .into_iter()
        .filter(|p| p.span().is_none())
        .collect();
    if !problems.is_empty() {
        reporter.fail(&problems, &compilation.sources, None);
        return None;
    }
    Some(Some(crate::cost::plan_cost::plan_cost(
        &compilation.manifest,
        plan,
        &book,
    )))
}
