//! Assets end to end over the mock provider: scoring code uploaded as a code asset version
//! (its content hash the version), and asset versions kept for lineage.

use serde_json::json;

use crate::plan::{Sandbox, change, non_noops};
use crate::support::stdout;

/// `tests/fixtures/apply/endpoint` with one deployment, `blue`, running `src/score.py`
/// and taking all the traffic.
fn code_sandbox() -> Sandbox {
    let sb = Sandbox::fixture("apply/endpoint");
    sb.write(
        "main.hcl",
        r#"
online_endpoint "scoring" {
  workspace = workspace.mlw
  traffic   = { blue = 100 }
}

online_deployment "blue" {
  endpoint       = online_endpoint.scoring
  model          = model.m
  environment    = environment.env
  instance_type  = "Standard_DS3_v2"
  instance_count = 1

  code {
    path           = "src"
    scoring_script = "score.py"
  }
}
"#,
    );
    sb.write("src/score.py", "def run(data):\n    return data\n");
    sb.write("src/lib/features.py", "FEATURES = ['amount']\n");
    sb.write("src/.amlignore", "__pycache__\n");
    sb.write("src/__pycache__/score.cpython-312.pyc", "bytecode");
    sb
}

/// The blobs the mock cloud stores, URL → content.
fn blobs(sb: &Sandbox) -> Vec<(String, String)> {
    sb.cloud()["blobs"]
        .as_object()
        .map(|b| {
            b.iter()
                .map(|(k, v)| {
                    let hex = v.as_str().unwrap_or_default();
                    let bytes: Vec<u8> = (0..hex.len() / 2)
                        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
                        .collect();
                    (k.clone(), String::from_utf8_lossy(&bytes).into_owned())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn scoring_code_is_uploaded_and_a_code_change_rolls_the_deployment() {
    let sb = code_sandbox();
    let (_, plan) = sb.plan_json(&[]);
    let deployment = change(&plan, "online_deployment.blue");
    let code_id = deployment["after"]["properties"]["codeConfiguration"]["codeId"]
        .as_str()
        .expect("the deployment sends codeConfiguration.codeId")
        .to_string();
    assert!(
        code_id.contains("/workspaces/mlw/codes/scoring-blue/versions/"),
        "{code_id}"
    );
    assert_eq!(
        change(&plan, "online_deployment.blue.code")["actions"],
        json!(["create"])
    );
    let human = stdout(&sb.expect(&["plan"], 0));
    assert!(
        human.contains("# uploads 3 files ("),
        "the plan says what is uploaded:\n{human}"
    );

    sb.expect(&["apply", "--auto-approve"], 0);
    let version = sb
        .cloud_resource(&code_id)
        .expect("the code version exists");
    let code_uri = version["body"]["properties"]["codeUri"]
        .as_str()
        .expect("codeUri")
        .to_string();
    let stored = blobs(&sb);
    let names: Vec<&str> = stored
        .iter()
        .filter_map(|(k, _)| k.strip_prefix(&format!("{code_uri}/")))
        .collect();
    assert_eq!(names, [".amlignore", "lib/features.py", "score.py"]);
    assert!(
        stored
            .iter()
            .any(|(k, v)| k.ends_with("/score.py") && v.contains("def run")),
        "{stored:?}"
    );
    let sent = sb.cloud_resource("/deployments/blue").expect("deployment");
    assert!(
        sent["body"]["properties"]["codeConfiguration"]["codeId"]
            .as_str()
            .is_some_and(|id| id.eq_ignore_ascii_case(&code_id)),
        "{sent:#}"
    );
    sb.assert_converged("after the first apply");

    // An ignored file changes nothing.
    sb.write("src/__pycache__/score.cpython-312.pyc", "other bytecode");
    sb.assert_converged("after an ignored file changed");

    // Editing score.py is a new code version and an in-place update of the deployment,
    // which says it rolls while serving all the traffic.
    sb.write("src/score.py", "def run(data):\n    return [data]\n");
    let (_, plan) = sb.plan_json(&[]);
    let deployment = change(&plan, "online_deployment.blue");
    assert_eq!(deployment["actions"], json!(["update"]));
    let reason = deployment["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("roll") && reason.contains("100% of live traffic"),
        "{reason}"
    );
    let new_id = deployment["after"]["properties"]["codeConfiguration"]["codeId"]
        .as_str()
        .expect("codeId")
        .to_string();
    assert_ne!(new_id, code_id);
    let code = change(&plan, "online_deployment.blue.code");
    assert!(
        code["reason"]
            .as_str()
            .is_some_and(|r| r.contains("uploaded files changed")),
        "{code:#}"
    );
    let moved = non_noops(&plan);
    assert_eq!(moved.len(), 2, "{moved:?}");
    sb.expect(&["apply", "--auto-approve"], 0);
    let sent = sb.cloud_resource("/deployments/blue").expect("deployment");
    assert!(
        sent["body"]["properties"]["codeConfiguration"]["codeId"]
            .as_str()
            .is_some_and(|id| id.eq_ignore_ascii_case(&new_id))
    );
    assert!(
        blobs(&sb)
            .iter()
            .any(|(k, v)| k.ends_with("/score.py") && v.contains("[data]"))
    );
    sb.assert_converged("after the code change");
}
