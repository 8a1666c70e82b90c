//! E02xx: the structure of a manifest — block types, labels, attributes, nested blocks,
//! duplicates, the `azure` block.
//!
//! All call sites use these constructors.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;

/// E0201: a top-level block amlplan does not know.
pub fn unknown_block_type<'a>(
    ident: &str,
    span: Span,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(Code::E0201, format!("unknown block type `{ident}`"))
        .at(span, "not a block amlplan knows");
    match did_you_mean(ident, candidates) {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// E0202: a block with too few or too many labels. `expected` is 0 or 1.
pub fn wrong_label_count(ident: &str, expected: usize, found: usize, span: Span) -> Diagnostic {
    nested_block_label_count(ident, expected, found, span).with_help(if expected == 0 {
        format!("write `{ident} {{ ... }}`")
    } else {
        format!("write `{ident} \"NAME\" {{ ... }}`")
    })
}

/// E0202: a nested block with too few or too many labels. `expected` is 0 or 1.
pub fn nested_block_label_count(
    ident: &str,
    expected: usize,
    found: usize,
    span: Span,
) -> Diagnostic {
    let what = match expected {
        0 => format!("a `{ident}` block takes no label"),
        _ => format!("a `{ident}` block takes exactly one label (its name)"),
    };
    Diagnostic::new(Code::E0202, format!("{what}, found {found}"))
        .at(span, "wrong number of labels")
}

/// E0203: an attribute outside any block.
pub fn top_level_attribute(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0203,
        format!("attribute `{name}` is not allowed at the top level"),
    )
    .at(span, "expected a block here")
    .with_help("top-level attributes belong in a `locals { ... }` block")
}

/// E0203: an attribute the block's schema does not have. `context` is the checker's
/// suffix naming the block (" in a compute_cluster"); `help` is the "did you mean" or the
/// hint the caller computed.
pub fn unknown_attribute(
    name: &str,
    context: &str,
    span: Span,
    help: Option<String>,
) -> Diagnostic {
    let d = Diagnostic::new(Code::E0203, format!("unknown attribute `{name}`{context}"))
        .at(span, "not an attribute of this block");
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0204: a nested block the enclosing block's schema does not have.
pub fn unknown_nested_block(
    name: &str,
    context: &str,
    span: Span,
    help: Option<String>,
) -> Diagnostic {
    let d = Diagnostic::new(Code::E0204, format!("unknown block `{name}`{context}"))
        .at(span, "not allowed here");
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0204: a block inside `locals`.
pub fn block_in_locals(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0204,
        format!("blocks are not allowed in `locals`, found `{name}`"),
    )
    .at(span, "unexpected block")
}

/// E0205: a required attribute is missing. `what` names the block, `doc` is the attribute's
/// one-line doc.
pub fn missing_attribute(what: &str, name: &str, doc: &str, header: Span) -> Diagnostic {
    Diagnostic::new(Code::E0205, format!("{what} needs `{name}`"))
        .at(header, format!("`{name}` is missing"))
        .with_help(format!("add `{name} = ...`: {doc}"))
}

/// E0205: a `module` block without `source`.
pub fn module_without_source(name: &str, header: Span) -> Diagnostic {
    Diagnostic::new(Code::E0205, format!("module `{name}` has no `source`"))
        .at(header, "missing `source`")
        .with_help("add source = \"<path to the module directory>\"")
}

/// E0205: a user-assigned identity that names no identities.
pub fn user_assigned_ids_missing(identity_type: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0205,
        format!("identity type \"{identity_type}\" needs `user_assigned_ids`"),
    )
    .at(span, "user-assigned identities are named nowhere")
    .with_help("add user_assigned_ids = [\"/subscriptions/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME\"]")
}

/// E0206: a variable, resource, module or output declared twice in one module.
pub fn duplicate_declaration(kind: &str, name: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0206,
        format!("{kind} `{name}` is declared more than once"),
    )
    .at(again, "declared again here")
    .with_secondary(first, "first declared here")
    .with_help("names must be unique within a module; rename or remove one")
}

