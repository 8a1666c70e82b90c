//! `amlplan completions SHELL`: a completion script generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

use super::EXIT_OK;

pub fn run(args: &CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "amlplan", &mut script);
    crate::render::stdout::print(&String::from_utf8_lossy(&script));
    EXIT_OK
}
