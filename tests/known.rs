//! Values known only after apply: a role assignment for a workspace's own managed identity
//! is planned with an unknown principal, applied once the workspace exists, and planned as
//! unchanged afterwards.

use crate::support::{AZURE, manifest};

/// A workspace whose managed identity is read by a role assignment and an output.
pub(crate) const MANIFEST: &str = r#"
workspace "known-after" {
  identity {
    type = "system_assigned"
  }
}

role_assignment "ws-reads-itself" {
  role           = "Reader"
  principal_id   = workspace.known-after.principal_id
  principal_type = "service_principal"
  scope          = workspace.known-after
}

output "principal" {
  value = workspace.known-after.principal_id
}
"#;

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_amlplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("AMLPLAN_MOCK_OPTIONS")
        .output()
        .expect("runs")
}

/// The change a JSON plan makes to `address`.
fn planned(plan: &std::process::Output, address: &str) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_slice(&plan.stdout).expect("json plan");
    json["resource_changes"]
        .as_array()
        .expect("resource changes")
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("{address} is planned"))
        .clone()
}

/// The command exited 0 (a `--detailed-exitcode` plan: with no changes).
fn succeeded(out: &std::process::Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn unknown_principal_is_resolved_at_apply_and_plans_clean_after() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{MANIFEST}"))]);
    let d = dir.path();
    let plan = run(d, &["plan", ".", "--format", "json"]);
    let ra = planned(&plan, "role_assignment.ws-reads-itself");
    assert_eq!(
        ra["arm"]["body"]["properties"]["principalId"],
        "(known after apply)"
    );

    let apply = run(d, &["apply", "--auto-approve", "."]);
    succeeded(&apply);

    let cloud: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join(".amlplan/mock-cloud.json")).unwrap())
            .unwrap();
    let text = cloud.to_string();
    assert!(
        !text.contains("known after apply"),
        "an unknown value reached ARM: {text}"
    );

    let out = run(d, &["output", "principal"]);
    let principal = String::from_utf8_lossy(&out.stdout)
        .trim()
        .trim_matches('"')
        .to_string();
    assert_eq!(principal.len(), 36, "{principal}");
    assert!(
        text.contains(&principal),
        "the assignment names the workspace's principal"
    );

    let again = run(d, &["plan", ".", "--detailed-exitcode"]);
    succeeded(&again);
}

/// A workspace whose tag happens to read like the unknown-value text.
const TAG_THAT_LOOKS_UNKNOWN: &str = r#"
workspace "looks-unknown" {
  tags = {
    note = "(known after apply)"
  }
}
"#;

#[test]
fn a_tag_reading_known_after_apply_is_an_ordinary_string() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{TAG_THAT_LOOKS_UNKNOWN}"))]);
    let d = dir.path();
    let plan = run(d, &["plan", ".", "--format", "json"]);
    let ws = planned(&plan, "workspace.looks-unknown");
    assert_eq!(ws["after_unknown"], serde_json::json!([]), "{ws}");
    assert_eq!(ws["arm"]["body"]["tags"]["note"], "(known after apply)");

    // The human plan quotes it, as the string it is.
    let human = run(d, &["plan", "."]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains("note") && l.contains(r#""(known after apply)""#)),
        "{text}"
    );

    let apply = run(d, &["apply", "--auto-approve", "."]);
    succeeded(&apply);
    let cloud = std::fs::read_to_string(d.join(".amlplan/mock-cloud.json")).unwrap();
    assert!(cloud.contains("(known after apply)"), "the tag reached ARM");
    let again = run(d, &["plan", ".", "--detailed-exitcode"]);
    succeeded(&again);
}
