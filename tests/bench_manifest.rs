//! The benchmarks' generated manifest stays valid: a rule or kind change that makes it fail
//! to compile would otherwise only show when someone next runs `cargo bench`.

#[path = "../benches/generate.rs"]
mod generate;

use amlplan::lang::instantiate::Inputs;

#[test]
fn a_small_benchmark_manifest_compiles_without_a_diagnostic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shape = generate::Shape {
        workspaces: 2,
        workspaces_per_file: 1,
        ..generate::Shape::default()
    };
    let generated = generate::write_manifest(dir.path(), &shape).expect("write the manifest");
    let compilation = amlplan::compile::compile(dir.path(), &Inputs::default());
    let codes: Vec<&str> = compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(compilation.manifest.resources.len(), generated.resources);
    amlplan::arm::lower::lower(&compilation.manifest, &compilation.sources).expect("lowers");
}
