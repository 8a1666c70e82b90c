//! The bounds on how deeply evaluation nests, so no manifest can overflow the stack.
//!
//! The parser already bounds one expression (hcl-edit: 64 nested levels, 128 chained binary
//! operators), but evaluation also nests through what an expression reads: a module output
//! evaluates the module's inputs, a `for_each` the expression it names, and a reference to a
//! local its expression (locals are resolved dependencies first, without nesting, see
//! `instantiate::locals`, so a plain chain of locals does not count). Every nested
//! evaluation of an expression counts one level here, every nested module instance and
//! `for_each`/`count` shape [`INSTANCE_LEVELS`], and past [`MAX_EVALUATION_DEPTH`] the evaluation stops with E0312, naming the chain of
//! names that led there. The bound is chosen so the deepest evaluation it allows fits well
//! within an ordinary 8 MiB thread stack in a debug build (`tests/hostile.rs` proves it on
//! such a thread).
//!
//! Values are bounded too: a chain of locals each wrapping the previous one in a list nests
//! one level per local without any evaluation nesting, and every later walk over the value
//! (comparison, conversion to JSON, dropping it) recurses. A value nested deeper than
//! [`MAX_VALUE_DEPTH`] is E0313 where it is computed.
//!
//! The compiler is single-threaded per run; the counter is the calling thread's.

use std::cell::{Cell, RefCell};

use crate::lang::value::Value;
use crate::source::Span;

/// How many evaluations (expressions within expressions, and the locals, module outputs,
/// `for_each` shapes and module instances they read) may be open at once.
pub const MAX_EVALUATION_DEPTH: usize = 1_000;

/// How many module instances one manifest may make. Modules that each call the next one
/// twice make 2^depth instances: without a bound, 25 levels evaluate for half an hour. Real
/// platforms instantiate tens to hundreds.
pub const MAX_MODULE_INSTANCES: usize = 10_000;

/// How deeply lists and objects may nest in a value.
pub const MAX_VALUE_DEPTH: usize = 256;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// The names being resolved, outermost first (`local.a`, `module.m.out`, ...).
    static CHAIN: RefCell<Vec<(String, Span)>> = const { RefCell::new(Vec::new()) };
}

/// One open level of evaluation; the level closes when this is dropped.
#[must_use]
pub struct Level(usize);

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(self.0)));
    }
}

/// What one expression evaluated within another counts.
pub const EXPRESSION_LEVELS: usize = 1;

/// What a module instance or a `for_each`/`count` shape counts: each takes several times an
/// expression's stack (the instance's or the block's own work sits between the expressions).
pub const INSTANCE_LEVELS: usize = 4;

/// Opens `levels` levels, or `None` when that would pass [`MAX_EVALUATION_DEPTH`].
pub fn enter(levels: usize) -> Option<Level> {
    DEPTH.with(|d| {
        let depth = d.get() + levels;
        (depth <= MAX_EVALUATION_DEPTH).then(|| {
            d.set(depth);
            Level(levels)
        })
    })
}

/// A name being resolved (its evaluation is open); it leaves the chain when dropped.
#[must_use]
pub struct Resolving(());

impl Drop for Resolving {
    fn drop(&mut self) {
        CHAIN.with(|c| c.borrow_mut().pop());
    }
}

/// Records that `name` (as written: `local.x`, `module.m.out`) is being resolved from the
/// reference at `span`.
pub fn resolving(name: impl FnOnce() -> String, span: Span) -> Resolving {
    CHAIN.with(|c| c.borrow_mut().push((name(), span)));
    Resolving(())
}

/// The names being resolved, outermost first, each with the reference that started it.
pub fn chain() -> Vec<(String, Span)> {
    CHAIN.with(|c| c.borrow().clone())
}

/// Whether `value` nests lists and objects more than [`MAX_VALUE_DEPTH`] deep. Walks at most
/// that deep, so the walk itself is bounded.
pub fn value_too_deep(value: &Value) -> bool {
    fn deeper_than(value: &Value, limit: usize) -> bool {
        match value {
            Value::List(items) => limit == 0 || items.iter().any(|v| deeper_than(v, limit - 1)),
            Value::Map(map) => limit == 0 || map.values().any(|v| deeper_than(v, limit - 1)),
            _ => false,
        }
    }
    deeper_than(value, MAX_VALUE_DEPTH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_close_when_dropped_and_stop_at_the_bound() {
        let mut open = Vec::new();
        while let Some(level) = enter(EXPRESSION_LEVELS) {
            open.push(level);
        }
        assert_eq!(open.len(), MAX_EVALUATION_DEPTH);
        open.pop();
        assert!(enter(EXPRESSION_LEVELS).is_some(), "one level was freed");
        assert!(enter(INSTANCE_LEVELS).is_none(), "not four");
        open.clear();
        assert_eq!(DEPTH.with(Cell::get), 0);
    }

    #[test]
    fn value_depth_counts_lists_and_maps() {
        let mut value = Value::int(1);
        for i in 0..MAX_VALUE_DEPTH {
            value = if i % 2 == 0 {
                Value::List(vec![value])
            } else {
                Value::Map([("k".to_string(), value)].into())
            };
        }
        assert!(!value_too_deep(&value));
        assert!(value_too_deep(&Value::List(vec![value])));
    }
}
