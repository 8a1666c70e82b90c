//! Assets end to end over the mock provider: scoring code uploaded as a code asset version
//! (its content hash the version), and asset versions kept for lineage (a version bump
//! archives the old version instead of deleting it).

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
    assert_eq!(
        non_noops(&plan),
        [
            ("online_deployment.blue".to_string(), json!(["update"])),
            ("online_deployment.blue.code".to_string(), json!(["create"])),
        ]
    );
    assert_eq!(code["old_version"]["action"], "archive");
    assert!(
        code["old_version"]["id"]
            .as_str()
            .is_some_and(|id| id.eq_ignore_ascii_case(&code_id))
    );
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
    // The old version is kept for lineage, archived and no longer managed.
    let old = sb
        .cloud_resource(&code_id)
        .expect("the old code version is kept");
    assert_eq!(old["body"]["properties"]["isArchived"], true);
    assert!(!sb.state_ids().contains(&code_id.to_ascii_lowercase()));
}

fn model_version(sb: &Sandbox, version: &str) {
    sb.write(
        "serving.hcl",
        &sb.read("serving.hcl").replacen(
            &format!("version   = \"{}\"\n  path", previous(version)),
            &format!("version   = \"{version}\"\n  path"),
            1,
        ),
    );
}

fn previous(version: &str) -> String {
    (version.parse::<u32>().unwrap_or(2) - 1).to_string()
}

fn model_id(version: &str) -> String {
    format!("/models/m/versions/{version}")
}

