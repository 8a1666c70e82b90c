//! The expression language: values, types, functions and durations; the evaluator; and the
//! instantiation of modules into the evaluated manifest.

pub mod decls;
pub mod depth;
pub mod duration;
pub mod eval;
pub mod functions;
pub mod instantiate;
pub mod number;
pub mod types;
pub mod unify;
pub mod value;
