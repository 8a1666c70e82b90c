//! A `code` directory as a code asset version (`schema::code_asset`), for any kind that has
//! one: online and batch deployments (a `code { path }` block) and components (`code`, inline
//! or in their YAML).
//!
//! The directory is read here, through the `crate::fs` seam, and its content hash is the
//! version: files in sorted path order, each hashed with its path and length, so the same
//! files hash the same on every machine and any change of a byte, a name or a file's presence
//! is a new version. Files an `.amlignore` (else a `.gitignore`) at the top of the directory
//! names are left out, as `az ml` leaves them out; so are `.git` and `.amlplan` directories
//! (amlplan's own state would change the hash on every apply). Negated patterns (`!keep`) are
//! not supported: such a line is skipped. The entry carries the files
//! ([`crate::arm::upload::Upload`]); the apply uploads them before it registers the version.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use super::body::put;
use super::{Ctx, EntryInit, apply_behavior, entry};
use crate::arm::Desired;
use crate::arm::upload::{Upload, UploadFile};
use crate::diagnostics::load;
use crate::model::Resource;
use crate::schema::code_asset::{CODE_URI_PATH, CODE_VERSION, UPLOAD_ACTION};
use crate::source::Span;

/// At most this many files in one code directory, and directories this deep: the bound that
/// keeps a link cycle or a mistaken `path = "/"` from reading the disk.
const MAX_FILES: usize = 10_000;
const MAX_DEPTH: usize = 32;

/// How many hex digits of the content hash the version keeps (128 bits).
const VERSION_DIGITS: usize = 32;

/// Where a kind's code asset goes and how its owner refers to it.
pub(crate) struct CodeAsset<'a> {
    /// The workspace the asset is registered in.
    pub workspace_id: &'a str,
    /// The address of the resource the code version must wait for (the workspace, or a
    /// resource inside it).
    pub after: Option<&'a str>,
    /// The code asset's name (its versions are the content hashes).
    pub name: &'a str,
    /// Where the owner's body refers to the version by ID (`properties.codeConfiguration.codeId`).
    pub code_id_path: &'a str,
    /// What the reference starts with before the ID: nothing for a deployment's `codeId`,
    /// `azureml:` for a component spec's `code` (as `az ml component create` writes it).
    pub id_prefix: &'a str,
}

/// The directory to upload and the span that names it (for its entry and its errors).
pub(crate) struct CodeDir {
    pub dir: std::path::PathBuf,
    pub span: Span,
}

/// Lowers the `code` block of `r`, if it has one, to its code version entry
/// (`ADDRESS.code`), and points `owner` (the resource's own entry) at it: the version's ID at
/// `asset.code_id_path`, and a dependency. A directory that cannot be read is reported.
pub(crate) fn attach(
    ctx: &Ctx<'_>,
    r: &Resource,
    owner: &mut Desired,
    asset: &CodeAsset<'_>,
) -> Option<Desired> {
    let path_attr = r.body.block("code")?.body.attr("path")?;
    let rel = path_attr.value.as_str()?;
    let base = ctx.sources.get(path_attr.span.file).path.parent()?;
    let code = CodeDir {
        dir: base.join(rel),
        span: path_attr.key_span.to(path_attr.span),
    };
    attach_dir(ctx, r, &code, owner, asset)
}

/// [`attach`] for a directory found elsewhere than a `code { path }` block.
pub(crate) fn attach_dir(
    ctx: &Ctx<'_>,
    r: &Resource,
    code: &CodeDir,
    owner: &mut Desired,
    asset: &CodeAsset<'_>,
) -> Option<Desired> {
    let (dir, span) = (&code.dir, code.span);
    let files = match read_directory(dir) {
        Ok(files) => files,
        Err(message) => {
            ctx.error(load::unreadable_code_directory(
                &dir.display().to_string(),
                &message,
                span,
            ));
            return None;
        }
    };
    let hash = content_hash(&files);
    let version = &hash[..VERSION_DIGITS];
    let id = format!(
        "{}/codes/{}/versions/{version}",
        asset.workspace_id, asset.name
    );
    let mut d = entry(EntryInit {
        address: format!("{}.code", r.address),
        kind: CODE_VERSION.kind,
        id: id.clone(),
        api_version: CODE_VERSION.api_version,
        span,
    });
    d.implicit = true;
    d.body = json!({"properties": {"isAnonymous": false}});
    d.depends_on = asset.after.map(str::to_string).into_iter().collect();
    apply_behavior(&mut d, &CODE_VERSION.behavior);
    // The owner's lifecycle says what becomes of the old code versions.
    d.lifecycle.delete_old_versions = owner.lifecycle.delete_old_versions;
    d.upload = Some(Arc::new(Upload {
        action: UPLOAD_ACTION,
        uri_path: CODE_URI_PATH,
        hash,
        files,
    }));
    put(
        &mut owner.body,
        asset.code_id_path,
        Json::String(format!("{}{id}", asset.id_prefix)),
    );
    owner.depends_on.push(d.address.clone());
    owner
        .behavior
        .case_insensitive_paths
        .push(asset.code_id_path.to_string());
    Some(d)
}

