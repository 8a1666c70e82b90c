//! amlplan: a compiler and planner for Azure Machine Learning infrastructure manifests.
//!
//! The pipeline, in the order a command runs it:
//!
//! 1. [`load`]: read the `*.hcl` files of a directory into [`source::Sources`] and parse them
//!    with `hcl-edit`, keeping spans ([`syntax`]).
//! 2. [`lang`]: evaluate variables, locals, modules and expressions, expanding `for_each` and
//!    `count`, into the spanned [`model::Manifest`].
//! 3. [`check`]: check every block against its [`schema`] table and the cross-resource rules,
//!    producing [`diagnostic::Diagnostic`]s.
//! 4. [`render`]: print diagnostics (human or JSON).
//!
//! The library interface is for the `amlplan` binary and its tests; it is not stable.

pub mod apply;
pub mod arm;
pub mod azure;
pub mod check;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod compile;
pub mod cost;
pub mod diagnostic;
pub mod diagnostics;
pub mod engine;
pub mod format;
pub mod fs;
pub mod graph;
pub mod json_path;
pub mod lang;
pub mod load;
pub mod model;
pub mod plan;
pub mod provider;
pub mod render;
pub mod review;
pub mod schema;
pub mod sensitive;
pub mod source;
pub mod state;
pub mod suggest;
