//! `amlplan apply` and `amlplan destroy` end to end, over the mock ARM provider: the
//! examples' whole lifecycle, saved plan files, secrets, the state lock, blue/green traffic
//! order, role-assignment identity, injected faults and SIGKILL at random moments.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::plan::{
    Sandbox, change, delete_from_cloud, edit_cloud, example_names, expect_code, non_noops,
};
use crate::support::{stderr, stdout};

/// Removes every `prevent_destroy = true` line of the sandbox's manifest and modules.
pub(crate) fn remove_prevent_destroy(sb: &Sandbox) -> usize {
    fn walk(dir: &std::path::Path, removed: &mut usize) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != ".amlplan") {
                    walk(&path, removed);
                }
            } else if path.extension().is_some_and(|e| e == "hcl") {
                let text = std::fs::read_to_string(&path).expect("read");
                let kept: Vec<&str> = text
                    .lines()
                    .filter(|l| l.trim() != "prevent_destroy = true")
                    .collect();
                let n = text.lines().count() - kept.len();
                if n > 0 {
                    *removed += n;
                    std::fs::write(&path, kept.join("\n") + "\n").expect("write");
                }
            }
        }
    }
    let mut removed = 0;
    walk(sb.root(), &mut removed);
    removed
}

fn lifecycle_of_example(name: &str) {
    let sb = Sandbox::example(name);
    let out = sb.expect(&["plan", "--detailed-exitcode"], 2);
    assert!(stdout(&out).contains(" to add, "), "{}", stdout(&out));
    let planned: usize = stdout(&out)
        .split("Plan: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the plan says how many to add");

    let out = sb.expect(&["apply", "--auto-approve"], 0);
    // Apply ends with what it did, as Terraform's does.
    assert!(
        stderr(&out).contains(&format!(
            "Apply complete. Resources: {planned} added, 0 changed, 0 replaced, 0 destroyed."
        )),
        "{}",
        stderr(&out)
    );
    assert!(!sb.cloud_ids().is_empty());
    let out = sb.expect(&["plan", "--detailed-exitcode"], 0);
    assert!(
        stdout(&out).contains("No changes"),
        "{name}: {}",
        stdout(&out)
    );
    assert!(
        !stdout(&out).contains("outside of amlplan"),
        "{name}: drift right after apply:\n{}",
        stdout(&out)
    );
    sb.assert_no_orphans(name);
    assert!(
        sb.unsettled_resources().is_empty(),
        "{:?}",
        sb.unsettled_resources()
    );
    let addresses = sb.state_list();
    assert!(!addresses.is_empty());
    // A second apply changes nothing.
    let serial = sb.state()["serial"].clone();
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
    assert_eq!(
        sb.state()["serial"],
        serial,
        "{name}: a no-op apply moved the state"
    );

    // A protected resource: destroy refuses and deletes nothing.
    let protected = sb
        .read("main.hcl")
        .lines()
        .any(|l| l.trim() == "prevent_destroy = true");
    if protected {
        let before = sb.cloud_ids();
        let out = sb.expect(&["destroy", "--auto-approve"], 1);
        assert!(stderr(&out).contains("E0902"), "{}", stderr(&out));
        assert_eq!(sb.cloud_ids(), before, "{name}: destroy deleted something");
        assert_eq!(sb.state_list(), addresses);
    }
    remove_prevent_destroy(&sb);
    let out = sb.expect(&["destroy", "--auto-approve"], 0);
    assert!(
        stderr(&out).contains("Destroy complete."),
        "{}",
        stderr(&out)
    );
    assert!(
        sb.cloud()["resources"].as_object().unwrap().is_empty(),
        "{name}: the mock cloud still holds {:#?}",
        sb.cloud_ids()
    );
    assert!(sb.state_list().is_empty(), "{:?}", sb.state_list());
    // After destroy the manifest plans creations again.
    sb.expect(&["plan", "--detailed-exitcode"], 2);
}

#[test]
fn every_example_plans_applies_converges_and_destroys() {
    let names = example_names();
    assert!(names.contains(&"fraud-detection".to_string()), "{names:?}");
    std::thread::scope(|s| {
        for name in &names {
            s.spawn(move || lifecycle_of_example(name));
        }
    });
}

// ---- saved plans ---------------------------------------------------------------------------

#[test]
fn a_saved_plan_applies_without_prompting_when_nothing_moved() {
    let sb = Sandbox::fixture("apply/small");
    // Terraform's spelling of the flags is accepted.
    let out = sb.expect(&["plan", "-out=p.json", "-detailed-exitcode"], 2);
    assert!(stderr(&out).contains("p.json"), "{}", stderr(&out));
    assert!(
        !sb.path(".amlplan/mock-cloud.json").exists(),
        "planning created nothing"
    );
    // stdin is not a terminal: a prompt would fail; a plan file needs none.
    let out = sb.expect(&["apply", "p.json"], 0);
    assert!(stderr(&out).contains("Apply complete."), "{}", stderr(&out));
    assert!(!stderr(&out).contains("confirmation"), "{}", stderr(&out));
    sb.assert_converged("after applying the saved plan");
    // Applying it a second time is stale: the state moved.
    let out = sb.expect(&["apply", "p.json"], 1);
    assert!(stderr(&out).contains("E0903"), "{}", stderr(&out));

    // An update, planned and applied from another directory.
    sb.edit("main.hcl", "max_nodes = 2", "max_nodes = 3");
    sb.expect(&["plan", "-out", "../update.json"], 0);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_amlplan"))
        .args(["apply", "update.json"])
        .current_dir(sb.root())
        .env("NO_COLOR", "1")
        .env_remove("AMLPLAN_MOCK_OPTIONS")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    expect_code(&out, 0, "apply of a plan file from another directory");
    sb.assert_converged("after the saved update");
}

#[test]
fn a_saved_plan_is_refused_when_the_manifest_changed() {
    let sb = Sandbox::fixture("apply/small");
    sb.expect(&["plan", "-out", "p.json"], 0);
    sb.edit("main.hcl", "max_nodes = 2", "max_nodes = 3");
    let out = sb.expect(&["apply", "p.json"], 1);
    let err = stderr(&out);
    assert!(err.contains("E0903"), "{err}");
    assert!(err.contains("manifest"), "names what moved: {err}");
    assert!(sb.cloud_ids().is_empty(), "nothing was applied");
    assert!(sb.state_list().is_empty());
    // Variables are inputs too.
    sb.edit("main.hcl", "max_nodes = 3", "max_nodes = var.max");
    sb.write(
        "vars.hcl",
        "variable \"max\" {\n  type    = number\n  default = 2\n}\n",
    );
    sb.expect(&["plan", "-out", "p.json"], 0);
    sb.write(
        "vars.hcl",
        "variable \"max\" {\n  type    = number\n  default = 4\n}\n",
    );
    let out = sb.expect(&["apply", "p.json"], 1);
    assert!(stderr(&out).contains("E0903"), "{}", stderr(&out));
    assert!(sb.cloud_ids().is_empty());
}

