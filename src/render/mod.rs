//! Renderers: one file per output format. They only read what they are given.

pub mod cost_human;
pub mod cost_json;
pub mod cost_markdown;
pub mod diagnostic_line;
pub mod excerpt;
pub mod graph;
pub mod human;
pub mod json;
pub mod plan_human;
pub mod plan_json;
pub mod plan_markdown;
pub mod plan_names;
pub mod progress_lines;
pub mod progress_terminal;
pub mod review_human;
pub mod review_json;
pub mod review_markdown;
pub mod review_sarif;
pub mod stderr;
pub mod stdout;
