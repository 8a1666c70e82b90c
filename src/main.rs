use std::process::ExitCode;

use clap::Parser;

// The compiler and planner allocate many small values (spans, JSON bodies); mimalloc is
// markedly faster than the system allocator for that pattern on large manifests.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stack of the thread that runs the command. Parsing and evaluation recurse over the
/// nesting of expressions; their bounds (`lang::depth`, hcl-edit's parser) fit an ordinary
/// 8 MiB stack, and this size is the defence in depth for anything they miss. Only the pages
/// touched are ever committed.
const COMMAND_STACK_BYTES: usize = 256 * 1024 * 1024;

fn main() -> ExitCode {
    let args = amlplan::cli::normalize_args(std::env::args_os());
    let cli = amlplan::cli::Cli::parse_from(args);
    let command = std::thread::Builder::new()
        .name("amlplan".into())
        .stack_size(COMMAND_STACK_BYTES)
        .spawn(move || amlplan::commands::run(cli));
    let code = match command {
        // A panic's message is already on stderr; 101 is Rust's usual status for it.
        Ok(handle) => handle.join().unwrap_or(101),
        // No thread (a tight ulimit): run on the main thread's stack instead.
        Err(_) => amlplan::commands::run(amlplan::cli::Cli::parse_from(
            amlplan::cli::normalize_args(std::env::args_os()),
        )),
    };
    ExitCode::from(code)
}
