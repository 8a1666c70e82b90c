//! The catalogue of diagnostics: the code table and one constructor file per stage.

pub mod codes;
pub mod engine;
