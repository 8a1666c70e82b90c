//! E03xx: evaluating expressions — names, functions, types, indexing, `for_each`/`count`,
//! cycles among locals and outputs.
//!
//! Call sites still building these inline: none in `lang/` (`lang/functions.rs` returns
//! plain errors that `lang/eval.rs` turns into [`invalid_function_arguments`] or
//! [`file_function_failed`]).

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;

/// E0301: `var` with nothing after it.
pub fn bare_var(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0301, "`var` must be followed by a variable name")
        .at(span, "expected `var.NAME`")
}

/// E0301: `var.NAME` where no variable block declares NAME.
pub fn undefined_variable<'a>(
    name: &str,
    span: Span,
    declared: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    Diagnostic::new(Code::E0301, format!("undefined variable `var.{name}`"))
        .at(span, "no variable block declares this")
        .with_help(
            did_you_mean(name, declared)
                .unwrap_or_else(|| format!("declare it: variable \"{name}\" {{ type = string }}")),
        )
}

/// E0302: `local` with nothing after it.
pub fn bare_local(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0302, "`local` must be followed by a name")
        .at(span, "expected `local.NAME`")
}

/// E0302: `local.NAME` where no locals block defines NAME.
pub fn undefined_local<'a>(
    name: &str,
    span: Span,
    defined: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(Code::E0302, format!("undefined local value `local.{name}`"))
        .at(span, "no locals block defines this");
    match did_you_mean(name, defined) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0303: a call to a function amlplan does not have.
pub fn unknown_function<'a>(
    name: &str,
    span: Span,
    functions: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(Code::E0303, format!("unknown function `{name}`"))
        .at(span, "no such function");
    match did_you_mean(name, functions) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0304: a function refused its arguments. `message` is the function's own error,
/// `signature` how the function is called (for the help).
pub fn invalid_function_arguments(
    function: &str,
    message: &str,
    span: Span,
    signature: Option<&str>,
) -> Diagnostic {
    let d = Diagnostic::new(Code::E0304, message.to_string()).at(span, "invalid argument");
    match signature {
        Some(sig) => d.with_help(format!("`{function}` takes {sig}")),
        None => d,
    }
}

/// E0307: `file()` could not read its file. `message` is the function's own error.
pub fn file_function_failed(message: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0307, message.to_string()).at(span, "invalid argument")
}

/// E0305: an operand or value of the wrong type in an expression. The caller adds the span
/// (operators know which operand is at fault).
pub fn type_error(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::E0305, message)
}

/// E0305: an operator that needs numbers got something else.
pub fn number_operand_expected(operator: &str, got: &str, span: Span) -> Diagnostic {
    type_error(format!("`{operator}` needs number operands, got {got}")).at(span, "not a number")
}

/// E0305: a `for` expression producing a key twice without the grouping mode.
pub fn duplicate_for_key(key: &str, span: Span) -> Diagnostic {
    type_error(format!("duplicate key `{key}` in `for` expression"))
        .at(span, "produced twice")
        .with_help("use the grouping mode `...` after the value to collect duplicates into lists")
}

/// E0305: a variable's validation condition that is not a bool.
pub fn validation_not_bool(got: &str, span: Span) -> Diagnostic {
    type_error(format!("a validation condition must be a bool, got {got}")).at(span, "not a bool")
}

/// E0306: an index on a resource without `for_each` or `count`.
pub fn single_resource_indexed(address: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0306,
        format!("`{address}` is a single resource and cannot be indexed"),
    )
    .at(span, "no for_each or count on this block")
    .with_help(format!("refer to it as `{address}`"))
}

/// E0306: `.name` on an object that has no such attribute. `keys` are the ones it has.
pub fn no_such_attribute(name: &str, keys: &[&str], span: Span, whole: Span) -> Diagnostic {
    let d = Diagnostic::new(Code::E0306, format!("this value has no attribute `{name}`"))
        .at(span, "no such attribute")
        .with_secondary(whole, "in this expression");
    if let Some(h) = did_you_mean(name, keys.iter().copied()) {
        d.with_help(h)
    } else if !keys.is_empty() {
        d.with_help(format!("it has: {}", keys.join(", ")))
    } else {
        d
    }
}

/// E0306: `.name` on a value that is not an object.
pub fn attribute_of_non_object(name: &str, type_name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0306,
        format!("cannot read attribute `{name}` of a {type_name}"),
    )
    .at(span, "not an object")
}

