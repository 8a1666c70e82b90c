//! E05xx: attribute values — types, allowed values, ARM spellings, durations, ARM IDs,
//! GUIDs, names, ranges.
//!
//! Values are passed in already rendered for display (`shown`): the caller decides whether
//! a value may be quoted or must read `(sensitive value)`.
//!
//! All call sites use these constructors.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;

/// E0501: an attribute of the wrong type. [`attribute_where_resource_expected`] and
/// [`string_where_reference_expected`] add the help of two common cases.
pub fn wrong_type(attr: &str, expected: &str, got: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0501,
        format!("`{attr}` must be {expected}, got {got}"),
    )
    .at(span, format!("expected {expected}"))
}

/// The help of an E0501 [`wrong_type`] where a reference to a resource's attribute is given
/// for the resource itself (`workspace.fraud.id` for `workspace.fraud`).
pub fn attribute_where_resource_expected(wrong: Diagnostic, address: &str) -> Diagnostic {
    wrong.with_help(format!("refer to the resource itself: `{address}`"))
}

/// The help of an E0501 [`wrong_type`] where a string is given for a reference to a block.
/// `kind` is the first kind `attr` may refer to.
pub fn string_where_reference_expected(wrong: Diagnostic, attr: &str, kind: &str) -> Diagnostic {
    wrong.with_help(format!("refer to the block: `{attr} = {kind}.NAME`"))
}

/// E0502: a value outside an enum. `allowed` are the manifest spellings; `suggestion` is
/// the caller's "did you mean" (none for a sensitive value).
pub fn not_allowed(
    attr: &str,
    shown: &str,
    allowed: &[&str],
    suggestion: Option<String>,
    span: Span,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0502,
        format!("{shown} is not an allowed value for `{attr}`"),
    )
    .at(span, format!("expected one of {}", allowed.join(", ")));
    match suggestion {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0502: a `backend` label that is no backend type.
pub fn unknown_backend_type(name: &str, span: Span) -> Diagnostic {
    let d = Diagnostic::new(Code::E0502, format!("unknown backend type `{name}`"))
        .at(span, "expected \"local\" or \"azure_blob\"");
    match did_you_mean(name, ["local", "azure_blob"]) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0503: an enum value written the way ARM spells it. `shown` is the value as written
/// (quoted), `hcl` and `arm` the two spellings.
pub fn arm_spelling(attr: &str, shown: &str, hcl: &str, arm: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0503,
        format!("`{attr}` = {shown} is written the way ARM spells it"),
    )
    .at(span, "ARM spelling")
    .with_help(format!(
        "write \"{hcl}\": the manifest uses snake_case and amlplan sends {arm:?} to ARM"
    ))
}

/// E0504: a duration that does not parse. `error` says why.
pub fn invalid_duration(attr: &str, error: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0504,
        format!("`{attr}` is not a valid duration: {error}"),
    )
    .at(span, "invalid duration")
    .with_help("write a number with a unit: \"30s\", \"15m\", \"1h30m\", \"3d\"")
}

/// E0504: a duration that lowering could not convert (the checker normally catches it).
pub fn invalid_duration_at_lowering(message: &str, span: Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(Code::E0504, message.to_string());
    match span {
        Some(span) => d.at(span, "invalid duration"),
        None => d,
    }
}

/// A value error (E0504, E0505) about a sensitive value, already passed through
/// [`crate::sensitive::hide`], without the parser's detail: the detail quotes pieces of the
/// text (a unit, a segment), so the message only says what is wrong.
pub fn without_parser_detail(mut d: Diagnostic, attr: &str) -> Diagnostic {
    let what = match d.code {
        Code::E0504 => "not a valid duration",
        Code::E0505 => "not a valid ARM ID here",
        _ => return d,
    };
    d.message = format!("`{attr}` is {what}: {}", crate::sensitive::SHOWN);
    d
}

/// E0505: an ARM ID that does not parse or is of the wrong type. `error` says why; `help`
/// shows the expected form.
pub fn invalid_arm_id(attr: &str, error: &str, span: Span, help: Option<String>) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0505,
        format!("`{attr}` is not a valid ARM ID here: {error}"),
    )
    .at(span, "invalid ARM resource ID");
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0505: an Azure ML asset ID (`azureml:NAME:VERSION`, ...) that does not parse.
pub fn invalid_asset_id(attr: &str, shown: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0505,
        format!("`{attr}` is not a valid Azure ML asset ID: {shown}"),
    )
    .at(span, "invalid asset ID")
    .with_help("write azureml:NAME:VERSION, azureml:NAME@latest, azureml://registries/REGISTRY/environments/NAME/versions/VERSION, or refer to the block")
}

/// E0505: a role definition ID that is not an ARM ID.
pub fn invalid_role_id(error: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0505, format!("invalid role definition ID: {error}"))
        .at(span, "invalid ARM ID")
}

/// E0506: a value that must be a GUID and is not.
pub fn invalid_guid(attr: &str, shown: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0506, format!("`{attr}` must be a GUID, got {shown}"))
        .at(span, "not a GUID")
        .with_help(
            "a GUID has the form 00000000-0000-0000-0000-000000000000 (Entra object IDs are GUIDs)",
        )
}

/// E0507: a resource name Azure would reject. `kind` is written with spaces ("compute
/// cluster"), `error` says which rule, `rule` describes the naming rule.
pub fn invalid_name(name: &str, kind: &str, error: &str, rule: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0507,
        format!("`{name}` is not a valid {kind} name: {error}"),
    )
    .at(span, "invalid name")
    .with_help(rule.to_string())
}

/// E0507: an outbound rule label Azure would reject.
pub fn invalid_outbound_rule_name(label: &str, error: &str, rule: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0507,
        format!("`{label}` is not a valid outbound rule name: {error}"),
    )
    .at(span, "invalid name")
    .with_help(rule.to_string())
}

/// E0508: a number or duration outside its bounds. `message` is the rest of the sentence
/// after the attribute ("is 3, at least 5"), `doc` the attribute's doc.
pub fn out_of_range(attr: &str, message: &str, doc: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0508, format!("`{attr}` {message}"))
        .at(span, "out of range")
        .with_help(doc.to_string())
}

/// E0509: a sensitive value where it would become part of ARM IDs (a name, a resource group,
/// the subscription), which every plan and the state show.
pub fn sensitive_in_arm_id(attr: &str, key_span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0509,
        format!(
            "`{attr}` cannot be sensitive: its value becomes part of ARM resource IDs, which every plan and the state show"
        ),
    )
    .at(key_span, "derived from a sensitive variable")
    .with_help("give it a value that is not sensitive (names and resource groups are not secrets in Azure); a sensitive variable may feed attributes, not the resource's identity")
}
