//! E04xx: binding variables — types, validation, required values, undeclared names.
//!
//! All call sites use these constructors (type errors of module inputs are E0804, in
//! `modules.rs`).

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;

/// E0401: a variable's value does not convert to its type. `place` is empty or
/// " at `path`"; `message` says what did not match.
pub fn value_type_mismatch(
    name: &str,
    ty: &str,
    place: &str,
    message: &str,
    span: Span,
    declared: Span,
) -> Diagnostic {
    type_mismatch(Code::E0401, name, ty, place, message, span, declared)
}

/// The message of E0401 and E0804, which differ only by where the value came from.
pub(super) fn type_mismatch(
    code: Code,
    name: &str,
    ty: &str,
    place: &str,
    message: &str,
    span: Span,
    declared: Span,
) -> Diagnostic {
    Diagnostic::new(
        code,
        format!("the value for `{name}` does not match its type {ty}{place}: {message}"),
    )
    .at(span, format!("expected {ty}"))
    .with_secondary(declared, "the variable is declared here")
}

/// E0402: a validation condition is false. `message` is the block's `error_message`,
/// `shown` the value as it may be shown (`(sensitive value)` for a sensitive one).
pub fn validation_failed(
    name: &str,
    message: &str,
    shown: &str,
    span: Span,
    condition: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0402,
        format!("invalid value for `{name}`: {message}"),
    )
    .at(span, format!("this value ({shown}) fails validation"))
    .with_secondary(condition, "the condition that failed")
}

/// E0403: a root variable without a default that no input sets.
pub fn required_variable_not_set(name: &str, declared: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0403,
        format!("required variable `{name}` is not set"),
    )
    .at(declared, "declared without a default")
    .with_help(format!(
        "set it with --var {name}=VALUE, a --var-file, or AMLPLAN_VAR_{name}; or give it a default"
    ))
}

/// E0404: a `type` that is not a type expression. `message` says what is wrong.
pub fn invalid_type(name: &str, message: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0404,
        format!("invalid type for variable `{name}`: {message}"),
    )
    .at(span, "not a type")
    .with_help("types are string, number, bool, any, list(T), set(T), map(T), tuple([...]) and object({...})")
}

/// E0405: a value given (`--var`, var file, environment) for a variable no block declares.
pub fn undeclared_variable<'a>(
    name: &str,
    span: Span,
    declared: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0405,
        format!("a value was given for undeclared variable `{name}`"),
    )
    .at(span, "no variable block declares this");
    match did_you_mean(name, declared) {
        Some(h) => d.with_help(h),
        None => d,
    }
}
