//! Applying a plan: turning resource changes into ARM operations ordered by the dependency
//! graph and running them concurrently.

pub mod scheduler;
