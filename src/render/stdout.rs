//! The one way the commands write to stdout.
//!
//! `print!` panics when stdout is closed (`amlplan plan | head -1` gives "failed printing to
//! stdout: Broken pipe" and exit 101). Here a failed write is remembered instead: later writes
//! are dropped, the command keeps going (an apply that has started must still finish its
//! journal and state), and `main` exits quietly once the command is done, as Unix tools do.

use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write to stdout failed because the reader went away.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout and flushes it; a closed stdout is remembered, never a panic.
pub fn print(text: &str) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        note(&e);
    }
}

/// Writes `text` and a newline.
pub fn println(text: &str) {
    let mut line = String::with_capacity(text.len() + 1);
    line.push_str(text);
    line.push('\n');
    print(&line);
}

/// Records a failed write; any error means nothing more can usefully be written, but only a
/// broken pipe is the reader's choice (anything else, e.g. a full disk, is worth a note).
pub fn note(e: &std::io::Error) {
    if !CLOSED.swap(true, Ordering::Relaxed) && e.kind() != ErrorKind::BrokenPipe {
        crate::render::stderr::println(format_args!("amlplan: cannot write to stdout: {e}"));
    }
}

/// Whether a write to stdout failed during this run.
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}