#[test]
fn a_saved_plan_is_refused_when_the_state_or_the_cloud_moved() {
    let sb = Sandbox::fixture("apply/small");
    sb.expect(&["apply", "--auto-approve"], 0);

    // The state moved: plan max 3, apply max 4 in between, come back to max 3.
    sb.edit("main.hcl", "max_nodes = 2", "max_nodes = 3");
    sb.expect(&["plan", "-out", "p.json"], 0);
    let serial = sb.state()["serial"].as_u64().unwrap();
    sb.edit("main.hcl", "max_nodes = 3", "max_nodes = 4");
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.edit("main.hcl", "max_nodes = 4", "max_nodes = 3");
    let cloud = sb.cloud()["resources"].clone();
    let out = sb.expect(&["apply", "p.json"], 1);
    let err = stderr(&out);
    assert!(err.contains("E0903"), "{err}");
    assert!(
        err.contains(&format!("serial {serial}")),
        "names the serial it was made for: {err}"
    );
    assert_eq!(sb.cloud()["resources"], cloud, "nothing was applied");

    // The cloud moved (a resource deleted outside amlplan since the plan).
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.edit("main.hcl", "max_nodes = 3", "max_nodes = 2");
    sb.expect(&["plan", "-out", "p.json"], 0);
    delete_from_cloud(&sb, "/computes/cpu");
    let out = sb.expect(&["apply", "p.json"], 1);
    let err = stderr(&out);
    assert!(err.contains("E0903"), "{err}");
    assert!(
        err.contains("compute_cluster.cpu"),
        "names what moved: {err}"
    );

    // Not a plan file.
    sb.write("junk.json", "{\"hello\": 1}");
    let out = sb.expect(&["apply", "junk.json"], 1);
    assert!(stderr(&out).contains("E0907"), "{}", stderr(&out));
}

/// `amlplan plan --var ... -out FILE` prints "apply exactly this plan with: amlplan apply
/// FILE": that command must apply the plan as planned, with the variables it was planned with.
#[test]
fn a_saved_plan_keeps_the_variables_it_was_planned_with() {
    let sb = Sandbox::fixture("apply/small");
    sb.edit("main.hcl", "max_nodes = 2", "max_nodes = var.max");
    sb.write(
        "vars.hcl",
        "variable \"max\" {\n  type    = number\n  default = 2\n}\n",
    );
    let out = sb.expect(&["plan", "--var", "max=3", "-out", "p.json"], 0);
    assert!(
        stderr(&out).contains("amlplan apply p.json"),
        "{}",
        stderr(&out)
    );
    let out = sb.run(&["apply", "p.json"]);
    expect_code(&out, 0, "amlplan apply p.json, as the plan said");
    let cluster = sb.cloud_resource("/computes/cpu").expect("cluster");
    assert_eq!(
        cluster["body"]["properties"]["properties"]["scaleSettings"]["maxNodeCount"],
        3
    );
}

// ---- secrets -------------------------------------------------------------------------------

/// The sensitive values `tests/fixtures/apply/secret` holds.
const PASSWORD: &str = "Sup3rSecretPassw0rd!";
const OWNER: &str = "TopSecretOwnerTag";

/// A sandbox holding `tests/fixtures/apply/secret` (a password and a tag from sensitive
/// variables, sensitive outputs), checked to hold [`PASSWORD`] and [`OWNER`].
fn secret_sandbox() -> Sandbox {
    let sb = Sandbox::fixture("apply/secret");
    let text = sb.read("main.hcl");
    assert!(text.contains(PASSWORD) && text.contains(OWNER), "{text}");
    sb
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [PASSWORD, OWNER] {
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(secret)).collect();
        assert!(
            lines.is_empty(),
            "{what} shows a sensitive value:\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn sensitive_values_stay_out_of_plans_plan_files_and_output() {
    let sb = secret_sandbox();
    for args in [
        vec!["plan"],
        vec!["plan", "--format", "json"],
        vec!["plan", "--format", "markdown"],
        vec!["plan", "-out", "p.json"],
    ] {
        let out = sb.expect(&args, 0);
        assert_no_secret(&args.join(" "), &stdout(&out));
        assert_no_secret(&args.join(" "), &stderr(&out));
    }
    let plan_file = sb.read("p.json");
    assert_no_secret("the plan file", &plan_file);
    assert!(plan_file.contains("(sensitive)"), "redacted, not dropped");

    let out = sb.expect(&["apply", "p.json"], 0);
    assert_no_secret("apply", &stdout(&out));
    assert_no_secret("apply", &stderr(&out));
    assert!(stdout(&out).contains("Outputs:"), "{}", stdout(&out));

    for args in [
        vec!["output"],
        vec!["output", "--format", "json"],
        vec!["plan"],
        vec!["plan", "--format", "json"],
        vec!["state", "list"],
        vec!["state", "show", "compute_cluster.cpu"],
        vec!["state", "show", "workspace.mlw"],
    ] {
        let out = sb.expect(&args, 0);
        assert_no_secret(&args.join(" "), &stdout(&out));
        assert_no_secret(&args.join(" "), &stderr(&out));
    }
    // A change of the secret is a change, shown without its value.
    sb.edit("main.hcl", PASSWORD, "An0therSecretValue!");
    let out = sb.expect(&["plan", "--detailed-exitcode"], 2);
    assert!(
        !stdout(&out).contains("An0therSecretValue!"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("(sensitive)"), "{}", stdout(&out));
}

#[test]
fn sensitive_values_stay_out_of_the_state_directory() {
    let sb = secret_sandbox();
    sb.expect(&["apply", "--auto-approve"], 0);
    // Asked for by name, a sensitive output is shown.
    let out = sb.expect(&["output", "password"], 0);
    assert!(stdout(&out).contains(PASSWORD), "{}", stdout(&out));
    // But no file amlplan keeps (the state, its backup, the lock) holds it; only the mock
    // cloud, which plays Azure, does.
    for entry in std::fs::read_dir(sb.path(".amlplan")).expect(".amlplan") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n == "mock-cloud.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert_no_secret(&path.display().to_string(), &text);
    }
}

// ---- the state lock ------------------------------------------------------------------------

#[test]
fn a_second_apply_fails_while_the_lock_is_held() {
    let sb = Sandbox::fixture("apply/small");
    std::fs::create_dir_all(sb.path(".amlplan")).unwrap();
    let backend = amlplan::state::LocalBackend::new(sb.path(".amlplan/state.json"));
    let lock = backend
        .lock(amlplan::state::LockInfo::new(
            "amlplan apply (held by the test)",
        ))
        .expect("the test takes the lock");
    for args in [["apply", "--auto-approve"].as_slice(), ["plan"].as_slice()] {
        let out = sb.expect(args, 1);
        let err = stderr(&out);
        assert!(err.contains("E0905"), "{err}");
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "names the holder's pid: {err}"
        );
        assert!(
            err.contains("held by the test"),
            "names the holder's command: {err}"
        );
        assert!(err.contains("force-unlock"), "{err}");
    }
    assert!(sb.cloud_ids().is_empty(), "nothing was applied");
    lock.release().expect("release");
    sb.expect(&["apply", "--auto-approve"], 0);
    assert!(
        !sb.path(".amlplan/state.json.lock").exists(),
        "the lock file is removed on release"
    );
}

