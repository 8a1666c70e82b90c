//! The expression language: values, types, functions, durations and the evaluator.

pub mod duration;
pub mod functions;
pub mod types;
pub mod value;
