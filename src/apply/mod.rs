//! Applying a plan: turning resource changes into ARM operations ordered by the dependency
//! graph ([`operations`]) and running them concurrently ([`applier`], over the
//! [`scheduler`]), the state written as they go ([`state_writer`]).
//!
//! **Invariant:** before every ARM write a journal entry is saved to the state, and after it
//! the outcome and the applied request are saved, so a crash at any point leaves a state the
//! next run converges from.

pub mod applier;
pub mod operations;
pub mod scheduler;
pub mod state_writer;

pub use applier::{Applier, Known, OpResult, Resolve};
pub use operations::{Op, OpKind, operations};
pub use state_writer::StateWriter;