#[test]
fn a_second_apply_fails_while_another_apply_runs() {
    let sb = Sandbox::fixture("apply/small");
    let first = sb
        .command(
            &["apply", "--auto-approve"],
            Some(r#"{"latency": {"default_ms": 80}}"#),
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = first.id();
    let lock_path = sb.path(".amlplan/state.json.lock");
    let start = Instant::now();
    loop {
        let holder: Option<Value> = std::fs::read_to_string(&lock_path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        if holder.is_some_and(|h| h["pid"] == pid) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the first apply never took the lock"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = sb.expect(&["apply", "--auto-approve"], 1);
    let err = stderr(&out);
    assert!(err.contains("E0905"), "{err}");
    assert!(
        err.contains(&format!("pid {pid}")),
        "names the holder: {err}"
    );
    assert!(err.contains("amlplan apply"), "names the command: {err}");
    let first = first.wait_with_output().expect("wait");
    expect_code(&first, 0, "the first apply");
    sb.assert_converged("after the first apply");
}

// ---- ordering ------------------------------------------------------------------------------

/// The `main.hcl` of `tests/fixtures/apply/endpoint`: an online endpoint with this traffic
/// and these deployments.
fn endpoint_manifest(traffic: &str, deployments: &[&str]) -> String {
    let mut text = format!(
        r#"
online_endpoint "scoring" {{
  workspace = workspace.mlw
  traffic   = {traffic}
}}
"#
    );
    for d in deployments {
        text.push_str(&format!(
            r#"
online_deployment "{d}" {{
  endpoint       = online_endpoint.scoring
  model          = model.m
  environment    = environment.env
  instance_type  = "Standard_DS3_v2"
  instance_count = 1
}}
"#
        ));
    }
    text
}

/// A sandbox holding `tests/fixtures/apply/endpoint` with [`endpoint_manifest`].
fn endpoint_sandbox(traffic: &str, deployments: &[&str]) -> Sandbox {
    let sb = Sandbox::fixture("apply/endpoint");
    sb.write("main.hcl", &endpoint_manifest(traffic, deployments));
    sb
}

/// The line index of the first stderr line starting with `prefix`.
fn line_of(err: &str, prefix: &str) -> usize {
    err.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{err}"))
}

#[test]
fn blue_green_traffic_moves_after_creation_and_before_deletion() {
    let sb = endpoint_sandbox("{ blue = 100 }", &["blue"]);
    // (Terraform's spelling of the flags is accepted.)
    let out = sb.expect(&["apply", "-auto-approve", "-parallelism=2"], 0);
    let err = stderr(&out);
    // The endpoint first (with no traffic), then the deployment, then the traffic.
    assert!(
        line_of(&err, "online_endpoint.scoring: Write complete")
            < line_of(&err, "online_deployment.blue: Writing")
    );
    assert!(
        line_of(&err, "online_deployment.blue: Write complete")
            < line_of(&err, "online_endpoint.scoring.traffic: Writing")
    );
    let endpoint = sb
        .cloud_resource("/onlineEndpoints/scoring")
        .expect("endpoint");
    assert_eq!(
        endpoint["body"]["properties"]["traffic"],
        serde_json::json!({"blue": 100})
    );

    // Shift: add green and give it 90%.
    sb.write(
        "main.hcl",
        &endpoint_manifest("{ blue = 10, green = 90 }", &["blue", "green"]),
    );
    let (_, plan) = sb.plan_json(&[]);
    assert_eq!(
        non_noops(&plan),
        [
            (
                "online_deployment.green".to_string(),
                serde_json::json!(["create"])
            ),
            (
                "online_endpoint.scoring.traffic".to_string(),
                serde_json::json!(["update"])
            ),
        ]
    );
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    let err = stderr(&out);
    assert!(
        line_of(&err, "online_deployment.green: Write complete")
            < line_of(&err, "online_endpoint.scoring.traffic: Writing"),
        "green is created before the traffic names it:\n{err}"
    );
    let endpoint = sb
        .cloud_resource("/onlineEndpoints/scoring")
        .expect("endpoint");
    assert_eq!(
        endpoint["body"]["properties"]["traffic"],
        serde_json::json!({"blue": 10, "green": 90})
    );
    assert!(sb.cloud_resource("/deployments/green").is_some());
    sb.assert_converged("after the shift");

    // The mock cloud refuses to delete a deployment that still takes traffic (so the
    // teardown below can only succeed in the right order).
    {
        let copy = sb.root().join("copy.json");
        std::fs::copy(sb.path(".amlplan/mock-cloud.json"), &copy).unwrap();
        let cloud = amlplan::provider::emulator::MockCloud::open(
            &copy,
            amlplan::provider::emulator::EmulatorOptions::default(),
        )
        .unwrap();
        let blue = sb.cloud_resource("/deployments/blue").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let response = cloud.handle_now(&amlplan::provider::ArmRequest {
            method: amlplan::provider::Method::Delete,
            path: blue,
            api_version: "2025-09-01".into(),
            query: Vec::new(),
            body: None,
        });
        assert!(
            (400..500).contains(&response.status),
            "deleting a deployment with traffic: {response:?}"
        );
    }

    // Teardown of blue: traffic moves off it before it is deleted.
    sb.write(
        "main.hcl",
        &endpoint_manifest("{ green = 100 }", &["green"]),
    );
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    let err = stderr(&out);
    assert!(
        line_of(&err, "online_endpoint.scoring.traffic: Write complete")
            < line_of(&err, "online_deployment.blue: Destroying"),
        "{err}"
    );
    assert!(sb.cloud_resource("/deployments/blue").is_none());
    let endpoint = sb
        .cloud_resource("/onlineEndpoints/scoring")
        .expect("endpoint");
    assert_eq!(
        endpoint["body"]["properties"]["traffic"],
        serde_json::json!({"green": 100})
    );
    sb.assert_converged("after the teardown of blue");

    // And all of it: the traffic is cleared before the last deployment goes.
    sb.write("main.hcl", &endpoint_manifest("{}", &[]));
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    let err = stderr(&out);
    assert!(
        line_of(&err, "online_endpoint.scoring.traffic: ")
            < line_of(&err, "online_deployment.green: Destroying"),
        "{err}"
    );
    sb.assert_converged("after removing every deployment");
}

// ---- replacements -------------------------------------------------------------------------

/// Deleting a workspace deletes what lives in it (computes, assets, endpoints, role
/// assignments scoped to it). Replacing the workspace must therefore show those as replaced
/// too, and one apply must bring everything back.
#[test]
fn replacing_a_workspace_recreates_what_lives_in_it() {
    let sb = Sandbox::fixture("plan/every_kind");
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.edit(
        "main.hcl",
        "high_business_impact  = false",
        "high_business_impact  = true",
    );
    let (_, plan) = sb.plan_json(&[]);
    let workspace = change(&plan, "workspace.mlw");
    assert_eq!(
        workspace["actions"],
        serde_json::json!(["delete", "create"])
    );
    let prefix = format!(
        "{}/",
        workspace["arm"]["id"]
            .as_str()
            .unwrap()
            .to_ascii_lowercase()
    );
    let untouched: Vec<&str> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["arm"]["id"]
                .as_str()
                .is_some_and(|id| id.to_ascii_lowercase().starts_with(&prefix))
                && c["actions"] == serde_json::json!(["no-op"])
        })
        .map(|c| c["address"].as_str().unwrap())
        .collect();

    let out = sb.expect(&["apply", "--auto-approve"], 0);
    let workspace = sb.cloud_resource("/workspaces/mlw").expect("workspace");
    assert_eq!(workspace["body"]["properties"]["hbiWorkspace"], true);
    let after = sb.run(&["plan", "--detailed-exitcode"]);
    assert_eq!(
        after.status.code(),
        Some(0),
        "after replacing the workspace in one apply, a plan still has work:\n{}\n--- apply\n{}",
        stdout(&after),
        stderr(&out)
    );
    sb.assert_no_orphans("after replacing the workspace");
    assert!(
        untouched.is_empty(),
        "the plan replaces the workspace but shows what lives in it as unchanged: {untouched:?}"
    );
}

/// An endpoint's traffic is its own entry (set after the deployments). Updating another
/// attribute of the endpoint must not reset the traffic the endpoint already has.
#[test]
fn updating_an_endpoint_keeps_its_traffic() {
    let sb = endpoint_sandbox("{ blue = 100 }", &["blue"]);
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.edit(
        "main.hcl",
        "  traffic   = { blue = 100 }",
        "  auth_mode = \"aml_token\"\n  traffic   = { blue = 100 }",
    );
    let (_, plan) = sb.plan_json(&[]);
    assert_eq!(
        non_noops(&plan),
        [(
            "online_endpoint.scoring".to_string(),
            serde_json::json!(["update"])
        )]
    );
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    let endpoint = sb
        .cloud_resource("/onlineEndpoints/scoring")
        .expect("endpoint");
    assert_eq!(endpoint["body"]["properties"]["authMode"], "AMLToken");
    assert_eq!(
        endpoint["body"]["properties"]["traffic"],
        serde_json::json!({"blue": 100}),
        "the endpoint update dropped its traffic (an outage until the next apply)\n{}",
        stderr(&out)
    );
    sb.assert_converged("after updating the endpoint");
}

/// The state's record of an entry the cloud already matches (a traffic shift made outside
/// amlplan, or applied by a run killed before it saved the state) must be refreshed by the
/// next apply: otherwise drift is reported forever, and a later teardown orders its deletes
/// from the stale record (deleting a deployment that still takes traffic).
#[test]
fn an_apply_refreshes_records_the_cloud_already_matches() {
    let sb = endpoint_sandbox("{ green = 100 }", &["green"]);
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.write(
        "main.hcl",
        &endpoint_manifest("{ green = 100 }", &["blue", "green"]),
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    // Traffic moved to blue outside amlplan, and the manifest says the same.
    edit_cloud(&sb, "/onlineEndpoints/scoring", |r| {
        r["body"]["properties"]["traffic"] = serde_json::json!({"blue": 100});
    });
    sb.write(
        "main.hcl",
        &endpoint_manifest("{ blue = 100 }", &["blue", "green"]),
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    let plan_after = stdout(&sb.expect(&["plan", "--detailed-exitcode"], 0));

    // Back to green alone: traffic must leave blue before blue is deleted.
    sb.write(
        "main.hcl",
        &endpoint_manifest("{ green = 100 }", &["green"]),
    );
    let out = sb.run(&["apply", "--auto-approve"]);
    expect_code(&out, 0, "teardown of blue after the outside traffic shift");
    sb.assert_converged("after the teardown of blue");
    assert!(
        !plan_after.contains("outside of amlplan"),
        "an apply that found the cloud as the manifest wants left the stale record:\n{plan_after}"
    );
}

// ---- role assignments ----------------------------------------------------------------------

pub(crate) fn role_assignment_ids(sb: &Sandbox) -> Vec<String> {
    sb.cloud_ids()
        .into_iter()
        .filter(|id| id.contains("/providers/microsoft.authorization/roleassignments/"))
        .collect()
}

#[test]
fn role_assignments_are_never_duplicated() {
    let manifest = |label: &str| {
        format!(
            r#"role_assignment "{label}" {{
  role           = "AzureML Data Scientist"
  principal_id   = "f1801edf-8525-4074-ac69-362c527de83b"
  principal_type = "group"
  scope          = workspace.mlw
}}
"#
        )
    };
    let sb = Sandbox::fixture("apply/workspace");
    sb.write("main.hcl", &manifest("scientists"));
    sb.expect(&["apply", "--auto-approve"], 0);
    let ids = role_assignment_ids(&sb);
    assert_eq!(ids.len(), 1, "{ids:?}");
    sb.expect(&["apply", "--auto-approve"], 0);
    assert_eq!(role_assignment_ids(&sb), ids, "a second apply");

    // Forgetting it in the state (as a crash before the state write would) and applying
    // again adopts the same assignment rather than adding one.
    let mut state = sb.state();
    state["resources"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["kind"] != "role_assignment");
    std::fs::write(
        sb.path(".amlplan/state.json"),
        serde_json::to_string_pretty(&state).unwrap(),
    )
    .unwrap();
    sb.expect(&["apply", "--auto-approve"], 0);
    assert_eq!(
        role_assignment_ids(&sb),
        ids,
        "after losing it from the state"
    );
    sb.assert_converged("after adopting the assignment");

    // A new label for the same (scope, principal, role): the same assignment.
    sb.write("main.hcl", &manifest("data-scientists"));
    let out = sb.run(&["apply", "--auto-approve"]);
    expect_code(&out, 0, "apply after renaming the label");
    assert_eq!(
        role_assignment_ids(&sb),
        ids,
        "renaming the label must keep exactly the one assignment, with the same name\n{}",
        stderr(&out)
    );
    assert!(
        sb.state_list()
            .contains(&"role_assignment.data-scientists".to_string())
    );
    assert!(
        !sb.state_list()
            .contains(&"role_assignment.scientists".to_string())
    );
    sb.assert_converged("after renaming the label");
}

fn principal_not_found(times: usize) -> String {
    let entry = r#"["Put", "roleAssignments", 400, "PrincipalNotFound"]"#;
    format!(r#"{{"fail_next": [{}]}}"#, vec![entry; times].join(", "))
}

#[test]
fn a_role_assignment_is_retried_while_its_principal_replicates() {
    let sb = Sandbox::fixture("apply/managed_identity_role");
    let out = sb.run_with(&["apply", "--auto-approve"], Some(&principal_not_found(3)));
    expect_code(&out, 0, "apply with a principal not replicated yet");
    sb.assert_converged("after the retried role assignment");
    let ids = role_assignment_ids(&sb);
    assert_eq!(ids.len(), 1, "{ids:?}");
    let cluster = sb.cloud_resource("/computes/cpu").expect("cluster");
    let assignment = sb
        .cloud_resource(ids[0].rsplit('/').next().unwrap())
        .expect("assignment");
    assert_eq!(
        assignment["body"]["properties"]["principalId"], cluster["body"]["identity"]["principalId"],
        "the assignment is for the cluster's identity"
    );

    // A principal that never appears: a clean failure at the address, then convergence.
    let sb = Sandbox::fixture("apply/managed_identity_role");
    let out = sb.run_with(&["apply", "--auto-approve"], Some(&principal_not_found(20)));
    expect_code(&out, 1, "apply with a principal that never replicates");
    assert!(
        stderr(&out).contains("error[E0906]: role_assignment.cpu-reader: PrincipalNotFound (400)"),
        "{}",
        stderr(&out)
    );
    assert!(role_assignment_ids(&sb).is_empty());
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.assert_converged("after the principal replicated");
    assert_eq!(role_assignment_ids(&sb).len(), 1);
}

/// A create-before-destroy replacement whose DELETE fails keeps the old object, deposed:
/// the next plan deletes it and the next apply does, with no orphan and no "No changes".
#[test]
fn a_failed_delete_of_a_replaced_object_leaves_it_deposed_until_deleted() {
    let sb = Sandbox::fixture("apply/kill");
    sb.expect(&["apply", "--auto-approve"], 0);
    let before = role_assignment_ids(&sb);
    let text = sb.read("main.hcl");
    sb.write(
        "main.hcl",
        &text.replace(
            r#"role         = "Reader""#,
            r#"role         = "Contributor""#,
        ),
    );
    let fail_delete = r#"{"fail_next": [["Delete", "roleAssignments", 400, "BadRequest"]]}"#;
    let out = sb.run_with(&["apply", "--auto-approve"], Some(fail_delete));
    expect_code(&out, 1, "apply whose delete of an old assignment fails");
    let deposed = sb.deposed();
    assert_eq!(deposed.len(), 1, "{deposed:?}");
    assert!(
        deposed[0].starts_with("role_assignment.readers[") && deposed[0].contains(" (deposed "),
        "{deposed:?}"
    );
    assert_eq!(role_assignment_ids(&sb).len(), 4);
    sb.assert_no_orphans("after the failed delete");
    let listed = sb.run(&["state", "list"]);
    assert!(stdout(&listed).contains(&deposed[0]), "{}", stdout(&listed));
    assert!(
        stderr(&listed).contains("1 object(s) marked (deposed TAG)")
            && stderr(&listed).contains("next `amlplan apply` deletes them"),
        "{}",
        stderr(&listed)
    );
    let shown = sb.run(&["state", "show", &deposed[0]]);
    assert!(
        stdout(&shown).contains("roleAssignments"),
        "{}",
        stderr(&shown)
    );
    let (_, plan) = sb.plan_json(&[]);
    let deletes: Vec<&Value> = plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .filter(|c| c["address"] == deposed[0].as_str())
        .collect();
    assert_eq!(deletes.len(), 1, "{plan:#}");
    assert_eq!(
        deletes[0]["actions"],
        serde_json::json!(["delete"]),
        "{plan:#}"
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.assert_converged("after deleting the deposed object");
    assert!(sb.deposed().is_empty());
    let after = role_assignment_ids(&sb);
    assert_eq!(after.len(), 3);
    assert!(after.iter().all(|id| !before.contains(id)), "{after:?}");
}

/// A journal whose last record is torn (a crash mid-append): plan warns (W0103) and plans from
/// the snapshot plus the complete records; the next apply compacts it away.
#[test]
fn a_torn_journal_record_is_ignored_with_w0103() {
    use sha2::{Digest, Sha256};
    let sb = Sandbox::fixture("apply/small");
    sb.expect(&["apply", "--auto-approve"], 0);
    let state_path = sb.path(".amlplan/state.json");
    let journal_path = sb.path(".amlplan/state.json.journal");
    assert!(!journal_path.exists(), "a finished apply leaves no journal");
    let mut journal = b"AMLPJRNL".to_vec();
    journal.extend_from_slice(&1u32.to_le_bytes());
    journal.extend_from_slice(&Sha256::digest(std::fs::read(&state_path).unwrap()));
    // A record announcing 100 bytes of which only 3 reached the disk.
    journal.extend_from_slice(&100u32.to_le_bytes());
    journal.extend_from_slice(&0u32.to_le_bytes());
    journal.extend_from_slice(b"[{\"");
    std::fs::write(&journal_path, &journal).unwrap();
    let out = sb.run(&["plan", "--detailed-exitcode"]);
    expect_code(&out, 0, "plan over a torn journal");
    assert!(
        stderr(&out).contains("W0103") && stderr(&out).contains("11 bytes from offset 44"),
        "{}",
        stderr(&out)
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    assert!(!journal_path.exists());
    let out = sb.run(&["plan", "--detailed-exitcode"]);
    assert!(!stderr(&out).contains("W0103"), "{}", stderr(&out));
}

/// A damaged record with a valid one after it (damage on disk, not a crash): plan and
/// `state list` refuse the state with E0316 naming the recovery; set aside, the journal no
/// longer blocks the next plan.
#[test]
fn a_damaged_middle_journal_record_refuses_the_state_with_e0316() {
    use sha2::{Digest, Sha256};
    let sb = Sandbox::fixture("apply/small");
    sb.expect(&["apply", "--auto-approve"], 0);
    let state_path = sb.path(".amlplan/state.json");
    let journal_path = sb.path(".amlplan/state.json.journal");
    let mut journal = b"AMLPJRNL".to_vec();
    journal.extend_from_slice(&1u32.to_le_bytes());
    journal.extend_from_slice(&Sha256::digest(std::fs::read(&state_path).unwrap()));
    let payload = br#"[{"op":"clear_completed"}]"#;
    for crc in [crc32fast::hash(payload) ^ 1, crc32fast::hash(payload)] {
        journal.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        journal.extend_from_slice(&crc.to_le_bytes());
        journal.extend_from_slice(payload);
    }
    std::fs::write(&journal_path, &journal).unwrap();
    let out = sb.run(&["plan"]);
    expect_code(&out, 1, "plan over a journal damaged in the middle");
    let err = stderr(&out);
    assert!(
        err.contains("E0316") && err.contains("byte 44") && err.contains("from byte 78"),
        "{err}"
    );
    let out = sb.run(&["state", "list"]);
    assert!(stderr(&out).contains("E0316"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&journal_path).unwrap(),
        journal,
        "never rewritten"
    );
    std::fs::rename(&journal_path, sb.path(".amlplan/journal.damaged")).unwrap();
    let out = sb.run(&["plan", "--detailed-exitcode"]);
    expect_code(&out, 0, "plan from the snapshot alone");
}

/// A new block label with the same Azure name is the same resource: it must not be deleted.
#[test]
fn renaming_a_block_label_keeps_the_resource() {
    let sb = Sandbox::fixture("apply/small");
    sb.expect(&["apply", "--auto-approve"], 0);
    let before = sb.cloud_resource("/computes/cpu").expect("cluster");
    sb.edit(
        "main.hcl",
        "compute_cluster \"cpu\" {",
        "compute_cluster \"pool\" {\n  name      = \"cpu\"",
    );
    let (_, plan) = sb.plan_json(&[]);
    let destructive: Vec<_> = non_noops(&plan)
        .into_iter()
        .filter(|(_, a)| a.as_array().unwrap().iter().any(|x| x == "delete"))
        .collect();
    sb.expect(&["apply", "--auto-approve"], 0);
    let after = sb.cloud_resource("/computes/cpu");
    assert_eq!(
        after.as_ref().map(|r| &r["created_ms"]),
        Some(&before["created_ms"]),
        "the cluster was deleted (or re-created) for a label change"
    );
    sb.assert_converged("after renaming the label");
    assert!(destructive.is_empty(), "{destructive:?}");
}

// ---- faults --------------------------------------------------------------------------------

/// Injected ARM error codes a faulty apply may report.
pub(crate) const INJECTED: &[&str] = &[
    "SubscriptionRequestsThrottled",
    "InternalServerError",
    "ResourceOperationFailure",
];

#[test]
fn faulty_applies_complete_or_fail_cleanly_and_a_clean_rerun_converges() {
    let sb = Sandbox::example("fraud-detection");
    let (_, plan) = sb.plan_json(&[]);
    let addresses: Vec<String> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["address"].as_str().unwrap().to_string())
        .collect();
    let mut failed_runs = 0;
    let mut unsettled = Vec::new();
    for seed in 1..=5u64 {
        let _ = std::fs::remove_dir_all(sb.path(".amlplan"));
        let options = format!(
            r#"{{"faults": {{"seed": {seed}, "rate_429": 0.2, "rate_500": 0.1, "rate_lro_failed": 0.1}}}}"#
        );
        let out = sb.run_with(&["apply", "--auto-approve"], Some(&options));
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "seed {seed}: {err}");
        match out.status.code() {
            Some(0) => assert!(err.contains("Apply complete."), "seed {seed}: {err}"),
            Some(1) => {
                failed_runs += 1;
                let errors: Vec<&str> = err
                    .lines()
                    .filter(|l| l.starts_with("error[E0906]: "))
                    .collect();
                assert!(!errors.is_empty(), "seed {seed}: no E0906 line:\n{err}");
                for line in errors {
                    // error[E0906]: ADDRESS: CODE (STATUS): MESSAGE
                    let rest = &line["error[E0906]: ".len()..];
                    let (address, rest) = rest.split_once(": ").expect("address");
                    assert!(
                        addresses.iter().any(|a| a == address),
                        "seed {seed}: {address} is not an address of the plan: {line}"
                    );
                    let code = rest.split(' ').next().unwrap_or_default();
                    assert!(
                        INJECTED.contains(&code),
                        "seed {seed}: unexpected ARM code {code}: {line}"
                    );
                    assert!(rest.contains(" (") && rest.contains("): "), "{line}");
                }
                assert!(err.contains("apply failed: "), "seed {seed}: {err}");
            }
            other => panic!("seed {seed}: exit {other:?}\n{err}"),
        }
        // The state is valid and has no pending journal entry.
        let state = sb.state();
        assert!(
            state["journal"]
                .as_array()
                .is_none_or(|j| j.iter().all(|e| e["status"] != "pending")),
            "seed {seed}: {:#}",
            state["journal"]
        );

        let out = sb.run(&["apply", "--auto-approve"]);
        expect_code(&out, 0, &format!("seed {seed}: the clean re-run"));
        sb.assert_converged(&format!("seed {seed}"));
        // The example's three and the feature store's on its offline store.
        assert_eq!(role_assignment_ids(&sb).len(), 4, "seed {seed}");
        for u in sb.unsettled_resources() {
            unsettled.push(format!("seed {seed}: {u}"));
        }
    }
    assert!(
        failed_runs > 0,
        "the fault plans should break at least one run"
    );
    assert!(
        unsettled.is_empty(),
        "after a clean re-run, resources whose operation failed are still not provisioned \
         (the re-run took them as they were):\n{}",
        unsettled.join("\n")
    );
}

#[test]
fn faulty_destroys_fail_cleanly_and_a_clean_rerun_empties_the_cloud() {
    let sb = Sandbox::example("fraud-detection");
    remove_prevent_destroy(&sb);
    let mut failed_runs = 0;
    for seed in 11..=13u64 {
        let _ = std::fs::remove_dir_all(sb.path(".amlplan"));
        sb.expect(&["apply", "--auto-approve"], 0);
        let options = format!(
            r#"{{"faults": {{"seed": {seed}, "rate_429": 0.2, "rate_500": 0.1, "rate_lro_failed": 0.2}}}}"#
        );
        let out = sb.run_with(&["destroy", "--auto-approve"], Some(&options));
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "seed {seed}: {err}");
        match out.status.code() {
            Some(0) => {}
            Some(1) => {
                failed_runs += 1;
                assert!(err.contains("error[E0906]: "), "seed {seed}: {err}");
                assert!(err.contains("destroy failed: "), "seed {seed}: {err}");
                // What was deleted is gone from the state; what failed is still in it.
                let cloud = sb.cloud_ids();
                for id in sb.state_ids() {
                    assert!(
                        cloud.contains(&id),
                        "seed {seed}: the state keeps deleted {id}"
                    );
                }
            }
            other => panic!("seed {seed}: exit {other:?}\n{err}"),
        }
        sb.expect(&["destroy", "--auto-approve"], 0);
        assert!(
            sb.cloud_ids().is_empty(),
            "seed {seed}: {:#?}",
            sb.cloud_ids()
        );
        assert!(
            sb.state_list().is_empty(),
            "seed {seed}: {:?}",
            sb.state_list()
        );
    }
    assert!(
        failed_runs > 0,
        "the fault plans should break at least one run"
    );
}

// ---- SIGKILL -------------------------------------------------------------------------------

/// The `i`-th delay of a deterministic low-discrepancy sequence in `[min, max)` ms.
fn delay(i: usize, min: u64, max: u64) -> Duration {
    let frac = (i as f64 * 0.618_033_988_75).fract();
    Duration::from_millis(min + (frac * (max - min) as f64) as u64)
}

/// Starts `args` with per-request latency, SIGKILLs it after `wait`, and tells whether it
/// was interrupted before finishing.
fn kill_after(sb: &Sandbox, args: &[&str], latency_ms: u64, wait: Duration) -> bool {
    !kill_after_with(sb, args, latency_ms, None, wait)
        .1
        .contains(" complete.")
}

/// The mock provider's options: `latency_ms` per request and, with `lro_faults`, a seeded
/// schedule in which one long-running operation in seven ends `Failed` (and some requests
/// are throttled or fail), so a kill can land before, during or after a failed operation.
fn mock_options(latency_ms: u64, lro_faults: Option<u64>) -> String {
    match lro_faults {
        None => format!(r#"{{"latency": {{"default_ms": {latency_ms}}}}}"#),
        Some(seed) => format!(
            r#"{{"latency": {{"default_ms": {latency_ms}}}, "faults": {{"seed": {seed}, "rate_429": 0.05, "rate_500": 0.05, "rate_lro_failed": 0.15}}}}"#
        ),
    }
}

/// [`kill_after`], with failed long-running operations injected when `lro_faults` is a seed:
/// whether the process was still running when killed, and its stderr.
fn kill_after_with(
    sb: &Sandbox,
    args: &[&str],
    latency_ms: u64,
    lro_faults: Option<u64>,
    wait: Duration,
) -> (bool, String) {
    let options = mock_options(latency_ms, lro_faults);
    let mut child = sb
        .command(args, Some(&options))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(wait);
    let running = matches!(child.try_wait(), Ok(None));
    let _ = child.kill(); // SIGKILL
    let out = child.wait_with_output().expect("wait");
    (running, stderr(&out))
}

/// After an interrupted apply: apply converges, with no orphan and no duplicate.
fn check_after_kill(sb: &Sandbox, trial: &str, role_assignments: usize) {
    let out = sb.run(&["apply", "--auto-approve"]);
    expect_code(&out, 0, &format!("{trial}: apply after SIGKILL"));
    sb.assert_converged(trial);
    assert_eq!(
        role_assignment_ids(sb).len(),
        role_assignments,
        "{trial}: role assignments"
    );
    assert!(
        sb.unsettled_resources().is_empty(),
        "{trial}: {:?}",
        sb.unsettled_resources()
    );
    let state = sb.state();
    assert!(
        state["journal"]
            .as_array()
            .is_none_or(|j| j.iter().all(|e| e["status"] != "pending")),
        "{trial}: pending journal entries after a clean apply: {:#}",
        state["journal"]
    );
}

/// Fresh applies killed at spread moments (with failed long-running operations injected
/// when `lro_faults`, seeded by the trial), each followed by a converging apply that leaves
/// `role_assignments` role assignments.
fn kill_trials(
    sb: &Sandbox,
    name: &str,
    trials: std::ops::Range<usize>,
    (latency, max_ms): (u64, u64),
    lro_faults: bool,
    role_assignments: usize,
) -> usize {
    let mut interrupted = 0;
    for i in trials {
        let _ = std::fs::remove_dir_all(sb.path(".amlplan"));
        let wait = delay(i, 20, max_ms);
        let faults = lro_faults.then_some(i as u64);
        let (running, err) =
            kill_after_with(sb, &["apply", "--auto-approve"], latency, faults, wait);
        if running && !err.contains(" complete.") {
            interrupted += 1;
        }
        check_after_kill(
            sb,
            &format!("{name} trial {i} (killed after {wait:?})"),
            role_assignments,
        );
    }
    interrupted
}

#[test]
fn sigkill_during_apply_of_the_fraud_example_then_apply_converges() {
    let sb = Sandbox::example("fraud-detection");
    // Its three role assignments and the feature store's on its offline store.
    let interrupted = kill_trials(&sb, "fraud-detection", 0..8, (20, 600), false, 4);
    assert!(
        interrupted >= 4,
        "only {interrupted} of 8 trials were interrupted"
    );
}

#[test]
fn sigkill_during_apply_of_a_small_manifest_then_apply_converges() {
    let sb = Sandbox::fixture("apply/kill");
    let interrupted = kill_trials(&sb, "small", 8..20, (15, 550), false, 3);
    assert!(
        interrupted >= 6,
        "only {interrupted} of 12 trials were interrupted"
    );
}

#[test]
fn sigkill_during_an_update_then_apply_converges() {
    // Killed while shifting traffic to a new deployment and removing the old one.
    let sb = Sandbox::fixture("apply/kill");
    sb.expect(&["apply", "--auto-approve"], 0);
    let before = sb.read("main.hcl");
    let after = before
        .replace("traffic   = { blue = 100 }", "traffic   = { green = 100 }")
        .replace("online_deployment \"blue\"", "online_deployment \"green\"")
        .replace("max_nodes = 2", "max_nodes = 3");
    for i in 0..4 {
        let (from, to) = if i % 2 == 0 {
            (&before, &after)
        } else {
            (&after, &before)
        };
        assert_eq!(&sb.read("main.hcl"), from);
        sb.write("main.hcl", to);
        let wait = delay(i + 20, 20, 300);
        kill_after(&sb, &["apply", "--auto-approve"], 15, wait);
        check_after_kill(&sb, &format!("update trial {i} (killed after {wait:?})"), 3);
    }
}

#[test]
fn sigkill_during_replacements_and_new_asset_versions_then_apply_converges() {
    // Killed while create-before-destroy replacements (role assignments whose role changes)
    // and new model and environment versions are written and the old objects deleted: a
    // kill between the new object's record and the old one's delete must leave the old one
    // deposed, so the next apply deletes it (no orphan, no "No changes").
    let sb = Sandbox::fixture("apply/kill");
    sb.expect(&["apply", "--auto-approve"], 0);
    let (main, serving) = (sb.read("main.hcl"), sb.read("serving.hcl"));
    let versions = |text: &str, from: &str, to: &str| {
        text.replace(
            &format!("version   = \"{from}\""),
            &format!("version   = \"{to}\""),
        )
        .replace(&format!("models/m/{from}/"), &format!("models/m/{to}/"))
    };
    let mut deposed_seen = 0;
    for i in 0..6 {
        let (role, version) = if i % 2 == 0 {
            ("Contributor", i + 2)
        } else {
            ("Reader", i + 2)
        };
        let current = sb.read("serving.hcl");
        let old_version = current
            .split("version   = \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a version")
            .to_string();
        sb.write(
            "main.hcl",
            &main.replace(
                r#"role         = "Reader""#,
                &format!(r#"role         = "{role}""#),
            ),
        );
        sb.write(
            "serving.hcl",
            &versions(&current, &old_version, &version.to_string()),
        );
        let wait = delay(i + 40, 20, 350);
        kill_after(&sb, &["apply", "--auto-approve"], 15, wait);
        deposed_seen += sb.deposed().len();
        check_after_kill(
            &sb,
            &format!("replacement trial {i} (killed after {wait:?})"),
            3,
        );
        assert!(sb.deposed().is_empty(), "trial {i}: {:?}", sb.deposed());
    }
    assert_ne!(serving, sb.read("serving.hcl"));
    // Not asserted > 0 (where a kill lands is timing), but reported when the trials fail.
    eprintln!("deposed objects seen after kills: {deposed_seen}");
}

#[test]
fn sigkill_during_destroy_then_destroy_empties_the_cloud_and_the_state() {
    let sb = Sandbox::fixture("apply/kill");
    for i in 0..4 {
        let _ = std::fs::remove_dir_all(sb.path(".amlplan"));
        sb.expect(&["apply", "--auto-approve"], 0);
        let wait = delay(i + 30, 20, 400);
        kill_after(&sb, &["destroy", "--auto-approve"], 15, wait);
        let trial = format!("destroy trial {i} (killed after {wait:?})");
        let out = sb.run(&["destroy", "--auto-approve"]);
        expect_code(&out, 0, &trial);
        assert!(sb.cloud_ids().is_empty(), "{trial}: {:#?}", sb.cloud_ids());
        assert!(
            sb.state_list().is_empty(),
            "{trial}: the state still lists {:?}",
            sb.state_list()
        );
    }
}

#[test]
fn sigkill_during_applies_with_failed_long_running_operations_then_apply_converges() {
    let sb = Sandbox::fixture("apply/kill");
    let interrupted = kill_trials(&sb, "small with failed LROs", 60..66, (15, 500), true, 3);
    assert!(
        interrupted >= 2,
        "only {interrupted} of 6 trials were interrupted"
    );
}

#[test]
fn sigkill_during_replacements_with_failed_long_running_operations_then_apply_converges() {
    // New model versions and role assignments whose role changes (create before destroy),
    // with some of their operations failing, killed at spread moments.
    let sb = Sandbox::fixture("apply/kill");
    sb.expect(&["apply", "--auto-approve"], 0);
    let main = sb.read("main.hcl");
    let mut killed = 0;
    for i in 0..4usize {
        let role = if i % 2 == 0 { "Contributor" } else { "Reader" };
        let current = sb.read("serving.hcl");
        let old_version = current
            .split("version   = \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a version")
            .to_string();
        let version = (i + 20).to_string();
        sb.write(
            "main.hcl",
            &main.replace(
                r#"role         = "Reader""#,
                &format!(r#"role         = "{role}""#),
            ),
        );
        sb.write(
            "serving.hcl",
            &current
                .replace(
                    &format!("version   = \"{old_version}\""),
                    &format!("version   = \"{version}\""),
                )
                .replace(
                    &format!("models/m/{old_version}/"),
                    &format!("models/m/{version}/"),
                ),
        );
        let wait = delay(i + 70, 20, 350);
        let faults = Some(70 + i as u64);
        let (running, _) = kill_after_with(&sb, &["apply", "--auto-approve"], 15, faults, wait);
        killed += usize::from(running);
        check_after_kill(
            &sb,
            &format!("replacement trial {i} with failed LROs (killed after {wait:?})"),
            3,
        );
        assert!(sb.deposed().is_empty(), "trial {i}: {:?}", sb.deposed());
    }
    assert!(killed > 0, "no trial was killed while it ran");
}

#[test]
fn sigkill_during_destroys_with_failed_long_running_operations_then_destroy_empties_all() {
    let sb = Sandbox::fixture("apply/kill");
    let mut killed = 0;
    for i in 0..4usize {
        let _ = std::fs::remove_dir_all(sb.path(".amlplan"));
        sb.expect(&["apply", "--auto-approve"], 0);
        let wait = delay(i + 80, 20, 400);
        let faults = Some(80 + i as u64);
        let (running, _) = kill_after_with(&sb, &["destroy", "--auto-approve"], 15, faults, wait);
        killed += usize::from(running);
        let trial = format!("destroy trial {i} with failed LROs (killed after {wait:?})");
        let out = sb.run(&["destroy", "--auto-approve"]);
        expect_code(&out, 0, &trial);
        assert!(sb.cloud_ids().is_empty(), "{trial}: {:#?}", sb.cloud_ids());
        assert!(
            sb.state_list().is_empty(),
            "{trial}: the state still lists {:?}",
            sb.state_list()
        );
    }
    assert!(killed > 0, "no trial was killed while it ran");
}

#[test]
fn destroy_forgets_a_resource_already_deleted_outside_amlplan() {
    let sb = Sandbox::fixture("apply/small");
    sb.expect(&["apply", "--auto-approve"], 0);
    delete_from_cloud(&sb, "/computes/cpu");
    let (_, plan) = sb.plan_json(&[]);
    assert_eq!(plan["drift"][0]["deleted"], true, "{plan:#}");
    let out = sb.expect(&["destroy", "--auto-approve"], 0);
    assert!(sb.cloud_ids().is_empty());
    assert!(
        sb.state_list().is_empty(),
        "destroy completed but the state still lists {:?}\n{}",
        sb.state_list(),
        stdout(&out)
    );
    // Same when a resource deleted outside amlplan is also removed from the manifest.
    let sb = Sandbox::fixture("apply/small");
    sb.expect(&["apply", "--auto-approve"], 0);
    delete_from_cloud(&sb, "/computes/cpu");
    let text = sb.read("main.hcl");
    sb.write("main.hcl", &text[..text.find("compute_cluster").unwrap()]);
    sb.expect(&["apply", "--auto-approve"], 0);
    assert!(
        !sb.state_list().contains(&"compute_cluster.cpu".to_string()),
        "{:?}",
        sb.state_list()
    );
    let (_, plan) = sb.plan_json(&["--detailed-exitcode"]);
    assert!(plan["drift"].as_array().unwrap().is_empty(), "{plan:#}");
}

/// A compute instance's size and idle shutdown change through ARM's `resize` and
/// `updateIdleShutdownSetting` actions, never by PUT (which ARM refuses) and never by a
/// replacement that would destroy the user's instance (issue 7, item 4).
#[test]
fn a_compute_instance_is_resized_through_its_action() {
    let sb = Sandbox::example("fraud-detection");
    sb.expect(&["apply", "--auto-approve"], 0);
    let before = sb.cloud_resource("/computes/alice-dev").expect("instance");
    sb.edit(
        "compute.hcl",
        "  vm_size   = \"Standard_DS3_v2\"\n\n  assigned_user",
        "  vm_size   = \"Standard_DS4_v2\"\n\n  assigned_user",
    );
    sb.edit(
        "compute.hcl",
        "idle_shutdown     = \"30m\"",
        "idle_shutdown     = \"1h\"",
    );
    let human = stdout(&sb.expect(&["plan"], 0));
    assert!(
        human.contains(
            "# compute_instance.alice-dev will be updated in-place via action resize, updateIdleShutdownSetting"
        ),
        "{human}"
    );
    let (_, plan) = sb.plan_json(&[]);
    let c = change(&plan, "compute_instance.alice-dev");
    assert_eq!(c["actions"], serde_json::json!(["update"]));
    assert_eq!(
        c["update_actions"],
        serde_json::json!(["resize", "updateIdleShutdownSetting"])
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    let after = sb.cloud_resource("/computes/alice-dev").expect("instance");
    let inner = |r: &Value, f: &str| r["body"]["properties"]["properties"][f].clone();
    assert_eq!(inner(&after, "vmSize"), "Standard_DS4_v2");
    assert_eq!(inner(&after, "idleTimeBeforeShutdown"), "PT1H");
    // The same instance: resized, not re-created.
    assert_eq!(
        before["created_ms"], after["created_ms"],
        "{before:#}\n{after:#}"
    );
    sb.assert_converged("after the resize");
}

/// ARM changes a workspace's outbound rules one at a time (the emulator fails a rule write
/// while another of the same workspace is in progress): apply writes them in sequence, on
/// create and on a later change that updates, adds and removes rules together (issue 7,
/// item 6).
#[test]
fn outbound_rules_of_a_workspace_are_written_one_at_a_time() {
    let rules = |names: &[&str]| {
        names
            .iter()
            .map(|n| {
                format!(
                    "    outbound_rule \"{n}\" {{\n      type        = \"fqdn\"\n      destination = \"{n}.example.com\"\n    }}\n"
                )
            })
            .collect::<String>()
    };
    let manifest = |names: &[&str]| {
        format!(
            "{}\nworkspace \"mlws\" {{\n  managed_network {{\n    isolation_mode = \"allow_only_approved_outbound\"\n{}  }}\n}}\n",
            crate::support::AZURE,
            rules(names)
        )
    };
    let sb = Sandbox::files(&[(
        "main.hcl",
        &manifest(&["rule-a", "rule-b", "rule-c", "rule-d"]),
    )]);
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.assert_converged("after creating four rules");
    sb.write(
        "main.hcl",
        &manifest(&["rule-b", "rule-c", "rule-e", "rule-f"]),
    );
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    assert!(!stdout(&out).contains("Conflict"), "{}", stdout(&out));
    sb.assert_converged("after replacing two rules");
}

/// A purge-protected key vault deleted outside amlplan keeps its name reserved: re-creating
/// it recovers the soft-deleted vault (`createMode: recover`) instead of failing on the
/// taken name, and a workspace's delete query never reaches it (issue 7, item 7).
#[test]
fn a_soft_deleted_key_vault_is_recovered_not_created_again() {
    let sb = Sandbox::example("fraud-detection");
    sb.expect(&["apply", "--auto-approve"], 0);
    let mut cloud = sb.cloud();
    let key = cloud["resources"]
        .as_object()
        .expect("resources")
        .keys()
        .find(|k| k.contains("/providers/microsoft.keyvault/vaults/"))
        .expect("the workspace's key vault")
        .clone();
    let vault = cloud["resources"]
        .as_object_mut()
        .unwrap()
        .remove(&key)
        .unwrap();
    assert_eq!(vault["body"]["properties"]["enablePurgeProtection"], true);
    cloud["soft_deleted"][&key] = vault;
    sb.save_cloud(&cloud);
    let (_, plan) = sb.plan_json(&[]);
    let kv = non_noops(&plan);
    assert_eq!(kv.len(), 1, "{kv:#?}");
    assert_eq!(kv[0].1, serde_json::json!(["create"]));
    // The plans say it is a recovery, not a create (issue 7, item 7).
    let change = plan["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["actions"] == serde_json::json!(["create"]))
        .expect("the vault's change");
    let deleted = change["recover"]["deleted_id"].as_str().unwrap_or_default();
    assert!(
        deleted.contains("/providers/Microsoft.KeyVault/locations/")
            && deleted.contains("/deletedVaults/"),
        "{change:#}"
    );
    let human = stdout(&sb.expect(&["plan", "--detailed-exitcode"], 2));
    assert!(
        human.contains("will be recovered (recovered from soft delete")
            && human.contains("`createMode: recover`"),
        "{human}"
    );
    assert!(!human.contains("will be created"), "{human}");
    let markdown = stdout(&sb.expect(&["plan", "--format", "markdown"], 0));
    assert!(
        markdown.contains("| recover (from soft delete) |"),
        "{markdown}"
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    let cloud = sb.cloud();
    assert!(cloud["resources"].get(&key).is_some(), "recovered");
    assert!(cloud["soft_deleted"].get(&key).is_none());
    sb.assert_converged("after recovering the key vault");
}

/// Moving a workspace to another region would replace its purge-protected key vault at the
/// same name, which Azure keeps reserved after the delete: the plan refuses it (E0716) and
/// apply changes nothing (issue 7, item 7).
#[test]
fn a_purge_protected_key_vault_is_never_deleted_and_created_again() {
    let manifest = |location: &str| {
        format!(
            "{}\nworkspace \"mlws\" {{\n  location = \"{location}\"\n}}\n",
            crate::support::AZURE
        )
    };
    let sb = Sandbox::files(&[("main.hcl", &manifest("eastus"))]);
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.write("main.hcl", &manifest("westeurope"));
    let out = sb.expect(&["plan"], 1);
    assert!(stderr(&out).contains("E0716"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("workspace.mlws.key_vault"),
        "{}",
        stderr(&out)
    );
    let before = sb.cloud();
    let out = sb.expect(&["apply", "--auto-approve"], 1);
    assert!(stderr(&out).contains("E0716"), "{}", stderr(&out));
    assert_eq!(sb.cloud()["resources"], before["resources"]);
    assert!(
        before["soft_deleted"]
            .as_object()
            .is_none_or(|m| m.is_empty())
    );
}
