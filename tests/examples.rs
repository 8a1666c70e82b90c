//! Every example validates with zero errors and zero warnings, and is already formatted.

use crate::support::{amlplan, repo, stderr, stdout};

fn example_dirs() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(repo().join("examples"))
        .expect("examples/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| crate::support::is_manifest_dir(p))
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn there_are_at_least_two_examples() {
    let names: Vec<String> = example_dirs()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"fraud-detection".to_string()), "{names:?}");
    assert!(names.len() >= 2, "{names:?}");
}

#[test]
fn every_example_validates_without_warnings() {
    for dir in example_dirs() {
        let out = amlplan(&dir, &["validate", ".", "--deny-warnings"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{} failed:\n{}{}",
            dir.display(),
            stdout(&out),
            stderr(&out)
        );
        assert!(
            stderr(&out).is_empty(),
            "{}: {}",
            dir.display(),
            stderr(&out)
        );
    }
}

#[test]
fn examples_and_modules_are_formatted() {
    for sub in ["examples", "modules"] {
        let out = amlplan(&repo(), &["fmt", "--check", "--recursive", sub]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{sub} needs `amlplan fmt`:\n{}{}",
            stdout(&out),
            stderr(&out)
        );
    }
}

#[test]
fn fraud_detection_has_the_expected_resources() {
    let compilation = amlplan::compile::compile(
        &repo().join("examples/fraud-detection"),
        &amlplan::lang::instantiate::Inputs::default(),
    );
    let kinds: std::collections::BTreeSet<&str> = compilation
        .manifest
        .resources
        .iter()
        .map(|r| r.kind())
        .collect();
    for kind in [
        "workspace",
        "private_endpoint",
        "private_dns_zone",
        "role_assignment",
        "compute_cluster",
        "compute_instance",
        "environment",
        "model",
        "online_endpoint",
        "online_deployment",
    ] {
        assert!(
            kinds.contains(kind),
            "fraud-detection lacks a {kind}: {kinds:?}"
        );
    }
}
