//! Module discovery: the root directory and, following `module` blocks, every module
//! directory it uses (each once), with self-inclusion cut at the `source`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostics;
use crate::diagnostics;
use crate::lang::decls::{self};
use crate::load::{self, ParsedFile};
use crate::source::{Sources, Span};

/// One module directory, parsed.
#[derive(Debug)]
pub struct ModuleDir {
    pub dir: PathBuf,
    pub files: Vec<ParsedFile>,
    /// For each `module` block: the index of the directory it instantiates, or `None` if its
    /// source is missing, invalid or includes itself (already diagnosed).
    pub calls: HashMap<String, Option<usize>>,
}

/// Loads the root directory and every module directory it uses, transitively.
pub fn load_modules(
    root: &Path,
    display_root: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Vec<ModuleDir> {
    let mut modules: Vec<ModuleDir> = Vec::new();
    let root_dir = crate::fs::current()
        .canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf());
    let files = load::load_dir(root, display_root, sources, diags);
    // Every directory found so far (loaded or about to be) and its index: a lookup, not a
    // scan, so thousands of module directories load in linear time.
    let mut index_of: HashMap<PathBuf, usize> = HashMap::from([(root_dir.clone(), 0)]);
    modules.push(ModuleDir {
        dir: root_dir,
        files,
        calls: HashMap::new(),
    });
    let mut next = 0;
    while next < modules.len() {
        let mut calls = HashMap::new();
        let mut to_load: Vec<PathBuf> = Vec::new();
        for parsed in &modules[next].files {
            for block in parsed
                .body
                .blocks()
                .filter(|b| b.ident.value().as_str() == "module")
            {
                let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                    continue;
                };
                let target = match decls::literal_string(parsed.file, &block.body, "source") {
                    None => {
                        // Missing `source` is reported by the module-call check.
                        calls.insert(name, None);
                        continue;
                    }
                    Some(Err(span)) => {
                        diags.push(diagnostics::modules::source_not_literal(span));
                        calls.insert(name, None);
                        continue;
                    }
                    Some(Ok((source, span))) => {
                        let path = modules[next].dir.join(&source);
                        match crate::fs::current().canonicalize(&path) {
                            Ok(p) if crate::fs::current().is_dir(&p) => p,
                            _ => {
                                diags.push(diagnostics::modules::source_not_found(&source, span));
                                calls.insert(name, None);
                                continue;
                            }
                        }
                    }
                };
                let index = match index_of.get(&target) {
                    Some(i) => *i,
                    None => {
                        let i = modules.len() + to_load.len();
                        index_of.insert(target.clone(), i);
                        to_load.push(target);
                        i
                    }
                };
                calls.insert(name, Some(index));
            }
        }
        modules[next].calls = calls;
        for dir in to_load {
            let files = load::load_dir(&dir, display_root, sources, diags);
            modules.push(ModuleDir {
                dir,
                files,
                calls: HashMap::new(),
            });
        }
        next += 1;
    }
    reject_self_inclusion(&mut modules, diags);
    modules
}

/// A module that includes itself, directly or through others, would expand forever: cut
/// such calls and report each at its `source`. A depth-first walk with an explicit stack, so
/// a chain of thousands of module directories does not recurse.
pub(super) fn reject_self_inclusion(modules: &mut [ModuleDir], diags: &mut Diagnostics) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    if modules.is_empty() {
        return;
    }
    let sorted_calls = |m: &ModuleDir| -> Vec<(String, usize)> {
        let mut calls: Vec<(String, usize)> = m
            .calls
            .iter()
            .filter_map(|(n, c)| c.map(|c| (n.clone(), c)))
            .collect();
        calls.sort();
        calls
    };
    let mut marks = vec![Mark::New; modules.len()];
    // The modules being visited, outermost first, each with its calls still to follow.
    let mut stack: Vec<(usize, std::vec::IntoIter<(String, usize)>)> = Vec::new();
    marks[0] = Mark::Active;
    stack.push((0, sorted_calls(&modules[0]).into_iter()));
    while let Some((i, calls)) = stack.last_mut() {
        let i = *i;
        let Some((name, child)) = calls.next() else {
            marks[i] = Mark::Done;
            stack.pop();
            continue;
        };
        match marks[child] {
            Mark::Active => {
                let span = call_source_span(&modules[i], &name);
                let start = stack.iter().position(|(m, _)| *m == child).unwrap_or(0);
                let chain: Vec<String> = stack[start..]
                    .iter()
                    .map(|(m, _)| {
                        modules[*m]
                            .dir
                            .file_name()
                            .map_or_else(|| ".".into(), |n| n.to_string_lossy().into_owned())
                    })
                    .collect();
                diags.push(diagnostics::modules::includes_itself(&name, &chain, span));
                modules[i].calls.insert(name, None);
            }
            Mark::New => {
                marks[child] = Mark::Active;
                let calls = sorted_calls(&modules[child]).into_iter();
                stack.push((child, calls));
            }
            Mark::Done => {}
        }
    }
}

pub(super) fn call_source_span(module: &ModuleDir, name: &str) -> Option<Span> {
    module.files.iter().find_map(|f| {
        f.body
            .blocks()
            .filter(|b| {
                b.ident.value().as_str() == "module"
                    && b.labels.first().is_some_and(|l| l.as_str() == name)
            })
            .find_map(|b| {
                decls::literal_string(f.file, &b.body, "source")
                    .and_then(|r| r.ok())
                    .map(|(_, s)| s)
            })
    })
}
