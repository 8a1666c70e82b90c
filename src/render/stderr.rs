//! The one way amlplan writes to stderr.
//!
//! `eprint!` panics when a write to stderr fails ("failed printing to stderr"), which it does
//! when stderr is a pipe whose reader has exited (`amlplan validate 2>&1 | head -1`). The
//! messages on stderr are a courtesy next to the exit code, so a failed write is dropped and
//! the command carries on and exits as it would have. (A closed descriptor, `2>&-`, is
//! reopened on `/dev/null` by Rust's runtime before `main`.)

use std::fmt;
use std::io::Write;

/// Writes `args` to stderr; a failed write is dropped, never a panic.
pub fn print(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.flush());
}

/// Writes `args` and a newline to stderr, as one write.
pub fn println(args: fmt::Arguments<'_>) {
    print(format_args!("{args}\n"));
}
