//! The price book a run uses: the catalogue, then the price cache `amlplan prices update`
//! wrote (if there is one), then the manifest's `prices { file }`, then `--prices FILE` (the
//! command line wins, as `--var` does over var files).

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::diagnostics::cost as diag;
use crate::model::Manifest;
use crate::source::{Sources, Span};

use super::PriceBook;
use super::price_file::{self, PriceFileError};

/// The manifest's price file: its path (relative to the file that names it) and the span of
/// the `file` attribute.
fn manifest_price_file(manifest: &Manifest, sources: &Sources) -> Option<(PathBuf, String, Span)> {
    let block = manifest.settings.iter().find(|b| b.kind == "prices")?;
    let attr = block.body.attr("file")?;
    let text = attr.value.as_str()?;
    let base = sources
        .get(attr.span.file)
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Some((base.join(text), text.to_string(), attr.span))
}

fn read(
    book: PriceBook,
    path: &Path,
    shown: &str,
    span: Option<Span>,
    missing_reported: bool,
    diags: &mut Vec<Diagnostic>,
) -> PriceBook {
    let fs = crate::fs::current();
    let text = match fs.read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            // A missing `prices { file }` is the schema check's (its path check) to report.
            if !missing_reported || fs.is_file(path) {
                diags.push(diag::price_file_unreadable(shown, &e.to_string(), span));
            }
            return book;
        }
    };
    match price_file::parse(shown, &text) {
        Ok(file) => book.with_file(&file),
        Err(errors) => {
            for e in errors {
                diags.push(match e {
                    PriceFileError::Syntax(m) => diag::price_file_unreadable(shown, &m, span),
                    PriceFileError::UnknownKey { path, allowed } => {
                        diag::price_file_unknown_key(shown, &path, &allowed, span)
                    }
                    PriceFileError::BadValue { path, expected } => {
                        diag::price_file_bad_value(shown, &path, &expected, span)
                    }
                });
            }
            book
        }
    }
}

/// The book with the cache at `path` over it. No file there is no cache; a file that is not
/// a cache is an error (E0919) rather than a silent fall back to older prices.
fn with_cache(book: PriceBook, path: &Path, diags: &mut Vec<Diagnostic>) -> PriceBook {
    let fs = crate::fs::current();
    if !fs.is_file(path) {
        return book;
    }
    let shown = path.display().to_string();
    let parsed = fs
        .read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| super::cache::parse(&text));
    match parsed {
        Ok(cache) => book.with_cache(&cache),
        Err(reason) => {
            diags.push(diag::price_cache_unusable(&shown, &reason));
            book
        }
    }
}

/// The book for `manifest` with `cli` (`--prices FILE`) over its own price file, and the
/// problems of either file.
pub fn price_book(
    manifest: &Manifest,
    sources: &Sources,
    cli: Option<&Path>,
) -> (PriceBook, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut book = PriceBook::catalogue();
    if let Some(path) = super::cache::default_location() {
        book = with_cache(book, &path, &mut diags);
    }
    if let Some((path, shown, span)) = manifest_price_file(manifest, sources) {
        book = read(book, &path, &shown, Some(span), true, &mut diags);
    }
    if let Some(path) = cli {
        book = read(
            book,
            path,
            &path.display().to_string(),
            None,
            false,
            &mut diags,
        );
    }
    (book, diags)
}

/// The check stage's part: the manifest's price file, and the budget warnings of its
/// forecast. Nothing is costed for a manifest without budgets.
pub fn check(manifest: &Manifest, sources: &Sources, diags: &mut crate::diagnostic::Diagnostics) {
    let (book, problems) = price_book(manifest, sources, None);
    let failed = !problems.is_empty();
    // The price cache is not the manifest's: the commands that forecast report it.
    diags.extend(
        problems
            .into_iter()
            .filter(|p| p.code != crate::diagnostic::Code::E0919),
    );
    if failed || super::budget::budgets(manifest).is_empty() {
        return;
    }
    let forecast = super::forecast(manifest, &book);
    diags.extend(super::budget::warnings(manifest, &forecast));
}
