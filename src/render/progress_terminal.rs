//! Apply progress as a live display on a terminal: one summary line with the counts (done,
//! running, failed, not attempted, waiting) and one spinner per running operation, so the
//! display stays a few lines tall at ten thousand operations. Finished operations are printed
//! above it as permanent lines when there are few of them (as Terraform does); failures
//! always are. Every event costs O(1): only running operations have a bar.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::apply::Op;
use crate::engine::events::{Event, EventSink};

/// Up to this many operations, each finished one gets its own line above the display.
const EVERY_LINE_UP_TO: usize = 100;

#[derive(Default)]
pub struct TerminalProgress {
    display: Mutex<Option<Display>>,
    /// Draw nowhere (tests).
    hidden: bool,
}

/// How many operations are in each state.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub done: usize,
    pub running: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Counts {
    fn waiting(&self) -> usize {
        self.total
            .saturating_sub(self.done + self.running + self.failed + self.skipped)
    }

    fn line(&self) -> String {
        let mut text = format!(
            "{}/{} done, {} running, {} waiting",
            self.done,
            self.total,
            self.running,
            self.waiting()
        );
        if self.failed > 0 {
            text.push_str(&format!(", {} failed", self.failed));
        }
        if self.skipped > 0 {
            text.push_str(&format!(", {} not attempted", self.skipped));
        }
        text
    }
}

struct Display {
    multi: indicatif::MultiProgress,
    summary: indicatif::ProgressBar,
    /// The spinners of the running operations, by operation.
    running: HashMap<String, indicatif::ProgressBar>,
    counts: Counts,
    every_line: bool,
}

impl TerminalProgress {
    pub fn new() -> TerminalProgress {
        TerminalProgress::default()
    }

    /// A display that draws nothing, for tests of its bookkeeping.
    pub fn hidden() -> TerminalProgress {
        TerminalProgress {
            hidden: true,
            ..TerminalProgress::default()
        }
    }

    /// The counts so far and how many spinners exist.
    pub fn counts(&self) -> Option<(Counts, usize)> {
        let display = self.display.lock().unwrap_or_else(|e| e.into_inner());
        display.as_ref().map(|d| (d.counts, d.running.len()))
    }

    fn start(&self, ops: &[Op]) {
        let multi = if self.hidden {
            indicatif::MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::hidden())
        } else {
            indicatif::MultiProgress::new()
        };
        let summary = multi.add(indicatif::ProgressBar::new(ops.len() as u64));
        summary.set_style(
            indicatif::ProgressStyle::with_template("{bar:24} {msg} ({elapsed})")
                .expect("valid template"),
        );
        let counts = Counts {
            total: ops.len(),
            ..Counts::default()
        };
        summary.set_message(counts.line());
        summary.enable_steady_tick(std::time::Duration::from_millis(250));
        *self.display.lock().unwrap_or_else(|e| e.into_inner()) = Some(Display {
            multi,
            summary,
            running: HashMap::new(),
            counts,
            every_line: ops.len() <= EVERY_LINE_UP_TO,
        });
    }

    fn with_display(&self, f: impl FnOnce(&mut Display)) {
        let mut display = self.display.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = display.as_mut() {
            f(d);
            d.summary
                .set_position((d.counts.done + d.counts.failed + d.counts.skipped) as u64);
            d.summary.set_message(d.counts.line());
            let settled = d.counts.waiting() == 0 && d.counts.running == 0;
            if settled {
                d.summary.finish();
            }
        }
    }
}

fn op_key(op: &Op) -> String {
    format!("{}|{}", op.address, op.verb().0)
}

impl Display {
    fn stop_spinner(&mut self, op: &Op) {
        if let Some(bar) = self.running.remove(&op_key(op)) {
            bar.finish_and_clear();
            self.multi.remove(&bar);
            self.counts.running = self.counts.running.saturating_sub(1);
        }
    }

    fn permanent(&self, line: String) {
        // A closed terminal is not worth failing the apply over.
        let _ = self.multi.println(line);
    }
}

