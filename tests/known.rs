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

/// A feature store whose offline store is in a resource group amlplan does not manage, with
/// an output of its identity's principal.
const FEATURE_STORE: &str = r#"
feature_store "fs-known" {
  offline_store = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data-rg/providers/Microsoft.Storage/storageAccounts/fslake"

  compute_runtime {
    spark_runtime_version = "3.4"
  }
}

output "principal" {
  value = feature_store.fs-known.principal_id
}
"#;

#[test]
fn a_feature_store_identity_gets_its_offline_store_role_once_it_exists() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{FEATURE_STORE}"))]);
    let d = dir.path();
    let plan = run(d, &["plan", ".", "--format", "json"]);
    let grant = planned(&plan, "feature_store.fs-known.offline_store_access");
    assert_eq!(grant["arm"]["id_unknown"], true, "{grant}");
    assert_eq!(
        grant["arm"]["body"]["properties"]["principalId"],
        "(known after apply)"
    );
    let store = planned(&plan, "feature_store.fs-known");
    assert_eq!(store["arm"]["body"]["kind"], "FeatureStore");
    assert_eq!(
        store["arm"]["body"]["properties"]["featureStoreSettings"]["offlineStoreConnectionName"],
        "offline-store"
    );

    let apply = run(d, &["apply", "--auto-approve", "."]);
    succeeded(&apply);
    let out = run(d, &["output", "principal"]);
    let principal = String::from_utf8_lossy(&out.stdout)
        .trim()
        .trim_matches('"')
        .to_string();
    assert_eq!(principal.len(), 36, "{principal}");
    let cloud: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join(".amlplan/mock-cloud.json")).unwrap())
            .unwrap();
    let text = cloud.to_string();
    assert!(!text.contains("known after apply"), "{text}");
    let blob_data_contributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    let scope = "storageaccounts/fslake/providers/microsoft.authorization/roleassignments/";
    let lower = text.to_ascii_lowercase();
    assert!(
        lower.contains(scope)
            && lower.contains(blob_data_contributor)
            && lower.contains(&principal.to_ascii_lowercase()),
        "the assignment at the offline store grants the feature store's principal its role: {text}"
    );

    let again = run(d, &["plan", ".", "--detailed-exitcode"]);
    succeeded(&again);
    let destroy = run(d, &["destroy", "--auto-approve", "."]);
    succeeded(&destroy);
}
