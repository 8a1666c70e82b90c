//! `amlplan fmt`: rewrite manifest files in the canonical format (see [`crate::format`]).
//!
//! Each changed file is printed on stdout, one path a line. With `--check` nothing is written
//! and the exit status says whether anything would change. A file that cannot be read
//! (E0102), parsed (E0101, or E0207 for a repeated attribute) or written (E0917), and a
//! directory that cannot be listed (E0102), is reported with its path and left alone; the
//! other files are still formatted (or listed), and the exit status is 1. Files are read as
//! the loader reads them, number literals beyond `f64` (`1e500`) included.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{ColorChoice, FmtArgs};
use crate::diagnostic::Diagnostic;
use crate::diagnostics::load as diag;
use crate::format::format_source;
use crate::load;
use crate::render::human::{self, Style};
use crate::source::{SourceFile, Sources};

use super::{EXIT_ERROR, EXIT_OK};

/// Directories `--recursive` never enters (besides hidden ones).
const SKIPPED_DIRS: [&str; 2] = [".amlplan", "target"];

pub fn run(args: &FmtArgs) -> u8 {
    run_with_style(
        args,
        super::style(ColorChoice::Auto, crate::cli::DEFAULT_MAX_ERRORS),
    )
}

pub fn run_with_style(args: &FmtArgs, style: Style) -> u8 {
    let mut stdout = std::io::stdout().lock();
    let code = format_files(args, style, &mut stdout);
    let _ = stdout.flush();
    code
}

/// Formats (or checks) the files `args` names, printing the changed paths to `out`.
pub fn format_files(args: &FmtArgs, style: Style, out: &mut dyn Write) -> u8 {
    let mut sources = Sources::new();
    let report = |d: &Diagnostic, sources: &Sources| {
        crate::render::stderr::print(format_args!("{}", human::render(d, sources, style)))
    };

    // A directory that cannot be listed is reported; the files found elsewhere are still
    // formatted.
    let mut unlisted = Vec::new();
    let files = files(&args.path, args.recursive, &mut unlisted);
    for d in &unlisted {
        report(d, &sources);
    }
    let mut failed = !unlisted.is_empty();
    let mut changed = false;
    for path in files {
        let shown = shown(&path);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                report(&diag::unreadable_file(&shown, &e), &sources);
                failed = true;
                continue;
            }
        };
        let formatted = match format_source(&text) {
            Ok(formatted) => formatted,
            Err(e) => {
                // The loader's own diagnostic for the error (E0101, or E0203 for a repeated
                // attribute), at its place in the file.
                let file = sources.add(SourceFile::new(shown, &path, text));
                let d = load::syntax_error(file, &sources.get(file).text, &e);
                report(&d, &sources);
                failed = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if !args.check
            && let Err(e) = write_atomically(&path, &formatted)
        {
            report(
                &crate::diagnostics::engine::format_write_failed(&shown, &e),
                &sources,
            );
            failed = true;
            continue;
        }
        changed = true;
        // A closed stdout (`amlplan fmt | head`) is not worth failing over.
        let _ = writeln!(out, "{shown}");
    }

    if failed || (args.check && changed) {
        EXIT_ERROR
    } else {
        EXIT_OK
    }
}

/// The files to format: `path` itself when it is a file, else the `*.hcl` files of the
/// directory (and, with `recursive`, of the directories below it), sorted. A directory that
/// cannot be read is pushed on `errors` and skipped.
fn files(path: &Path, recursive: bool, errors: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => {
            errors.push(diag::unreadable_file(&shown(path), &e));
            return Vec::new();
        }
    };
    if !meta.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut files = match load::manifest_files(path) {
        Ok(files) => files,
        Err(d) => {
            errors.push(d);
            return Vec::new();
        }
    };
    if recursive {
        for dir in subdirectories(path) {
            files.extend(self::files(&dir, true, errors));
        }
    }
    files
}

/// The directories directly below `dir` that `--recursive` enters, sorted. Symbolic links
/// are not followed.
fn subdirectories(dir: &Path) -> Vec<PathBuf> {
    // `files` has just listed `dir`; should it fail now, the files were still formatted.
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_ref())
        })
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// A path as printed: as reached from the argument (without a leading `./`), with `/`
/// separators.
fn shown(path: &Path) -> String {
    let path = path
        .strip_prefix(".")
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(path);
    path.to_string_lossy().replace('\\', "/")
}

