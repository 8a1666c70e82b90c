//! Apply progress as plain lines on stderr, like Terraform's non-interactive output.

use crate::engine::events::{Event, EventSink};

pub struct LineProgress;

impl EventSink for LineProgress {
    fn event(&self, event: &Event<'_>) {
        match *event {
            Event::OpStarted { op } => {
                crate::render::stderr::println(format_args!("{}: {}...", op.address, op.verb().0))
            }
            Event::OpFinished { op, elapsed } => crate::render::stderr::println(format_args!(
                "{}: {} complete after {:.1}s",
                op.address,
                op.verb().1,
                elapsed.as_secs_f64()
            )),
            Event::OpFailed { op, elapsed, error } => crate::render::stderr::println(format_args!(
                "{}: failed after {:.1}s: {error}",
                op.address,
                elapsed.as_secs_f64()
            )),
            Event::OpSkipped { op, because } => crate::render::stderr::println(format_args!(
                "{}: not attempted because {} failed",
                op.address, because.address
            )),
            Event::RefreshStarted { .. }
            | Event::RefreshFinished { .. }
            | Event::ApplyStarted { .. } => {}
        }
    }
}
