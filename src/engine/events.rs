//! What the engine reports while it works. Renderers (`src/render/progress_*.rs`) turn these
//! events into a display; the engine itself never prints.

use std::time::Duration;

use crate::apply::Op;
use crate::provider::ArmError;

#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A refresh starts reading this many resources.
    RefreshStarted {
        resources: usize,
    },
    /// The refresh has read every resource (`failed` of them could not be read).
    RefreshFinished {
        resources: usize,
        failed: usize,
    },
    /// An apply starts running these operations.
    ApplyStarted {
        ops: &'a [Op],
    },
    OpStarted {
        op: &'a Op,
    },
    OpFinished {
        op: &'a Op,
        elapsed: Duration,
    },
    OpFailed {
        op: &'a Op,
        elapsed: Duration,
        error: &'a ArmError,
    },
    /// Not attempted because `because` failed.
    OpSkipped {
        op: &'a Op,
        because: &'a Op,
    },
}

/// Where events go. Called from the engine's worker threads, concurrently.
pub trait EventSink: Send + Sync {
    fn event(&self, event: &Event<'_>);
}

/// Drops every event (tests, benchmarks, commands that show no progress).
pub struct NoEvents;

impl EventSink for NoEvents {
    fn event(&self, _: &Event<'_>) {}
}