/// The content hash of a directory's files: SHA-256 over each file's path, length and bytes,
/// in path order.
pub fn content_hash(files: &[UploadFile]) -> String {
    let mut hasher = Sha256::new();
    for f in files {
        hasher.update(f.path.as_bytes());
        hasher.update([0]);
        hasher.update((f.content.len() as u64).to_be_bytes());
        hasher.update(&f.content);
    }
    crate::state::hex_of(&hasher.finalize())
}

/// Every file under `dir` that the ignore file does not name, sorted by relative path.
pub fn read_directory(dir: &Path) -> Result<Vec<UploadFile>, String> {
    let fs = crate::fs::current();
    if !fs.is_dir(dir) {
        return Err("it is not a directory".into());
    }
    let ignore = ignore_patterns(dir);
    let mut files = Vec::new();
    let mut stack: Vec<(PathBuf, usize)> = vec![(dir.to_path_buf(), 0)];
    while let Some((at, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(format!("it nests directories more than {MAX_DEPTH} deep"));
        }
        let entries = fs.read_dir(&at).map_err(|e| e.to_string())?;
        for path in entries {
            let Some(rel) = relative(dir, &path) else {
                continue;
            };
            if ignore.as_ref().is_some_and(|g| g.is_match(&rel)) {
                continue;
            }
            if fs.is_dir(&path) {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name != ".git" && name != ".amlplan" {
                    stack.push((path, depth + 1));
                }
            } else if fs.is_file(&path) {
                if files.len() == MAX_FILES {
                    return Err(format!("it holds more than {MAX_FILES} files"));
                }
                let content = fs
                    .read(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                files.push(UploadFile {
                    path: rel,
                    content: content.into(),
                });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `path` relative to `dir`, `/`-separated; `None` for a name that is not UTF-8 (it could not
/// be named in a blob path the same way on every system).
fn relative(dir: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(dir).ok()?;
    let parts: Option<Vec<&str>> = rest.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// The patterns of `.amlignore` (which wins, as in `az ml`) or `.gitignore` at the top of
/// `dir`, as a glob set over `/`-separated relative paths.
fn ignore_patterns(dir: &Path) -> Option<globset::GlobSet> {
    let fs = crate::fs::current();
    let text = [".amlignore", ".gitignore"]
        .iter()
        .find_map(|name| fs.read_to_string(&dir.join(name)).ok())?;
    let mut set = globset::GlobSetBuilder::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let line = line.trim_end_matches('/');
        // A slash before the end anchors the pattern at the top; otherwise it matches a name
        // at any depth (gitignore's rule).
        let anchored = line.contains('/');
        let pattern = line.trim_start_matches('/');
        let base = if anchored {
            pattern.to_string()
        } else {
            format!("**/{pattern}")
        };
        for glob in [base.clone(), format!("{base}/**")] {
            if let Ok(g) = globset::GlobBuilder::new(&glob)
                .literal_separator(true)
                .build()
            {
                set.add(g);
            }
        }
    }
    set.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;

    fn read(files: &[(&str, &str)]) -> Vec<UploadFile> {
        let fs = MemoryFs::with_files(
            files
                .iter()
                .map(|(p, c)| (format!("/m/src/{p}"), c.as_bytes().to_vec())),
        );
        crate::fs::with(Arc::new(fs), || read_directory(Path::new("/m/src"))).expect("readable")
    }

    fn paths(files: &[UploadFile]) -> Vec<&str> {
        files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn the_hash_follows_content_and_names_not_the_order_files_are_listed_in() {
        let a = read(&[("score.py", "print(1)"), ("lib/util.py", "x = 1")]);
        let b = read(&[("lib/util.py", "x = 1"), ("score.py", "print(1)")]);
        assert_eq!(paths(&a), ["lib/util.py", "score.py"]);
        assert_eq!(content_hash(&a), content_hash(&b));
        let edited = read(&[("score.py", "print(2)"), ("lib/util.py", "x = 1")]);
        assert_ne!(content_hash(&a), content_hash(&edited));
        let renamed = read(&[("score2.py", "print(1)"), ("lib/util.py", "x = 1")]);
        assert_ne!(content_hash(&a), content_hash(&renamed));
        // A byte moved from one file's end to the next file's start is another content.
        let moved = read(&[("a", "xy"), ("b", "z")]);
        let moved2 = read(&[("a", "x"), ("b", "yz")]);
        assert_ne!(content_hash(&moved), content_hash(&moved2));
    }

    #[test]
    fn amlignore_wins_over_gitignore_and_names_match_at_any_depth() {
        let files = read(&[
            ("score.py", "s"),
            ("__pycache__/score.cpython-312.pyc", "b"),
            ("lib/__pycache__/x.pyc", "b"),
            ("notes/draft.md", "d"),
            ("data.csv", "c"),
            (".amlignore", "__pycache__/\n/notes\n# comment\n!data.csv\n"),
            (".gitignore", "*.py\n"),
            (".git/HEAD", "ref"),
        ]);
        assert_eq!(
            paths(&files),
            [".amlignore", ".gitignore", "data.csv", "score.py"]
        );
        let git_only = read(&[("score.py", "s"), ("x.log", "l"), (".gitignore", "*.log")]);
        assert_eq!(paths(&git_only), [".gitignore", "score.py"]);
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let fs = MemoryFs::with_files([("/m/main.hcl", "")]);
        let r = crate::fs::with(Arc::new(fs), || read_directory(Path::new("/m/src")));
        assert!(r.is_err());
    }
}
