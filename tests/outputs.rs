//! Root outputs in the plan (`output_changes`, `Changes to Outputs:`) and `amlplan output`
//! before the first apply.

use crate::support::{AZURE, amlplan, manifest, stderr, stdout};

const OUTPUTS: &str = r#"
workspace "outs" {
  identity {
    type = "system_assigned"
  }
}

output "region" {
  value = "eastus"
}

output "principal" {
  value = workspace.outs.principal_id
}

output "workspace_id" {
  value = workspace.outs.id
}

output "secret" {
  value     = "s3cret-output-value"
  sensitive = true
}
"#;

fn output_changes(plan: &std::process::Output) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_slice(&plan.stdout).expect("json plan");
    assert_eq!(json["format_version"], "1.2");
    json["output_changes"].clone()
}

#[test]
fn outputs_are_planned_known_unknown_or_sensitive() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{OUTPUTS}"))]);
    let d = dir.path();

    let plan = amlplan(d, &["plan", ".", "--format", "json"]);
    assert!(!stdout(&plan).contains("s3cret-output-value"));
    let changes = output_changes(&plan);
    assert_eq!(changes["region"]["actions"], serde_json::json!(["create"]));
    assert_eq!(changes["region"]["after"], "eastus");
    assert_eq!(changes["region"]["after_unknown"], false);
    assert_eq!(changes["principal"]["after"], serde_json::Value::Null);
    assert_eq!(changes["principal"]["after_unknown"], true);
    let id = changes["workspace_id"]["after"]
        .as_str()
        .expect("the ID is known");
    assert!(id.ends_with("/workspaces/outs"), "{id}");
    assert_eq!(changes["secret"]["sensitive"], true);
    assert_eq!(changes["secret"]["after"], serde_json::Value::Null);

    let human = stdout(&amlplan(d, &["plan", "."]));
    assert!(human.contains("Changes to Outputs:"), "{human}");
    assert!(
        human.contains("+ principal    = (known after apply)"),
        "{human}"
    );
    assert!(human.contains("+ region       = \"eastus\""), "{human}");
    assert!(
        human.contains("+ secret       = (sensitive value)"),
        "{human}"
    );
    assert!(!human.contains("s3cret-output-value"));

    let apply = amlplan(d, &["apply", "--auto-approve", "."]);
    assert_eq!(apply.status.code(), Some(0), "{}", stderr(&apply));

    // Applied: every output is unchanged, and ARM's computed value is known now.
    let again = amlplan(d, &["plan", ".", "--format", "json"]);
    let changes = output_changes(&again);
    for name in ["region", "principal", "workspace_id", "secret"] {
        assert_eq!(
            changes[name]["actions"],
            serde_json::json!(["no-op"]),
            "{name}: {changes}"
        );
    }
    let principal = changes["principal"]["after"].as_str().expect("known now");
    assert_eq!(changes["principal"]["before"], principal);
    assert!(!stdout(&amlplan(d, &["plan", "."])).contains("Changes to Outputs"));

    std::fs::write(
        d.join("main.hcl"),
        format!("{AZURE}{}", OUTPUTS.replace("\"eastus\"", "\"westus\"")),
    )
    .unwrap();
    let changed = output_changes(&amlplan(d, &["plan", ".", "--format", "json"]));
    assert_eq!(changed["region"]["actions"], serde_json::json!(["update"]));
    assert_eq!(changed["region"]["before"], "eastus");
    assert_eq!(changed["region"]["after"], "westus");
    let human = stdout(&amlplan(d, &["plan", "."]));
    assert!(
        human.contains("~ region = \"eastus\" -> \"westus\""),
        "{human}"
    );
}

#[test]
fn output_before_the_first_apply_shows_what_the_manifest_alone_knows() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{OUTPUTS}"))]);
    let d = dir.path();
    let all = amlplan(d, &["output"]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    let text = stdout(&all);
    assert!(text.contains("region       = \"eastus\""), "{text}");
    assert!(
        text.contains("principal    = (known after apply)"),
        "{text}"
    );
    assert!(text.contains("secret       = (sensitive value)"), "{text}");
    assert!(!text.contains("s3cret-output-value"));
    assert!(stderr(&all).contains("Nothing has been applied yet"));

    let one = amlplan(d, &["output", "region"]);
    assert_eq!(stdout(&one).trim(), "\"eastus\"");

    let unknown = amlplan(d, &["output", "principal"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("error[E0913]: output `principal` is known only after apply"),
        "{}",
        stderr(&unknown)
    );
    let json = amlplan(d, &["output", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(doc["principal"]["unknown"], true);
    assert_eq!(doc["region"]["value"], "eastus");
    assert_eq!(doc["secret"]["value"], "(sensitive value)");
}
