//! The compiler reads files only through `amlplan::fs`: the examples, copied into an
//! in-memory file system at a path that does not exist on disk, compile, check and lower
//! exactly as they do from disk (manifests, modules, var files, `file()`, conda files and
//! the checker's path checks all find their files there).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use amlplan::arm::lower::lower;
use amlplan::compile::compile;
use amlplan::fs::{self, MemoryFs};
use amlplan::lang::instantiate::Inputs;

use crate::support::repo;

/// Where the in-memory copies live: nothing is there on disk.
const ROOT: &str = "/amlplan-in-memory-only";

fn copy_into(fs: &mut MemoryFs, from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_into(fs, &path, &target);
        } else {
            fs.insert(&target, std::fs::read(&path).expect("read file"));
        }
    }
}

/// Diagnostics and lowered requests of a compilation, as comparable text.
fn outcome(dir: &Path) -> (Vec<String>, String) {
    let c = compile(dir, &Inputs::default());
    let diags = c
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    let lowered = match lower(&c.manifest, &c.sources) {
        Ok(desired) => serde_json::to_string(
            &desired
                .iter()
                .map(|d| serde_json::json!([d.address, d.id, d.body]))
                .collect::<Vec<_>>(),
        )
        .expect("json"),
        Err(d) => format!("{d:?}"),
    };
    (diags, lowered)
}

#[test]
fn examples_compile_and_lower_the_same_from_memory() {
    assert!(!Path::new(ROOT).exists(), "{ROOT} must not exist on disk");
    let mut memory = MemoryFs::new();
    copy_into(
        &mut memory,
        &repo().join("examples"),
        &Path::new(ROOT).join("examples"),
    );
    copy_into(
        &mut memory,
        &repo().join("modules"),
        &Path::new(ROOT).join("modules"),
    );
    let memory: Arc<dyn fs::Fs> = Arc::new(memory);
    for name in crate::plan::example_names() {
        let on_disk = outcome(&repo().join("examples").join(&name));
        let in_memory: PathBuf = Path::new(ROOT).join("examples").join(&name);
        let from_memory = fs::with(memory.clone(), || outcome(&in_memory));
        assert_eq!(on_disk, from_memory, "example {name}");
        assert!(!on_disk.1.is_empty(), "example {name} lowers to something");
    }
}

#[test]
fn checks_find_missing_files_in_memory_not_on_disk() {
    let azure = crate::support::AZURE;
    let text = format!(
        r#"{azure}
workspace "fraud" {{
  public_network_access = true
  description           = file("notes.txt")
}}

environment "train" {{
  workspace  = workspace.fraud
  version    = "1"
  image      = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
  conda_file = "env/conda.yml"
}}

output "has_notes" {{
  value = fileexists("notes.txt")
}}
"#
    );
    let dir = Path::new(ROOT).join("check");
    let with = MemoryFs::with_files([
        (dir.join("main.hcl"), text.clone().into_bytes()),
        (dir.join("notes.txt"), b"from memory".to_vec()),
        (dir.join("env/conda.yml"), b"name: train\n".to_vec()),
    ]);
    let c = fs::with(Arc::new(with), || compile(&dir, &Inputs::default()));
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let ws = &c.manifest.resources[0];
    assert_eq!(ws.body.str("description"), Some("from memory"));

    let without = MemoryFs::with_files([(dir.join("main.hcl"), text.into_bytes())]);
    let c = fs::with(Arc::new(without), || compile(&dir, &Inputs::default()));
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0307", "E0102"], "{:#?}", c.diagnostics);
}