impl EventSink for TerminalProgress {
    fn event(&self, event: &Event<'_>) {
        match *event {
            Event::ApplyStarted { ops } => self.start(ops),
            Event::OpStarted { op } => self.with_display(|d| {
                let bar = d.multi.add(indicatif::ProgressBar::new_spinner());
                bar.set_style(
                    indicatif::ProgressStyle::with_template("  {spinner} {msg} ({elapsed})")
                        .expect("valid template"),
                );
                bar.set_message(format!("{} {}", op.address, op.verb().0.to_lowercase()));
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                d.running.insert(op_key(op), bar);
                d.counts.running += 1;
            }),
            Event::OpFinished { op, elapsed } => self.with_display(|d| {
                d.stop_spinner(op);
                d.counts.done += 1;
                if d.every_line {
                    d.permanent(format!(
                        "✓ {} {} complete after {:.1}s",
                        op.address,
                        op.verb().1.to_lowercase(),
                        elapsed.as_secs_f64()
                    ));
                }
            }),
            Event::OpFailed { op, elapsed, error } => self.with_display(|d| {
                d.stop_spinner(op);
                d.counts.failed += 1;
                d.permanent(format!(
                    "✗ {} failed after {:.1}s: {}",
                    op.address,
                    elapsed.as_secs_f64(),
                    error.code
                ));
            }),
            Event::OpSkipped { op, because } => self.with_display(|d| {
                d.counts.skipped += 1;
                if d.every_line {
                    d.permanent(format!(
                        "- {} not attempted ({} failed)",
                        op.address, because.address
                    ));
                }
            }),
            Event::RefreshStarted { .. } | Event::RefreshFinished { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::OpKind;

    fn ops(n: usize) -> Vec<Op> {
        (0..n)
            .map(|i| Op {
                address: format!("workspace.w{i}"),
                kind: OpKind::Forget(Box::new(crate::plan::Prior {
                    address: format!("workspace.w{i}"),
                    kind: "workspace".into(),
                    id: format!("/workspaces/w{i}"),
                    api_version: "2025-09-01".into(),
                    ..crate::plan::Prior::default()
                })),
                deps: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn ten_thousand_operations_keep_the_display_to_the_running_ones() {
        let progress = TerminalProgress::hidden();
        let ops = ops(10_000);
        progress.event(&Event::ApplyStarted { ops: &ops });
        let elapsed = std::time::Duration::from_millis(5);
        for window in ops.chunks(10) {
            for op in window {
                progress.event(&Event::OpStarted { op });
            }
            let (counts, spinners) = progress.counts().expect("started");
            assert_eq!(spinners, window.len());
            assert_eq!(counts.running, window.len());
            for op in window {
                progress.event(&Event::OpFinished { op, elapsed });
            }
        }
        let (counts, spinners) = progress.counts().expect("started");
        assert_eq!(spinners, 0);
        assert_eq!(
            counts,
            Counts {
                total: 10_000,
                done: 10_000,
                ..Counts::default()
            }
        );
        assert_eq!(counts.line(), "10000/10000 done, 0 running, 0 waiting");
    }

    #[test]
    fn failures_and_skips_are_counted() {
        let progress = TerminalProgress::hidden();
        let ops = ops(3);
        progress.event(&Event::ApplyStarted { ops: &ops });
        progress.event(&Event::OpStarted { op: &ops[0] });
        let error = crate::provider::ArmError {
            status: 409,
            code: "Conflict".into(),
            message: "another operation is in progress".into(),
        };
        progress.event(&Event::OpFailed {
            op: &ops[0],
            elapsed: std::time::Duration::ZERO,
            error: &error,
        });
        progress.event(&Event::OpSkipped {
            op: &ops[1],
            because: &ops[0],
        });
        let (counts, spinners) = progress.counts().expect("started");
        assert_eq!(spinners, 0);
        assert_eq!(
            counts.line(),
            "0/3 done, 0 running, 1 waiting, 1 failed, 1 not attempted"
        );
    }
}
