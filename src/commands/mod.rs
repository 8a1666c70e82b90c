//! One function per subcommand. Each returns the process exit code.

pub mod apply;
pub mod backend;
pub mod completions;
pub mod cost;
pub mod emulator;
pub mod explain;
pub mod fmt;
pub mod graph;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod prices;
pub mod provider;
pub mod review;
pub mod state_cmd;
pub mod validate;

use std::io::IsTerminal;

use crate::cli::{Cli, ColorChoice, Command, ManifestArgs};
use crate::lang::instantiate::Inputs;
use crate::render::human::Style;

/// Exit codes.
pub const EXIT_OK: u8 = 0;
pub const EXIT_ERROR: u8 = 1;
/// `plan --detailed-exitcode` when there are changes.
pub const EXIT_CHANGES: u8 = 2;
/// `plan`, `apply` and `cost` when the forecast is above a budget's amount.
pub const EXIT_OVER_BUDGET: u8 = 3;
/// `review`, `plan` and `apply` when the review has findings at or above `fail_on`.
pub const EXIT_FINDINGS: u8 = 3;

pub fn run(cli: Cli) -> u8 {
    let style = style(cli.color, cli.max_errors);
    match cli.command {
        Command::Validate(args) => validate::run(&args, style),
        Command::Fmt(args) => fmt::run_with_style(&args, style),
        Command::Explain(args) => explain::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Graph(args) => graph::run(&args, style),
        Command::Cost(args) => cost::run(&args, style),
        Command::Review(args) => review::run(&args, style),
        Command::Plan(args) => plan::run(&args, style),
        Command::Apply(args) => apply::run(&args, style),
        Command::Destroy(args) => apply::run_destroy(&args, style),
        Command::Output(args) => output::run(&args),
        Command::State(command) => state_cmd::run(&command),
        Command::ForceUnlock(args) => state_cmd::force_unlock(&args),
        Command::Emulator(args) => emulator::run(&args, style),
        Command::Prices(crate::cli::PricesCommand::Update(args)) => prices::update(&args, style),
    }
}

/// The drawing style for stderr: colour per `--color` and `NO_COLOR`, width of the terminal.
pub fn style(choice: ColorChoice, max_errors: usize) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let max_shown = match max_errors {
        0 => usize::MAX,
        n => n,
    };
    Style {
        color,
        width,
        max_shown,
    }
}

/// Variable inputs from the command line and the environment.
pub fn inputs(args: &ManifestArgs) -> Result<Inputs, crate::diagnostic::Diagnostic> {
    let mut vars = Vec::new();
    for v in &args.vars {
        match v.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                vars.push((name.trim().to_string(), value.to_string()))
            }
            _ => return Err(crate::diagnostics::engine::invalid_var_argument(v)),
        }
    }
    Ok(Inputs {
        env: Inputs::from_env(),
        var_files: args.var_files.clone(),
        vars,
        known: Default::default(),
    })
}
