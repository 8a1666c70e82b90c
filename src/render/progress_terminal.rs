//! Apply progress as a live display on a terminal: one line per operation, waiting, running
//! (with a spinner and elapsed time), done or failed.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::apply::Op;
use crate::engine::events::{Event, EventSink};

#[derive(Default)]
pub struct TerminalProgress {
    /// The bars, created when the apply starts; the `MultiProgress` owns their drawing for
    /// as long as the apply runs.
    display: Mutex<Option<Display>>,
}

struct Display {
    _multi: indicatif::MultiProgress,
    bars: HashMap<String, indicatif::ProgressBar>,
}

impl TerminalProgress {
    pub fn new() -> TerminalProgress {
        TerminalProgress::default()
    }

    fn start(&self, ops: &[Op]) {
        let multi = indicatif::MultiProgress::new();
        let waiting = indicatif::ProgressStyle::with_template("  {msg}").expect("valid template");
        let mut bars = HashMap::new();
        for op in ops {
            let bar = multi.add(indicatif::ProgressBar::new_spinner());
            bar.set_style(waiting.clone());
            bar.set_message(format!("· {} waiting", op.address));
            bars.insert(op_key(op), bar);
        }
        *self.display.lock().unwrap_or_else(|e| e.into_inner()) = Some(Display {
            _multi: multi,
            bars,
        });
    }

    fn bar(&self, op: &Op) -> Option<indicatif::ProgressBar> {
        self.display
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()?
            .bars
            .get(&op_key(op))
            .cloned()
    }
}

fn op_key(op: &Op) -> String {
    format!("{}|{}", op.address, op.verb().0)
}

impl EventSink for TerminalProgress {
    fn event(&self, event: &Event<'_>) {
        match *event {
            Event::ApplyStarted { ops } => self.start(ops),
            Event::OpStarted { op } => {
                if let Some(bar) = self.bar(op) {
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                            .expect("valid template"),
                    );
                    bar.set_message(format!("{} {}", op.address, op.verb().0.to_lowercase()));
                    bar.enable_steady_tick(std::time::Duration::from_millis(120));
                }
            }
            Event::OpFinished { op, elapsed } => {
                if let Some(bar) = self.done_bar(op) {
                    bar.finish_with_message(format!(
                        "✓ {} {} complete after {:.1}s",
                        op.address,
                        op.verb().1.to_lowercase(),
                        elapsed.as_secs_f64()
                    ));
                }
            }
            Event::OpFailed { op, elapsed, error } => {
                if let Some(bar) = self.done_bar(op) {
                    bar.finish_with_message(format!(
                        "✗ {} failed after {:.1}s: {}",
                        op.address,
                        elapsed.as_secs_f64(),
                        error.code
                    ));
                }
            }
            Event::OpSkipped { op, because } => {
                if let Some(bar) = self.bar(op) {
                    bar.finish_with_message(format!(
                        "- {} not attempted ({} failed)",
                        op.address, because.address
                    ));
                }
            }
            Event::RefreshStarted { .. } | Event::RefreshFinished { .. } => {}
        }
    }
}

impl TerminalProgress {
    /// The bar of a finished operation, restyled without the spinner.
    fn done_bar(&self, op: &Op) -> Option<indicatif::ProgressBar> {
        let bar = self.bar(op)?;
        bar.set_style(indicatif::ProgressStyle::with_template("  {msg}").expect("valid template"));
        Some(bar)
    }
}
