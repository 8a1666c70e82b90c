use std::process::ExitCode;

use clap::Parser;

// The compiler and planner allocate many small values (spans, JSON bodies); mimalloc is
// markedly faster than the system allocator for that pattern on large manifests.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = amlplan::cli::normalize_args(std::env::args_os());
    let cli = amlplan::cli::Cli::parse_from(args);
    let code = amlplan::commands::run(cli);
    ExitCode::from(code)
}
