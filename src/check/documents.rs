//! The YAML documents a manifest names (an Azure ML CLI v2 component file), read into the
//! run's `Sources` before the checks run, so a kind's checks can point into them at a line
//! and column as they point into HCL.

use std::path::Path;

use crate::lang::value::Value;
use crate::model::Manifest;
use crate::schema::AttrType;
use crate::source::{SourceFile, Sources, Span};

/// Reads every YAML file a resource's top-level file attribute names (`*.yml`, `*.yaml`),
/// relative to the manifest file that names it, into `sources` (each once). A file that
/// cannot be read is left out: the file-path check reports it.
pub fn load(manifest: &Manifest, sources: &mut Sources) {
    for resource in &manifest.resources {
        for attr in resource.body.attrs.values() {
            let is_file = resource
                .schema
                .body
                .attr(&attr.name)
                .is_some_and(|a| matches!(a.ty, AttrType::FilePath));
            let Value::String(path) = &attr.value else {
                continue;
            };
            if !is_file || attr.sensitive || !is_yaml(path) {
                continue;
            }
            let (full, display) = resolve(sources, attr.span, path);
            if sources.find(&full).is_some() {
                continue;
            }
            if let Ok(text) = crate::fs::current().read_to_string(&full) {
                sources.add(SourceFile::new(display, full, text));
            }
        }
    }
}

fn is_yaml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// The file `path` names, relative to the file of `span`, and its display path.
pub fn resolve(sources: &Sources, span: Span, path: &str) -> (std::path::PathBuf, String) {
    let file = sources.get(span.file);
    let base = file.path.parent().unwrap_or(Path::new(""));
    let shown = Path::new(&file.display_path)
        .parent()
        .unwrap_or(Path::new(""))
        .join(path);
    (base.join(path), shown.display().to_string())
}
