//! `amlplan completions SHELL`: a completion script generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

use super::EXIT_OK;

pub fn run(args: &CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "amlplan", &mut std::io::stdout());
    EXIT_OK
}
