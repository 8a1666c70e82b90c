//! E01xx: loading files and parsing them, and the files attributes name.
//!
//! All call sites use these constructors.

use std::fmt::Display;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

/// E0101: the HCL parser stopped at `span`.
pub fn syntax_error(message: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0101, format!("syntax error: {message}"))
        .at(span, "the parser stopped here")
}

/// E0101: a JSON var file that does not parse.
pub fn var_file_syntax(error: &dyn Display, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0101, format!("syntax error in var file: {error}")).at(span, "here")
}

/// E0105: a JSON var file whose top level is not an object (valid JSON, so no syntax
/// error, but no variable values either).
pub fn var_file_not_an_object(path: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0105,
        format!("var file `{path}` must hold a JSON object"),
    )
    .at(span, "not an object")
}

/// E0105: a block in an HCL var file, which holds only variable values.
pub fn block_in_var_file(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0105,
        "a var file holds only `name = value` attributes",
    )
    .at(span, "unexpected block")
}

/// E0102: a directory that cannot be listed.
pub fn unreadable_directory(dir: &str, error: &dyn Display) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("cannot read directory `{dir}`: {error}"),
    )
}

/// E0102: a manifest file that cannot be read.
pub fn unreadable_file(path: &str, error: &dyn Display) -> Diagnostic {
    Diagnostic::new(Code::E0102, format!("cannot read `{path}`: {error}"))
}

/// E0102: a `--var-file` that cannot be read.
pub fn unreadable_var_file(path: &str, error: &dyn Display) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("cannot read var file `{path}`: {error}"),
    )
}

/// E0102: a conda file named by an environment that cannot be read at lowering.
pub fn unreadable_conda_file(path: &str, error: &dyn Display, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("cannot read the conda file `{path}`: {error}"),
    )
    .at(span, "its content is sent to Azure")
    .with_help("paths are relative to the directory of the file that names them")
}

/// E0102: a `code` directory that cannot be read whole at lowering (it is hashed and
/// uploaded as a code asset).
pub fn unreadable_code_directory(path: &str, error: &dyn Display, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("cannot read the code directory `{path}`: {error}"),
    )
    .at(span, "its files are uploaded as a code asset")
    .with_help("paths are relative to the directory of the file that names them")
}

/// E0102: a path attribute naming `path`, which does not exist. `what` is "a file" or "a
/// directory".
pub fn named_path_missing(attr: &str, what: &str, path: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("`{attr}` names {what} `{path}` that does not exist"),
    )
    .at(span, "not found")
    .with_help("paths are relative to the directory of the file that names them")
}

/// E0102: a file whose content goes into a request (a conda file), found by the checker but
/// not readable as text.
pub fn unreadable_named_file(
    attr: &str,
    path: &str,
    error: &dyn Display,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("`{attr}` names the file `{path}`, which cannot be read: {error}"),
    )
    .at(span, "its content is sent to Azure")
    .with_help("the file must be readable UTF-8 text")
}

/// E0103: the manifest directory holds no `*.hcl` file.
pub fn no_manifest_files(dir: &str) -> Diagnostic {
    Diagnostic::new(Code::E0103, format!("no *.hcl files in `{dir}`"))
        .with_help("point amlplan at a directory holding the manifest's *.hcl files")
}
