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
                let index = match modules.iter().position(|m| m.dir == target) {
                    Some(i) => i,
                    None => match to_load.iter().position(|p| *p == target) {
                        Some(i) => modules.len() + i,
                        None => {
                            to_load.push(target.clone());
                            modules.len() + to_load.len() - 1
                        }
                    },
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
/// such calls and report each at its `source`.
pub(super) fn reject_self_inclusion(modules: &mut [ModuleDir], diags: &mut Diagnostics) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        i: usize,
        modules: &mut [ModuleDir],
        marks: &mut [Mark],
        stack: &mut Vec<usize>,
        diags: &mut Diagnostics,
    ) {
        marks[i] = Mark::Active;
        stack.push(i);
        let mut calls: Vec<(String, usize)> = modules[i]
            .calls
            .iter()
            .filter_map(|(n, c)| c.map(|c| (n.clone(), c)))
            .collect();
        calls.sort();
        for (name, child) in calls {
            match marks[child] {
                Mark::Active => {
                    let span = call_source_span(&modules[i], &name);
                    let chain: Vec<String> = stack
                        [stack.iter().position(|m| *m == child).unwrap_or(0)..]
                        .iter()
                        .map(|m| {
                            modules[*m]
                                .dir
                                .file_name()
                                .map_or_else(|| ".".into(), |n| n.to_string_lossy().into_owned())
                        })
                        .collect();
                    diags.push(diagnostics::modules::includes_itself(&name, &chain, span));
                    modules[i].calls.insert(name, None);
                }
                Mark::New => visit(child, modules, marks, stack, diags),
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[i] = Mark::Done;
    }
    let mut marks = vec![Mark::New; modules.len()];
    let mut stack = Vec::new();
    if !modules.is_empty() {
        visit(0, modules, &mut marks, &mut stack, diags);
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