/// E0306: a list index past the end (or negative, or fractional). `index` is as written.
pub fn index_out_of_range(index: &str, len: usize, span: Span, whole: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0306,
        format!("index {index} is out of range for a list of {len} element(s)"),
    )
    .at(span, "out of range")
    .with_secondary(whole, "in this expression")
}

/// E0306: a map key that is not there. `keys` are the ones it has.
pub fn no_such_key(key: &str, keys: &[&str], span: Span, whole: Span) -> Diagnostic {
    let d = Diagnostic::new(Code::E0306, format!("no element with key {key:?}"))
        .at(span, "no such key")
        .with_secondary(whole, "in this expression");
    if let Some(h) = did_you_mean(key, keys.iter().copied()) {
        d.with_help(h)
    } else if !keys.is_empty() {
        d.with_help(format!(
            "the keys are: {}",
            keys.iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    } else {
        d
    }
}

/// E0306: an index of the wrong type for the value indexed.
pub fn invalid_index(value_type: &str, index_type: &str, span: Span, whole: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0306,
        format!("cannot index a {value_type} with a {index_type}"),
    )
    .at(span, "invalid index")
    .with_secondary(whole, "in this expression")
}

/// E0308: the `for_each` or `count` of a block that depends on the block itself.
pub fn repetition_depends_on_itself(kind: &str, label: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0308,
        format!("the `for_each` or `count` of `{kind}.{label}` depends on the resource itself"),
    )
    .at(span, "part of a cycle")
}

/// E0308: both `for_each` and `count` on one block.
pub fn for_each_and_count(span: Span, for_each: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0308,
        "a block cannot have both `for_each` and `count`",
    )
    .at(span, "remove this or `for_each`")
    .with_secondary(for_each, "`for_each` is set here")
}

/// E0308: `for_each` given a list literal.
pub fn for_each_list_literal(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0308, "`for_each` takes a map or a set, not a list")
        .at(span, "a list literal")
        .with_help("wrap it in toset([...]): a list may repeat elements, a set's elements are the instance keys")
}

/// E0308: `for_each` derived from a sensitive value.
pub fn for_each_sensitive(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0308, "`for_each` cannot use a sensitive value")
        .at(span, "derived from a sensitive variable")
        .with_help("instance keys appear in addresses and plans, so they must not be secret")
}

/// E0308: `for_each` over a list (set) with an element that is not a string.
pub fn for_each_non_string_element(got: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0308,
        format!("`for_each` over a list needs strings, found a {got}"),
    )
    .at(span, "use toset([...]) of strings, or a map")
    .with_help("a list of non-strings has no stable keys; use a map from names to values")
}

/// E0308: `for_each` whose value is known only after apply.
pub fn for_each_unknown(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0308, "`for_each` must be known before apply")
        .at(span, "depends on values known only after apply")
        .with_help("instance keys must be known at plan time; use names from variables or locals")
}

/// E0308: `for_each` of a type that cannot give instance keys.
pub fn for_each_wrong_type(got: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0308,
        format!("`for_each` needs a map or a set of strings, got {got}"),
    )
    .at(span, "not a map or set")
}

/// E0308: `count` whose value is known only after apply.
pub fn count_unknown(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0308, "`count` must be known before apply")
        .at(span, "depends on values known only after apply")
}

/// E0308: `count` that is not a whole number of at least 0. `shown` is the value as shown.
pub fn count_invalid(shown: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0308,
        format!("`count` must be a whole number of at least 0, got {shown}"),
    )
    .at(span, "invalid count")
}

/// E0308: `for_each` or `count` on a module block.
pub fn repeated_module(key: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0308,
        format!("`{key}` is not supported on module blocks"),
    )
    .at(span, "not supported here")
    .with_help("repeat the resources inside the module instead")
}

/// E0309: `each` in a block without `for_each`.
pub fn each_outside_for_each(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0309,
        "`each` can only be used in a block with `for_each`",
    )
    .at(span, "no for_each here")
}

/// E0309: `count` in a block without `count`.
pub fn count_outside_count(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0309,
        "`count` can only be used in a block with `count`",
    )
    .at(span, "no count here")
}

/// E0310: a local that depends on itself.
pub fn local_cycle(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0310,
        format!("local value `{name}` depends on itself"),
    )
    .at(span, "this reference closes the cycle")
    .with_help("break the cycle: a local cannot refer to itself, directly or through other locals")
}

