//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real binary with `args` in `dir`, without colour and with a fixed width.
/// The date the tests' runs take as today (budgets start on the first of its month), so plans
/// and their snapshots do not change with the calendar.
pub const TODAY: &str = "2026-12-02";

pub fn amlplan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amlplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env(amlplan::clock::TODAY_VAR, TODAY)
        .env_remove("AMLPLAN_VAR_env")
        // No user's price cache changes a forecast under test.
        .env(
            "AMLPLAN_PRICE_CACHE",
            dir.join(".amlplan-test-no-price-cache.json"),
        )
        .output()
        .expect("the amlplan binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary manifest directory holding the given files.
pub fn manifest(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(path, text).expect("write file");
    }
    dir
}

/// The fixture folder `tests/fixtures/CASE` (`plan/every_kind`): a manifest directory,
/// OpenTofu style, holding a manifest several tests share. Its `includes` file, if any,
/// names the folders under `tests/fixtures/shared/` whose files it needs besides its own
/// (the `azure` block, a workspace, the assets deployments serve), so no fixture repeats them.
pub fn fixture_dir(case: &str) -> PathBuf {
    repo().join("tests/fixtures").join(case)
}

/// Copies the fixture folder `case`, and the shared folders it includes, into `to`
/// (created if need be).
#[track_caller]
pub fn copy_fixture(case: &str, to: &Path) {
    let from = fixture_dir(case);
    assert!(from.is_dir(), "no fixture {}", from.display());
    let includes = from.join(INCLUDES);
    if let Ok(text) = std::fs::read_to_string(&includes) {
        for shared in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            copy_fixture(shared, to);
        }
    }
    copy_tree(&from, to);
    let _ = std::fs::remove_file(to.join(INCLUDES));
}

/// The file of a fixture folder naming the shared folders it includes.
const INCLUDES: &str = "includes";

/// Copies a directory tree, leaving out what runs write into one (`.amlplan/`, `target/`).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name == ".amlplan" || name == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}

/// The `azure` block most test manifests need.
pub const AZURE: &str = r#"azure {
  subscription_id = "00000000-0000-0000-0000-000000000000"
  resource_group  = "rg"
  location        = "eastus"
}
"#;

/// Whether `dir` is a manifest directory (holds a `.hcl` file): `examples/ci/` holds CI
/// templates, not a manifest.
pub fn is_manifest_dir(dir: &Path) -> bool {
    dir.is_dir()
        && std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|e| e.path().extension().is_some_and(|x| x == "hcl"))
        })
}
