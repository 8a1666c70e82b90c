use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = amlplan::cli::normalize_args(std::env::args_os());
    let cli = amlplan::cli::Cli::parse_from(args);
    let code = amlplan::commands::run(cli);
    ExitCode::from(code)
}