/// Replaces `path`'s content: writes a temporary file next to it, then renames it over the
/// file, so a reader never sees a half-written file. A symbolic link is resolved first so
/// the link itself is kept; the file's permissions are kept.
fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    // At most 100 bytes of the name, so a long file name still leaves room for the suffix.
    let name: String = target
        .file_name()
        .map_or_else(|| "manifest".into(), |n| n.to_string_lossy().into_owned())
        .chars()
        .scan(0, |len, c| {
            *len += c.len_utf8();
            (*len <= 100).then_some(c)
        })
        .collect();
    let temp = dir.join(format!(".{name}.amlplan-fmt.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        drop(file);
        if let Ok(meta) = fs::metadata(&target) {
            fs::set_permissions(&temp, meta.permissions())?;
        }
        fs::rename(&temp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `fmt` on `path`; the exit code and the printed paths relative to `root`.
    fn fmt(root: &Path, path: &Path, check: bool, recursive: bool) -> (u8, Vec<String>) {
        let args = FmtArgs {
            path: path.to_path_buf(),
            check,
            recursive,
        };
        let mut out = Vec::new();
        let code = format_files(&args, Style::plain(), &mut out);
        let prefix = format!("{}/", shown(root));
        let printed = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| l.strip_prefix(&prefix).unwrap_or(l).to_string())
            .collect();
        (code, printed)
    }

    fn read(path: PathBuf) -> String {
        fs::read_to_string(path).unwrap()
    }

    #[test]
    fn formats_checks_and_recurses() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.hcl"), "a=1\n").unwrap();
        fs::write(root.join("ok.hcl"), "b = 2\n").unwrap();
        fs::write(root.join("notes.txt"), "x=1\n").unwrap();
        for sub in ["sub", ".hidden", "target", ".amlplan"] {
            fs::create_dir(root.join(sub)).unwrap();
            fs::write(root.join(sub).join("c.hcl"), "c=3\n").unwrap();
        }

        // --check writes nothing and fails when a file would change.
        assert_eq!(
            fmt(root, root, true, false),
            (EXIT_ERROR, vec!["a.hcl".to_string()])
        );
        assert_eq!(read(root.join("a.hcl")), "a=1\n");

        assert_eq!(
            fmt(root, root, false, false),
            (EXIT_OK, vec!["a.hcl".to_string()])
        );
        assert_eq!(read(root.join("a.hcl")), "a = 1\n");
        assert_eq!(read(root.join("sub/c.hcl")), "c=3\n");
        assert_eq!(fmt(root, root, true, false), (EXIT_OK, vec![]));

        // --recursive skips hidden directories, `.amlplan` and `target`.
        assert_eq!(
            fmt(root, root, true, true),
            (EXIT_ERROR, vec!["sub/c.hcl".to_string()])
        );
        assert_eq!(
            fmt(root, root, false, true),
            (EXIT_OK, vec!["sub/c.hcl".to_string()])
        );
        assert_eq!(read(root.join("sub/c.hcl")), "c = 3\n");
        for skipped in [".hidden", "target", ".amlplan"] {
            assert_eq!(read(root.join(skipped).join("c.hcl")), "c=3\n");
        }
        assert_eq!(read(root.join("notes.txt")), "x=1\n");
        assert_eq!(fmt(root, root, true, true), (EXIT_OK, vec![]));

        let names: Vec<String> = fs::read_dir(root)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn a_syntax_error_fails_but_other_files_are_formatted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("bad.hcl"), "a = {\n").unwrap();
        fs::write(root.join("good.hcl"), "b=2\n").unwrap();
        assert_eq!(
            fmt(root, root, false, false),
            (EXIT_ERROR, vec!["good.hcl".to_string()])
        );
        assert_eq!(read(root.join("bad.hcl")), "a = {\n");
        assert_eq!(read(root.join("good.hcl")), "b = 2\n");
    }

    #[test]
    fn a_single_file_and_a_missing_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let file = root.join("one.hcl");
        fs::write(&file, "x   = 1\n").unwrap();
        assert_eq!(
            fmt(root, &file, false, false),
            (EXIT_OK, vec!["one.hcl".to_string()])
        );
        assert_eq!(read(file), "x = 1\n");
        assert_eq!(
            fmt(root, &root.join("missing"), false, false),
            (EXIT_ERROR, vec![])
        );
    }
}
