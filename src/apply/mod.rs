//! Applying a plan: turning resource changes into ARM operations ordered by the dependency
//! graph ([`operations`]) and running them concurrently ([`applier`], over the
//! [`scheduler`]), the state written as they go ([`state_writer`]).
//!
//! **Invariant:** before every ARM write a journal entry is durable (a record of the state's
//! write-ahead journal, fsynced), and after it the outcome and the applied request are, so a
//! crash at any point leaves a state the next run converges from; the old object of a
//! create-before-destroy replacement stays recorded (deposed) until its DELETE is confirmed.

pub mod applier;
pub mod operations;
pub mod scheduler;
pub mod state_writer;

pub use applier::{Applier, Known, OpResult, Resolve};
pub use operations::{Op, OpKind, operations};
pub use state_writer::StateWriter;
