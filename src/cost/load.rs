//! The price book a run uses: the catalogue, then the price cache `amlplan prices update`
//! wrote (if there is one), then the manifest's `prices { file }`, then `--prices FILE` (the
//! command line wins, as `--var` does over var files).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::Diagnostic;
use crate::diagnostics::cost as diag;
use crate::model::Manifest;
use crate::source::{Sources, Span};

use super::PriceBook;
use super::catalogue::CacheLayer;
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
    // The check stage and the command of one run both make a book: the cache (thousands of
    // rows) is parsed once for a given text.
    static LAST: Mutex<Option<(String, CacheLayer)>> = Mutex::new(None);
    let fs = crate::fs::current();
    if !fs.is_file(path) {
        return book;
    }
    let shown = path.display().to_string();
    let text = match fs.read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(diag::price_cache_unusable(&shown, &e.to_string()));
            return book;
        }
    };
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((seen, layer)) = last.as_ref()
        && *seen == text
    {
        return book.with_cache(layer.clone());
    }
    match super::cache::parse(&text) {
        Ok(cache) => {
            let layer = CacheLayer::of(&cache);
            *last = Some((text, layer.clone()));
            book.with_cache(layer)
        }
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
    layered(manifest, sources, cli, true)
}

/// The book with the price cache (when `cached`) and the price files over the catalogue.
fn layered(
    manifest: &Manifest,
    sources: &Sources,
    cli: Option<&Path>,
    cached: bool,
) -> (PriceBook, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut book = PriceBook::catalogue();
    if cached && let Some(path) = super::cache::default_location() {
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
    // The cache is read only to forecast, that is for budgets: a manifest without them is
    // checked without reading it.
    let has_budgets = !super::budget::budgets(manifest).is_empty();
    let (book, problems) = layered(manifest, sources, None, has_budgets);
    let failed = !problems.is_empty();
    // The price cache is not the manifest's: the commands that forecast report it.
    diags.extend(
        problems
            .into_iter()
            .filter(|p| p.code != crate::diagnostic::Code::E0919),
    );
    if failed || !has_budgets {
        return;
    }
    let forecast = super::forecast(manifest, &book);
    diags.extend(super::budget::warnings(manifest, &forecast));
}
