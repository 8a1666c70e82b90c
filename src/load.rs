//! Loading a manifest directory: find its `*.hcl` files, read them into [`Sources`] and parse
//! each with `hcl-edit`. Every file is parsed even when an earlier one has a syntax error, so
//! one run reports the errors of all files.

use std::path::{Path, PathBuf};

use hcl_edit::structure::Body;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::diagnostics::{load as diag, structure};
use crate::source::{FileId, SourceFile, Sources, Span};

mod big_literals;

pub use big_literals::{Zeroed, parse_body, parse_zeroed};

/// A parsed file.
#[derive(Debug)]
pub struct ParsedFile {
    pub file: FileId,
    pub body: Body,
}

/// The `*.hcl` files of one directory, sorted by name so the result does not depend on the
/// order the file system lists them in.
pub fn manifest_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let fs = crate::fs::current();
    let entries = fs
        .read_dir(dir)
        .map_err(|e| diag::unreadable_directory(&dir.display().to_string(), &e))?;
    let mut files: Vec<PathBuf> = entries
        .into_iter()
        .filter(|p| fs.is_file(p) && p.extension().is_some_and(|x| x == "hcl"))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads and parses every `*.hcl` file of `dir`. `display_root` is the directory paths are
/// shown relative to.
pub fn load_dir(
    dir: &Path,
    display_root: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Vec<ParsedFile> {
    let files = match manifest_files(dir) {
        Ok(files) => files,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    files
        .iter()
        .filter_map(|path| load_file(path, display_root, sources, diags))
        .collect()
}

/// Reads one file into `sources` without parsing it.
pub fn read_file(
    path: &Path,
    display_root: &Path,
    sources: &mut Sources,
) -> Result<FileId, Diagnostic> {
    let text = crate::fs::current()
        .read_to_string(path)
        .map_err(|e| diag::unreadable_file(&display_path(path, display_root), &e))?;
    Ok(sources.add(SourceFile::new(
        display_path(path, display_root),
        path,
        text,
    )))
}

/// Reads and parses one file; on a syntax error the diagnostic is pushed and `None` returned.
pub fn load_file(
    path: &Path,
    display_root: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<ParsedFile> {
    let file = match read_file(path, display_root, sources) {
        Ok(file) => file,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    parse_file(file, sources, diags)
}

pub fn parse_file(file: FileId, sources: &Sources, diags: &mut Diagnostics) -> Option<ParsedFile> {
    let text = &sources.get(file).text;
    match parse_body(text) {
        Ok(body) => Some(ParsedFile { file, body }),
        Err(e) => {
            diags.push(syntax_error(file, text, &e));
            None
        }
    }
}

/// The diagnostic for a file `parse_body` refused: E0101 at the place the parser stopped, or
/// a duplicate attribute.
pub fn syntax_error(file: FileId, text: &str, error: &hcl_edit::parser::Error) -> Diagnostic {
    let offset = error.location().offset().min(text.len());
    // Point at the character the parser stopped at (or the end of the file).
    let end = text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    let message = error.message().trim();
    let message = if message.is_empty() {
        "invalid HCL".to_string()
    } else {
        message.replace('\n', "; ")
    };
    // hcl-edit rejects a repeated attribute key while parsing; that is not a syntax error
    // to the user but a duplicate attribute, with its own code.
    if message.contains("redefined attribute") {
        let key_end = text[offset..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(text.len(), |i| offset + i);
        let key = &text[offset..key_end];
        return structure::duplicate_attribute(key, Span::new(file, offset..key_end.max(end)));
    }
    diag::syntax_error(&message, Span::new(file, offset..end))
}

/// Diagnostics from index `from` on, with every label in a file `hidden` says to hide turned
/// into a place in the message (`vars.hcl line 3, column 7`). A var file that may hold a
/// sensitive variable's value is never shown as a source snippet: the snippet would print
/// the line holding it, and the lines around.
pub fn hide_snippets(
    diags: &mut Diagnostics,
    from: usize,
    sources: &Sources,
    hidden: impl Fn(FileId) -> bool,
) {
    if diags.len() <= from {
        return;
    }
    let mut all = std::mem::take(diags).into_vec();
    for d in &mut all[from..] {
        let place = |span: Span| {
            let file = sources.get(span.file);
            let (line, column) = file.line_col(span.start as usize);
            format!("{} line {line}, column {column}", file.display_path)
        };
        let mut places = Vec::new();
        if let Some(label) = d.primary.take_if(|l| hidden(l.span.file)) {
            places.push(place(label.span));
        }
        d.secondary.retain(|l| {
            let hide = hidden(l.span.file);
            if hide {
                places.push(place(l.span));
            }
            !hide
        });
        if !places.is_empty() {
            d.message = format!("{} ({})", d.message, places.join("; "));
        }
    }
    diags.extend(all);
}

/// `path` relative to `root` (with `..` where it lies outside it) and `/` separators, so
/// what is shown does not depend on where the checkout lives.
pub fn display_path(path: &Path, root: &Path) -> String {
    let fs = crate::fs::current();
    let abs = |p: &Path| fs.canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (path_abs, root_abs) = (abs(path), abs(root));
    let p: Vec<_> = path_abs.components().collect();
    let r: Vec<_> = root_abs.components().collect();
    let common = p.iter().zip(&r).take_while(|(a, b)| a == b).count();
    let shown: PathBuf = if common == 0 {
        path.to_path_buf()
    } else {
        std::iter::repeat_n(std::path::Component::ParentDir, r.len() - common)
            .chain(p[common..].iter().copied())
            .collect()
    };
    let s = shown.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".into() } else { s }
}
