use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = amlplan::cli::Cli::parse();
    let code = amlplan::commands::run(cli);
    ExitCode::from(code)
}