/// E0206: two nested blocks of one parent with the same label (two outbound rules
/// `pypi`).
pub fn duplicate_nested_block(block: &str, label: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0206,
        format!("`{block}` block `{label}` is declared more than once"),
    )
    .at(again, "declared again here")
    .with_secondary(first, "first declared here")
}

/// E0206: a local value defined twice.
pub fn duplicate_local(name: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0206,
        format!("local value `{name}` is defined more than once"),
    )
    .at(again, "defined again here")
    .with_secondary(first, "first defined here")
}

/// E0206: more than one `backend` block.
pub fn repeated_backend_block(extra: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0206,
        "the manifest has more than one `backend` block",
    )
    .at(extra, "another `backend` block")
    .with_secondary(first, "the first one")
}

/// E0211: two resources (two addresses) that would be the same ARM resource. `what` says
/// which ("the compute_cluster `gpu`"), `help` how to tell them apart.
pub fn duplicate_azure_name(
    first_address: &str,
    address: &str,
    what: &str,
    span: Span,
    first: Span,
    help: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0211,
        format!("`{first_address}` and `{address}` would both be {what}"),
    )
    .at(span, "same as another resource")
    .with_secondary(first, "first used here")
    .with_help(help.to_string())
}

/// E0207: an attribute set twice in one block.
pub fn duplicate_attribute(key: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0207,
        format!("attribute `{key}` is set more than once in this block"),
    )
    .at(span, "set again here")
    .with_help("an attribute may appear only once per block; remove one of them")
}

/// E0208: no `azure` block. `span` is the start of the root's first file, if it has one.
pub fn missing_azure_block(span: Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(Code::E0208, "the manifest has no `azure` block").with_help(
        "add one: azure { subscription_id = \"...\", resource_group = \"...\", location = \"eastus\" }",
    );
    match span {
        Some(span) => d.at(span, "expected an `azure` block in this directory"),
        None => d,
    }
}

/// E0208: more than one `azure` block.
pub fn repeated_azure_block(extra: Span, first: Span) -> Diagnostic {
    Diagnostic::new(Code::E0208, "the manifest has more than one `azure` block")
        .at(extra, "another `azure` block")
        .with_secondary(first, "the first one")
}

/// E0210: a setting of the `azure` block that every ARM ID starts from is known only after
/// apply. `value` is the attribute's value expression.
pub fn azure_setting_known_after_apply(name: &str, value: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0210,
        format!("`{name}` of the `azure` block must be known before anything can be planned"),
    )
    .at(value, "known only after apply")
    .with_help(AZURE_SETTING_HELP)
}

/// E0210: the lowering found no known value for a setting of the `azure` block (the
/// checker reports [`azure_setting_known_after_apply`] first; the lowering meets it only for
/// a manifest it was given unchecked).
pub fn azure_setting_unknown(name: &str, header: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0210,
        format!("the `azure` block must set `{name}` before anything can be planned"),
    )
    .at(header, "no known value here")
    .with_help(AZURE_SETTING_HELP)
}

const AZURE_SETTING_HELP: &str = "every ARM ID starts from the subscription, resource group and location of the `azure` block, so they cannot come from a resource: give a literal or a variable";

/// E0209: a nested block that must be given is missing.
pub fn block_required(name: &str, context: &str, header: Span, doc: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0209,
        format!("a `{name}` block is required{context}"),
    )
    .at(header, format!("missing `{name} {{ ... }}`"))
    .with_help(doc.to_string())
}

/// E0209: a nested block given more often than allowed.
pub fn too_many_blocks(
    name: &str,
    max: u32,
    context: &str,
    extra: Span,
    first: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0209,
        format!(
            "at most {max} `{name}` block{} allowed{context}",
            if max == 1 { " is" } else { "s are" },
        ),
    )
    .at(extra, "one too many")
    .with_secondary(first, "the first one")
}
