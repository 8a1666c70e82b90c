//! E08xx: modules — sources, inputs, outputs, self-inclusion, root-only blocks.
//!
//! All call sites use these constructors.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;

/// E0801: a `source` that is not a string literal.
pub fn source_not_literal(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0801, "a module `source` must be a string literal")
        .at(span, "not a literal string")
        .with_help("module sources are resolved before any expression is evaluated, so write the path directly: source = \"../modules/x\"")
}

/// E0801: a `source` that names no directory.
pub fn source_not_found(source: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0801,
        format!("module source `{source}` is not a directory"),
    )
    .at(span, "no such directory")
    .with_help("a local module source is a directory path relative to the file's directory")
}

/// E0802: a module call sets an input the module does not declare. `inputs` are the ones
/// it declares.
pub fn unknown_input(module: &str, key: &str, inputs: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0802,
        format!("module `{module}` has no input `{key}`"),
    )
    .at(span, "unknown input");
    if let Some(h) = did_you_mean(key, inputs.iter().copied()) {
        d.with_help(h)
    } else if inputs.is_empty() {
        d.with_help("the module declares no variables")
    } else {
        d.with_help(format!("its inputs are: {}", inputs.join(", ")))
    }
}

/// E0803: a module call that does not set a required input.
pub fn missing_input(name: &str, call: Span, declared: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0803,
        format!("the module call does not set required input `{name}`"),
    )
    .at(call, format!("`{name}` is missing here"))
    .with_secondary(declared, "declared here without a default")
    .with_help(format!("add `{name} = ...` to the module block"))
}

/// E0804: a module input whose value does not convert to the variable's type.
pub fn input_type_mismatch(
    name: &str,
    ty: &str,
    place: &str,
    message: &str,
    span: Span,
    declared: Span,
) -> Diagnostic {
    super::variables::type_mismatch(Code::E0804, name, ty, place, message, span, declared)
}

/// E0805: a module that includes itself; `chain` are the module directories of the loop.
pub fn includes_itself(name: &str, chain: &[String], span: Option<Span>) -> Diagnostic {
    let first = chain.first().map_or("", String::as_str);
    let d = Diagnostic::new(
        Code::E0805,
        format!(
            "module `{name}` includes itself ({} -> {first})",
            chain.join(" -> ")
        ),
    )
    .with_help("a module cannot use itself, directly or through other modules");
    match span {
        Some(span) => d.at(
            span,
            "this source leads back to a module that is already being expanded",
        ),
        None => d,
    }
}

/// E0806: `module.NAME.OUTPUT` naming an output the module does not have. `outputs` are
/// the ones it has.
pub fn unknown_output(name: &str, outputs: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(Code::E0806, format!("the module has no output `{name}`"))
        .at(span, "no such output");
    if let Some(h) = did_you_mean(name, outputs.iter().copied()) {
        d.with_help(h)
    } else if !outputs.is_empty() {
        d.with_help(format!("its outputs are: {}", outputs.join(", ")))
    } else {
        d
    }
}

/// E0806: `module` with no module name after it.
pub fn bare_module(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0806, "`module` must be followed by a module name")
        .at(span, "expected `module.NAME.OUTPUT`")
}

/// E0806: `module.NAME` with no output name after it.
pub fn module_without_output(module: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0806,
        format!("`module.{module}` must be followed by an output name"),
    )
    .at(span, "expected `module.NAME.OUTPUT`")
}

/// E0807: a root-only block (`azure`, `backend`, `budget`, ...) inside a module.
pub fn root_only_block(kind: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0807,
        format!("a `{kind}` block is not allowed inside a module"),
    )
    .at(span, "only the root manifest may have this")
    .with_help(format!(
        "move the `{kind}` block to the root manifest; a module inherits the root's settings"
    ))
}
