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
        "monitor",
    ] {
        assert!(
            kinds.contains(kind),
            "fraud-detection lacks a {kind}: {kinds:?}"
        );
    }
    // Its budget alerts at 80% (forecasted) and 100% of the amount.
    let budget = compilation
        .manifest
        .settings
        .iter()
        .find(|b| b.kind == "budget")
        .expect("a budget");
    let thresholds: Vec<f64> = budget
        .body
        .blocks("alert")
        .filter_map(|a| a.body.value("threshold").and_then(|v| v.as_f64()))
        .collect();
    assert_eq!(thresholds, [80.0, 100.0]);
}

/// LANGUAGE.md's examples of the kinds added in v1 validate as written (the fixture holds
/// them, elided ARM IDs completed, with the resources they refer to) and plan on the mock.
#[test]
fn the_language_examples_of_v1_kinds_validate_and_plan() {
    let tmp = tempfile::tempdir().expect("tempdir");
    crate::support::copy_fixture("language/v1", tmp.path());
    let out = amlplan(tmp.path(), &["validate", ".", "--deny-warnings"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let out = amlplan(tmp.path(), &["plan"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// The promotion example: the dev stage creates the registry and registers the model version
/// in it, the prod stage (its own state, chosen by the var file) deploys that version by its
/// registry ID; each converges, and neither plans anything of the other's.
#[test]
fn promotion_stages_apply_each_in_their_own_state() {
    let tmp = tempfile::tempdir().expect("tempdir");
    crate::support::copy_tree(&repo().join("examples/promotion"), tmp.path());
    let dir = tmp.path();
    for stage in ["vars/dev.hcl", "vars/prod.hcl"] {
        let out = amlplan(dir, &["apply", "--auto-approve", "--var-file", stage]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{stage}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
    for stage in ["vars/dev.hcl", "vars/prod.hcl"] {
        let out = amlplan(dir, &["plan", "--detailed-exitcode", "--var-file", stage]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{stage}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
    let dev = std::fs::read_to_string(dir.join(".amlplan/state.json")).expect("dev state");
    let prod = std::fs::read_to_string(dir.join(".amlplan/prod.json")).expect("prod state");
    let promoted = "registries/fraud-central/models/fraud/versions/7";
    assert!(
        dev.contains(promoted),
        "the dev stage registers the version"
    );
    assert!(
        !prod.contains("\"model.fraud"),
        "prod does not manage the model"
    );
    assert!(
        prod.contains(promoted),
        "prod's deployment serves the registry's version"
    );
}
