//! E06xx: references between resources and the dependency graph.
//!
//! All call sites use these constructors.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;

/// E0601: `KIND.NAME` where no KIND block has that name. `labels` are the names of the KIND
/// blocks of the module.
pub fn undefined_resource(kind: &str, label: &str, labels: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0601,
        format!("reference to undefined resource `{kind}.{label}`"),
    )
    .at(span, format!("no {kind} block has this name"));
    if let Some(h) = did_you_mean(label, labels.iter().copied()) {
        d.with_help(h)
    } else if labels.is_empty() {
        d.with_help(format!("there is no {kind} block in this module"))
    } else {
        d
    }
}

/// E0601: a resource kind with no block name after it.
pub fn kind_without_name(kind: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0601,
        format!("`{kind}` must be followed by a block name"),
    )
    .at(span, format!("expected `{kind}.NAME`"))
}

/// E0601: `module.NAME` where no module block has that name.
pub fn undefined_module(module: &str, modules: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0601,
        format!("reference to undefined module `module.{module}`"),
    )
    .at(span, "no module block has this name");
    match did_you_mean(module, modules.iter().copied()) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0601: a module output read where only literals are allowed (a variable default, a var
/// file): no module is defined there.
pub fn module_not_available(module: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0601,
        format!("`module.{module}` cannot be used here"),
    )
    .at(span, "only literal values are allowed here")
}

/// E0602: a reference to a resource of the wrong kind. `expected` is "a workspace" or "an
/// environment or a model", `example_kind` the first allowed kind.
pub fn wrong_kind(
    attr: &str,
    expected: &str,
    address: &str,
    article: &str,
    kind: &str,
    example_kind: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0602,
        format!("`{attr}` must refer to {expected}, but `{address}` is {article} {kind}"),
    )
    .at(span, format!("{article} {kind}, not {expected}"))
    .with_help(format!(
        "refer to {expected} block, e.g. `{attr} = {example_kind}.NAME`"
    ))
}

/// E0603: a dependency cycle. `chain` is "a -> b -> a"; the caller adds one secondary label
/// per edge with [`cycle_edge`].
pub fn dependency_cycle(chain: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0603, format!("dependency cycle: {chain}"))
        .at(span, "this resource depends on itself through the cycle")
        .with_help("ARM cannot create any of these first; remove one of the references or a `depends_on` entry")
}

/// The label of one edge of a dependency cycle.
pub fn cycle_edge(d: Diagnostic, from: &str, to: &str, attr: &str, span: Span) -> Diagnostic {
    d.with_secondary(span, format!("{from} depends on {to} here ({attr})"))
}

/// E0604: `KIND.NAME.ATTR` where the kind has no such attribute or export. `article` and
/// `kind` name the kind, `candidates` are its attributes and exports, `exports` its
/// exports alone (listed when nothing is close).
pub fn unknown_resource_attribute<'a>(
    name: &str,
    article: &str,
    kind: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    exports: &[&str],
    span: Span,
    whole: Span,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0604,
        format!("{article} {kind} has no attribute `{name}`"),
    )
    .at(span, "no such attribute")
    .with_secondary(whole, "in this reference");
    match did_you_mean(name, candidates) {
        Some(h) => d.with_help(h),
        None => d.with_help(format!(
            "besides its own attributes, a {kind} exports: {}",
            exports.join(", ")
        )),
    }
}

/// E0605: a `depends_on` entry that is not a resource reference. `found` describes it.
pub fn depends_on_entry(found: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0605,
        format!("`depends_on` entries must be resource references, found {found}"),
    )
    .at(span, "invalid entry")
    .with_help("write depends_on = [KIND.NAME, ...]")
}

/// E0605: `depends_on` that is not a list.
pub fn depends_on_not_a_list(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0605,
        "`depends_on` must be a list of resource references",
    )
    .at(span, "not a list")
    .with_help("write depends_on = [KIND.NAME, ...]")
}
