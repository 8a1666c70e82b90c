//! `amlplan review`: the security review of a manifest (findings and the egress report),
//! gated by `fail_on`; and the review of a lowered manifest that `plan` and `apply` show.

use crate::cli::{ReviewArgs, ReviewFormat};
use crate::diagnostic::Diagnostic;
use crate::render::human::Style;
use crate::render::{review_human, review_json, review_markdown, review_sarif};
use crate::review::Review;

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

pub fn run(args: &ReviewArgs, style: Style) -> u8 {
    // Reviewed as plan reviews it: compiled and lowered with the provider's defaults.
    let Some(lowered) = super::pipeline::compile_and_lower(&args.manifest, style) else {
        return EXIT_ERROR;
    };
    super::pipeline::report(&lowered.warnings, &lowered.compilation, style);
    let review = of_lowered(&lowered);
    crate::render::stdout::print(&match args.format {
        ReviewFormat::Human => review_human::render(&review),
        ReviewFormat::Json => review_json::render(&review),
        ReviewFormat::Sarif => review_sarif::render(&review, args.path_prefix.as_deref()),
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
