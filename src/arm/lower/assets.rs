//! Environment, data and model versions: proxy resources (no location; tags inside
//! `properties`) whose content is immutable once registered.

use super::schema_entry;
use std::collections::BTreeSet;

use serde_json::Value as Json;

use super::body::{self, put};
use super::{AttrPath, Ctx, add_deps, collect_deps, finish, present};
use crate::arm::Desired;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Resource;

pub(crate) fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let kind = r.schema;
    let (mut d, mut out) = schema_entry(ctx, r, &[]);
    let mut table = body::kind_paths(kind, &[]);
    if kind.kind == "environment" {
        if let Some(attr) = present(&r.body, "conda_file") {
            if let Some(content) = conda_file(ctx, attr) {
                put(&mut out, "properties.condaFile", Json::String(content));
            }
            if attr.sensitive {
                d.sensitive.push("properties.condaFile".into());
            }
        }
        table.push(AttrPath {
            attr: "conda_file".into(),
            path: "properties.condaFile".into(),
            create_only: true,
        });
    }
    d.body = out;
    let mut deps = BTreeSet::new();
    collect_deps(&r.body, &[], &[], &mut deps);
    add_deps(ctx, &mut d, deps);
    finish(&mut d, r, &table, "", false);
    d.behavior.versioned_asset = true;
    vec![d]
}

/// The content of a conda file, read relative to the manifest file that names it.
fn conda_file(ctx: &Ctx<'_>, attr: &crate::model::Attr) -> Option<String> {
    let path = attr.value.as_str()?;
    let base = ctx.sources.get(attr.span.file).path.parent()?.to_path_buf();
    let full = base.join(path);
    match crate::fs::current().read_to_string(&full) {
        Ok(text) => Some(text),
        Err(e) => {
            ctx.error(
                Diagnostic::new(
                    Code::E0102,
                    format!("cannot read the conda file `{}`: {e}", full.display()),
                )
                .at(attr.span, "its content is sent to Azure")
                .with_help("paths are relative to the directory of the file that names them"),
            );
            None
        }
    }
}
