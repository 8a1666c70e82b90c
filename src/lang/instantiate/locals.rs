//! Locals are resolved dependencies first: before a local's expression is evaluated, the
//! locals it names (found in its syntax, transitively) are evaluated in dependency order
//! with an explicit stack. Each then finds the locals it reads already computed, so a chain
//! `x0 = local.x1`, ..., `xN = 1` evaluates without nesting one evaluation per link (which is
//! what once overflowed the stack at about 2,100 links).
//!
//! A cycle is left to the lazy evaluation, which reports it as before (E0310); anything the
//! syntax does not show (a local read through a module output) is also evaluated lazily,
//! bounded by [`crate::lang::depth`].

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::visit::{Visit, visit_traversal};

use super::instances::Instance;
use crate::source::{FileId, Span};

impl Instance<'_> {
    /// Evaluates, in dependency order, the not yet evaluated locals that `name`'s expression
    /// reads, directly or through other locals, but not `name` itself (read at `span`).
    pub(super) fn evaluate_locals_read_by(&self, name: &str, span: Span) {
        #[derive(PartialEq)]
        enum Mark {
            Open,
            Closed,
        }
        let decls = self.decls();
        let mut marks: HashMap<&str, Mark> = HashMap::new();
        // (local, the reference that named it, whether its dependencies are already pushed)
        let mut stack: Vec<(&str, Span, bool)> = vec![(name, span, false)];
        let mut order: Vec<(&str, Span)> = Vec::new();
        while let Some((local, span, expanded)) = stack.pop() {
            if expanded {
                marks.insert(local, Mark::Closed);
                order.push((local, span));
                continue;
            }
            if marks.contains_key(local) {
                continue;
            }
            let Some((key, decl)) = decls.locals.get_key_value(local) else {
                continue;
            };
            marks.insert(key.as_str(), Mark::Open);
            stack.push((key.as_str(), span, true));
            for (read, at) in locals_named(decl.attr.file, &decl.attr.node.value) {
                let Some((read, _)) = decls.locals.get_key_value(read.as_str()) else {
                    continue;
                };
                match marks.get(read.as_str()) {
                    // A cycle: the lazy evaluation finds and reports it.
                    Some(Mark::Open) => return,
                    Some(Mark::Closed) => {}
                    None if self.locals.borrow().contains_key(read.as_str()) => {}
                    None => stack.push((read.as_str(), at, false)),
                }
            }
        }
        for (local, span) in order {
            if local != name {
                let _ = self.resolve_local(local, span);
            }
        }
    }
}

/// The `local.NAME` references in `expr`, each with its span, in the order written.
fn locals_named(file: FileId, expr: &Expression) -> Vec<(String, Span)> {
    struct Finder {
        file: FileId,
        found: Vec<(String, Span)>,
    }
    impl Visit for Finder {
        fn visit_traversal(&mut self, node: &Traversal) {
            if let (Expression::Variable(root), Some(first)) = (&node.expr, node.operators.first())
                && root.value().as_str() == "local"
                && let TraversalOperator::GetAttr(name) = first.value()
            {
                let span = Span::from_opt(self.file, node.expr.span())
                    .to(Span::from_opt(self.file, first.span()));
                self.found.push((name.value().as_str().to_string(), span));
            }
            visit_traversal(self, node);
        }
    }
    let mut finder = Finder {
        file,
        found: Vec::new(),
    };
    finder.visit_expr(expr);
    finder.found
}