#[test]
fn a_version_bump_creates_the_new_version_and_archives_the_old_one_after_its_users_move() {
    let sb = code_sandbox();
    sb.expect(&["apply", "--auto-approve"], 0);
    let v1 = sb.cloud_resource(&model_id("1")).expect("model 1")["id"]
        .as_str()
        .unwrap()
        .to_string();

    model_version(&sb, "2");
    let (_, plan) = sb.plan_json(&[]);
    let model = change(&plan, "model.m");
    assert_eq!(model["actions"], json!(["create"]), "{model:#}");
    assert_eq!(model["old_version"]["action"], "archive");
    assert!(
        model["reason"]
            .as_str()
            .is_some_and(|r| r.contains("version 2 of m is created; version 1 of m is archived")),
        "{model:#}"
    );
    assert_eq!(plan["summary"]["archive"], 1);
    assert_eq!(plan["summary"]["destroy"], 0);
    let human = stdout(&sb.expect(&["plan"], 0));
    assert!(human.contains("# then archives"), "{human}");
    assert!(human.contains(", 1 to archive."), "{human}");

    let out = sb.expect(&["apply", "--auto-approve"], 0);
    let err = crate::support::stderr(&out);
    let line = |prefix: &str| {
        err.lines()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in\n{err}"))
    };
    // The deployment moves to version 2 before version 1 is archived.
    assert!(
        line("online_deployment.blue: Write complete") < line("model.m: Archiving"),
        "{err}"
    );
    let old = sb
        .cloud_resource(&model_id("1"))
        .expect("version 1 is kept");
    assert_eq!(old["body"]["properties"]["isArchived"], true);
    assert!(!sb.state_ids().contains(&v1.to_ascii_lowercase()));
    let new = sb.cloud_resource(&model_id("2")).expect("version 2");
    assert_eq!(new["body"]["properties"]["isArchived"], false);
    sb.assert_converged("after the bump");

    // Going back to version 1 restores it: an in-place update of `isArchived`.
    sb.write(
        "serving.hcl",
        &sb.read("serving.hcl").replacen(
            "version   = \"2\"\n  path",
            "version   = \"1\"\n  path",
            1,
        ),
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    let back = sb.cloud_resource(&model_id("1")).expect("version 1");
    assert_eq!(back["body"]["properties"]["isArchived"], false);
    assert_eq!(
        sb.cloud_resource(&model_id("2"))
            .expect("version 2 is kept")["body"]["properties"]["isArchived"],
        true
    );
    sb.assert_converged("after going back");
}

#[test]
fn delete_old_versions_deletes_and_a_version_still_named_by_id_is_kept() {
    let sb = code_sandbox();
    sb.expect(&["apply", "--auto-approve"], 0);
    let v1 = sb.cloud_resource(&model_id("1")).expect("model 1")["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The deployment names version 1 by its ARM ID: bumping the block keeps version 1.
    sb.edit(
        "main.hcl",
        "model          = model.m",
        &format!("model          = \"{v1}\""),
    );
    model_version(&sb, "2");
    let (_, plan) = sb.plan_json(&[]);
    let model = change(&plan, "model.m");
    assert_eq!(model["old_version"]["action"], "keep", "{model:#}");
    assert_eq!(model["old_version"]["used_by"], "online_deployment.blue");
    sb.expect(&["apply", "--auto-approve"], 0);
    let kept = sb
        .cloud_resource(&model_id("1"))
        .expect("version 1 is kept");
    assert_eq!(kept["body"]["properties"]["isArchived"], false);
    assert!(!sb.state_ids().contains(&v1.to_ascii_lowercase()));

    // With the lifecycle flag, the old version is deleted.
    sb.edit(
        "main.hcl",
        &format!("model          = \"{v1}\""),
        "model          = model.m",
    );
    sb.edit(
        "serving.hcl",
        "version   = \"2\"\n  path",
        "version   = \"3\"\n  path",
    );
    let text = sb.read("serving.hcl");
    sb.write(
        "serving.hcl",
        &text.replacen(
            "model \"m\" {",
            "model \"m\" {\n  lifecycle {\n    delete_old_versions = true\n  }",
            1,
        ),
    );
    let (_, plan) = sb.plan_json(&[]);
    assert_eq!(
        change(&plan, "model.m")["actions"],
        json!(["create", "delete"])
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    assert!(
        sb.cloud_resource(&model_id("2")).is_none(),
        "version 2 is deleted"
    );
    // (Version 1 stays, unmanaged: it was kept.)
    let out = sb.expect(&["plan", "--detailed-exitcode"], 0);
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
}

#[test]
fn a_role_assignment_made_outside_amlplan_is_adopted_not_a_failure() {
    let sb = Sandbox::fixture("kinds/role_assignment");
    sb.expect(&["apply", "--auto-approve"], 0);
    // Make it somebody else's: the same scope, principal and role under another name, and
    // unknown to the state.
    let mut cloud = sb.cloud();
    let resources = cloud["resources"].as_object_mut().expect("resources");
    let key = resources
        .keys()
        .find(|k| k.contains("/roleassignments/"))
        .cloned()
        .expect("assignment");
    let mut record = resources.remove(&key).expect("record");
    let outside = "5c1e0a9e-8f3b-4d6a-9b2e-7a41c0d3e8f1";
    let id = record["id"].as_str().unwrap().to_string();
    let (scope, _) = id.rsplit_once('/').unwrap();
    let outside_id = format!("{scope}/{outside}");
    record["id"] = json!(outside_id);
    // As ARM would hold it: the body names its own ID and name too (a list answers with them).
    if record["body"].get("id").is_some() {
        record["body"]["id"] = json!(outside_id);
    }
    if record["body"].get("name").is_some() {
        record["body"]["name"] = json!(outside);
    }
    resources.insert(outside_id.to_ascii_lowercase(), record);
    sb.save_cloud(&cloud);
    let mut state = sb.state();
    state["resources"]
        .as_array_mut()
        .expect("resources")
        .retain(|r| r["kind"] != "role_assignment");
    std::fs::write(
        sb.path(".amlplan/state.json"),
        serde_json::to_string_pretty(&state).unwrap(),
    )
    .unwrap();

    // ARM answers the create with 409 RoleAssignmentExists; the assignment is adopted.
    let (_, plan) = sb.plan_json(&[]);
    assert_eq!(
        change(&plan, "role_assignment.this")["actions"],
        json!(["create"])
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    let adopted = sb.state()["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "role_assignment")
        .cloned()
        .expect("adopted into the state");
    assert!(
        adopted["id"]
            .as_str()
            .is_some_and(|i| i.eq_ignore_ascii_case(&outside_id)),
        "{adopted:#}"
    );
    assert_eq!(adopted["adopted"], true);
    assert!(sb.cloud_resource(outside).is_some());
    sb.assert_converged("after adopting");
    // It is managed now: an update goes to the existing assignment.
    sb.edit(
        "main.hcl",
        "the assignment under test",
        "the adopted assignment",
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    let updated = sb.cloud_resource(outside).expect("assignment");
    assert_eq!(
        updated["body"]["properties"]["description"],
        "the adopted assignment"
    );
    sb.assert_converged("after updating the adopted assignment");
}
