//! `amlplan explain CODE`: the long description of a diagnostic code or a review rule.

use crate::cli::ExplainArgs;
use crate::diagnostic::{Code, did_you_mean};

use super::{EXIT_ERROR, EXIT_OK};

pub fn run(args: &ExplainArgs) -> u8 {
    if args.code == "list" {
        for code in Code::ALL {
            crate::render::stdout::println(&format!("{}  {}", code.as_str(), code.title()));
        }
        for rule in crate::review::rules::RULES {
            crate::render::stdout::println(&format!("{}  {}", rule.id, rule.title));
        }
        return EXIT_OK;
    }
    if let Some(rule) = crate::review::rule(&args.code) {
        crate::render::stdout::print(&crate::render::review_human::explain(rule));
        return EXIT_OK;
    }
    match Code::parse(&args.code) {
        Some(code) => {
            crate::render::stdout::print(code.explanation());
            EXIT_OK
        }
        None => {
            let mut d = crate::diagnostics::engine::unknown_code(&args.code);
            let mut help: Vec<String> = did_you_mean(
                &args.code.to_ascii_uppercase(),
                Code::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .chain(crate::review::rules::RULES.iter().map(|r| r.id)),
            )
            .into_iter()
            .collect();
            help.push("`amlplan explain list` lists every code".into());
            d = d.with_help(help.join("\n"));
            crate::render::stderr::print(format_args!(
                "{}",
                crate::render::diagnostic_line::render(&d)
            ));
            EXIT_ERROR
        }
    }
}
