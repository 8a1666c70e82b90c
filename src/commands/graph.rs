//! `amlplan graph`: the dependency graph of plan entries as DOT or Mermaid.

use crate::cli::{GraphArgs, GraphFormat};
use crate::render::human::Style;

use super::{EXIT_ERROR, EXIT_OK};

pub fn run(args: &GraphArgs, style: Style) -> u8 {
    let Some(loaded) = super::pipeline::compile_and_lower(&args.manifest, style) else {
        return EXIT_ERROR;
    };
    let text = match args.format {
        GraphFormat::Dot => crate::render::graph::dot(&loaded.desired),
        GraphFormat::Mermaid => crate::render::graph::mermaid(&loaded.desired),
    };
    crate::render::stdout::print(&text);
    EXIT_OK
}
