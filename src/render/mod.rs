//! Renderers: one file per output format. They only read diagnostics and sources.

pub mod human;
pub mod json;
