//! The catalogue of diagnostics: the code table and one constructor file per stage.
//!
//! Each stage file holds a named constructor for every message of its codes; a constructor
//! takes typed arguments (names, spans, values already rendered for display) and builds the
//! message, labels and help, so a code's wording lives in one place and its meaning stays
//! the documented one (`docs/codes/CODE.md`). `tests/catalogue.rs` checks that every code
//! has a docs page, a constructor here and a corpus or test case.

pub mod codes;
pub mod constraints;
pub mod cost;
pub mod engine;
pub mod expressions;
pub mod load;
pub mod modules;
pub mod plan;
pub mod references;
pub mod review;
pub mod structure;
pub mod values;
pub mod variables;
