//! `amlplan review`: the security review of a manifest (findings and the egress report),
//! gated by `fail_on`; and the review of a lowered manifest that `plan` and `apply` show.

use crate::cli::{ReviewArgs, ReviewFormat};
use crate::compile::compile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::render::human::{self, Style};
use crate::render::{review_human, review_json, review_markdown, review_sarif};
use crate::review::Review;

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

pub fn run(args: &ReviewArgs, style: Style) -> u8 {
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
    if args.manifest.deny_warnings {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    let fail = |diagnostics: &[Diagnostic]| {
        crate::render::stderr::print(format_args!(
            "{}",
            human::render_all(diagnostics, &compilation.sources, style)
        ));
        crate::render::stderr::println(format_args!(
            "error: the manifest has errors: {}",
            human::summary(diagnostics)
        ));
        EXIT_ERROR
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return fail(&diagnostics);
    }
    let desired = match compilation
        .reading(|| crate::arm::lower::lower(&compilation.manifest, &compilation.sources))
    {
        Ok(d) => d,
        Err(errors) => {
            diagnostics.extend(errors);
            return fail(&diagnostics);
        }
    };
    let review = crate::review::review(&compilation.manifest, &desired, &compilation.sources);
    crate::render::stderr::print(format_args!(
        "{}",
        human::render_all(&diagnostics, &compilation.sources, style)
    ));
    crate::render::stdout::print(&match args.format {
        ReviewFormat::Human => review_human::render(&review),
        ReviewFormat::Json => review_json::render(&review),
        ReviewFormat::Sarif => review_sarif::render(&review),
        ReviewFormat::Markdown => review_markdown::render(&review),
    });
    match gate(&review, args.review.fail_on) {
        Some(d) => {
            crate::render::stderr::print(format_args!(
                "{}",
                crate::render::diagnostic_line::render(&d)
            ));
            EXIT_FINDINGS
        }
        None => EXIT_OK,
    }
}

/// The review of a lowered manifest, for `plan` and `apply`.
pub fn of_lowered(lowered: &crate::engine::lowered::Lowered) -> Review {
    let c = &lowered.compilation;
    crate::review::review(&c.manifest, &lowered.desired, &c.sources)
}

/// E1001 when unsuppressed findings reach the gate (`--fail-on` over `review { fail_on }`).
pub fn gate(review: &Review, flag: Option<crate::review::Severity>) -> Option<Diagnostic> {
    review
        .failed(flag)
        .map(|(n, level)| crate::diagnostics::review::findings_fail(n, level.as_str()))
}