/// E0310: a module output that depends on itself.
pub fn output_cycle(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0310, format!("output `{name}` depends on itself"))
        .at(span, "this reference closes a cycle")
}

/// E0310: a module whose inputs depend on its own outputs.
pub fn module_input_cycle(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0310,
        format!("the inputs of module `{name}` depend on its own outputs"),
    )
    .at(span, "this module is part of a cycle")
}

/// E0312: evaluation nested past the bound. `chain` is what was being resolved, outermost
/// first, each with the reference that started it.
/// E0319: instantiating the module call at `span` would pass the bound on module instances.
pub fn too_many_module_instances(name: &str, span: Span) -> Diagnostic {
    let limit = crate::lang::depth::MAX_MODULE_INSTANCES;
    Diagnostic::new(
        Code::E0319,
        format!("the manifest makes more than {limit} module instances"),
    )
    .at(
        span,
        format!("`module.{name}` would be instance {}", limit + 1),
    )
    .with_help(
        "modules that each call another module several times multiply: call shared modules \
         once and pass what differs as inputs",
    )
}

pub fn evaluation_too_deep(span: Span, chain: &[(String, Span)]) -> Diagnostic {
    let limit = crate::lang::depth::MAX_EVALUATION_DEPTH;
    let mut d = Diagnostic::new(
        Code::E0312,
        format!("evaluation nested more than {limit} levels deep"),
    )
    .at(span, "the bound is reached here");
    if let Some((_, first)) = chain.first() {
        d = d.with_secondary(*first, "the chain starts here");
    }
    let names: Vec<&str> = chain.iter().map(|(name, _)| name.as_str()).collect();
    let shown = match names.len() {
        0 => String::new(),
        n if n <= 8 => format!("; it reads {}", names.join(" → ")),
        n => format!(
            "; it reads {} → … ({} more) … → {}",
            names[..4].join(" → "),
            n - 8,
            names[n - 4..].join(" → ")
        ),
    };
    d.with_help(format!(
        "amlplan evaluates at most {limit} nested levels (expressions within expressions, and \
         the module outputs, `for_each` values and module instances they read){shown}; \
         shorten the chain"
    ))
}

/// E0313: a value whose lists and objects nest past the bound.
pub fn value_too_deep(span: Span) -> Diagnostic {
    let limit = crate::lang::depth::MAX_VALUE_DEPTH;
    Diagnostic::new(
        Code::E0313,
        format!("this value nests lists and objects more than {limit} levels deep"),
    )
    .at(span, "too deeply nested")
    .with_help(format!(
        "amlplan accepts values nested at most {limit} levels deep; flatten the value"
    ))
}

/// E0311: a root name that is no variable, local, module, resource kind or loop variable.
/// `resource_kind` says the name is a kind written without a block name.
pub fn unknown_name<'a>(
    name: &str,
    span: Span,
    candidates: impl IntoIterator<Item = &'a str>,
    resource_kind: bool,
) -> Diagnostic {
    let d = Diagnostic::new(Code::E0311, format!("unknown name `{name}`")).at(
        span,
        "not a variable, local, module, resource kind or loop variable",
    );
    if let Some(help) = did_you_mean(name, candidates) {
        d.with_help(help)
    } else if resource_kind {
        d.with_help(format!("refer to a resource as `{name}.NAME`"))
    } else {
        d
    }
}

/// E0305: the two results of a conditional have no type in common (`true ? 1 : true`).
pub fn inconsistent_conditional_types(
    true_type: &str,
    false_type: &str,
    span: Span,
    true_span: Span,
    false_span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0305,
        format!(
            "the results of this conditional have no common type: {true_type} and {false_type}"
        ),
    )
    .at(span, "inconsistent result types")
    .with_secondary(true_span, format!("this is {true_type}"))
    .with_secondary(false_span, format!("this is {false_type}"))
    .with_help("both results must convert to one type; use tostring(...), tolist(...) or tomap(...) to make them agree")
}

/// E0314: an object key that is a reference, which HCL does not guess the meaning of.
pub fn ambiguous_object_key(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0314,
        "an object key that is a reference is ambiguous".to_string(),
    )
    .at(span, "a name or a reference?")
    .with_help("write `(var.x) = ...` to use the reference's value as the key, or `\"var.x\" = ...` for the literal name")
}

/// E0315: a Terraform function amlplan refuses, with the reason (`timestamp`, `uuid`).
pub fn refused_function(name: &str, reason: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0315, format!("`{name}` is not available: {reason}"))
        .at(span, "not deterministic")
}
