//! `amlplan plan` end to end, over the mock ARM provider: per-kind updates and
//! replacements, asset versions, drift, `--refresh-only`, lifecycle rules, and snapshots of
//! the human, JSON and markdown plans of every example.
//!
//! Every test works in a temporary copy (the repository is never written). The helpers here
//! ([`Sandbox`] and friends) are shared with `apply.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::{copy_fixture, copy_tree, repo, stderr, stdout};

// ---- shared helpers ------------------------------------------------------------------------

/// A temporary manifest directory (and, for examples, the `modules/` they reference), with
/// its own state and mock cloud under `.amlplan/`.
pub(crate) struct Sandbox {
    _tmp: tempfile::TempDir,
    /// The manifest directory.
    pub dir: PathBuf,
    /// Environment variables every run gets (`AMLPLAN_PROVIDER=azure` and its settings for
    /// runs over HTTP).
    env: Vec<(String, String)>,
}

/// The names of the example directories, sorted.
pub(crate) fn example_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| crate::support::is_manifest_dir(p))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

impl Sandbox {
    /// A copy of `examples/NAME` at `TMP/examples/NAME`, with `modules/` at `TMP/modules`
    /// so that `../../modules/...` sources resolve.
    pub(crate) fn example(name: &str) -> Sandbox {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("examples").join(name);
        copy_tree(&repo().join("examples").join(name), &dir);
        copy_tree(&repo().join("modules"), &tmp.path().join("modules"));
        Sandbox {
            _tmp: tmp,
            dir,
            env: Vec::new(),
        }
    }

    /// A copy of the fixture folder `tests/fixtures/CASE` (`plan/every_kind`).
    pub(crate) fn fixture(case: &str) -> Sandbox {
        let sandbox = Sandbox::files(&[]);
        copy_fixture(case, &sandbox.dir);
        sandbox
    }

    /// A manifest directory holding the given files.
    pub(crate) fn files(files: &[(&str, &str)]) -> Sandbox {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("manifest");
        std::fs::create_dir_all(&dir).expect("create dir");
        let sandbox = Sandbox {
            _tmp: tmp,
            dir,
            env: Vec::new(),
        };
        for (name, text) in files {
            sandbox.write(name, text);
        }
        sandbox
    }

    /// The same sandbox with `vars` set for every run.
    pub(crate) fn with_env(mut self, vars: &[(&str, &str)]) -> Sandbox {
        self.env
            .extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self
    }

    /// The temporary root (the parent of `examples/`, or of the manifest directory).
    pub(crate) fn root(&self) -> &Path {
        self._tmp.path()
    }

    /// The binary, run in the manifest directory without colour, with a fixed width, no
    /// `AMLPLAN_VAR_*` and the given mock-provider options (`AMLPLAN_MOCK_OPTIONS`).
    pub(crate) fn command(&self, args: &[&str], mock_options: Option<&str>) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_amlplan"));
        cmd.args(args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env(amlplan::clock::TODAY_VAR, crate::support::TODAY)
            .env_remove("AMLPLAN_MOCK_OPTIONS")
            .stdin(Stdio::null());
        for (k, _) in std::env::vars_os() {
            let name = k.to_string_lossy();
            if name.starts_with("AMLPLAN_VAR_")
                || ["AMLPLAN_PROVIDER", "AMLPLAN_ARM_ENDPOINT", "AMLPLAN_AUTH"].contains(&&*name)
                || name == "AMLPLAN_AZURE_OPTIONS"
            {
                cmd.env_remove(k);
            }
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        if let Some(options) = mock_options {
            cmd.env("AMLPLAN_MOCK_OPTIONS", options);
        }
        cmd
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, None)
    }

    pub(crate) fn run_with(&self, args: &[&str], mock_options: Option<&str>) -> Output {
        self.command(args, mock_options)
            .output()
            .expect("the amlplan binary runs")
    }

    /// Runs and checks the exit code, showing the output when it differs.
    #[track_caller]
    pub(crate) fn expect(&self, args: &[&str], code: i32) -> Output {
        let out = self.run(args);
        expect_code(&out, code, &format!("amlplan {}", args.join(" ")));
        out
    }

    pub(crate) fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    pub(crate) fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).expect("read file")
    }

    pub(crate) fn write(&self, file: &str, text: &str) {
        let path = self.path(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(path, text).expect("write file");
    }

    /// Replaces the first occurrence of `from` (which must be there) in `file`.
    #[track_caller]
    pub(crate) fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} does not contain {from:?}");
        self.write(file, &text.replacen(from, to, 1));
    }

    /// The mock cloud file.
    pub(crate) fn cloud(&self) -> Value {
        read_json(&self.path(".amlplan/mock-cloud.json"))
    }

    pub(crate) fn save_cloud(&self, cloud: &Value) {
        self.write(
            ".amlplan/mock-cloud.json",
            &serde_json::to_string_pretty(cloud).expect("json"),
        );
    }

    /// The IDs of the resources the mock cloud holds (lower-cased). Service-added outbound
    /// rules are computed on read and soft-deleted workspaces are kept apart, so neither is
    /// in `resources`.
    pub(crate) fn cloud_ids(&self) -> BTreeSet<String> {
        let path = self.path(".amlplan/mock-cloud.json");
        if !path.exists() {
            return BTreeSet::new();
        }
        read_json(&path)["resources"]
            .as_object()
            .expect("resources")
            .values()
            .map(|r| r["id"].as_str().expect("id").to_ascii_lowercase())
            .collect()
    }

    /// The stored body of the cloud resource whose ID ends with `suffix` (case-insensitively).
    pub(crate) fn cloud_resource(&self, suffix: &str) -> Option<Value> {
        let suffix = suffix.to_ascii_lowercase();
        self.cloud()["resources"]
            .as_object()
            .expect("resources")
            .values()
            .find(|r| {
                r["id"]
                    .as_str()
                    .is_some_and(|id| id.to_ascii_lowercase().ends_with(&suffix))
            })
            .cloned()
    }

    pub(crate) fn state(&self) -> Value {
        read_json(&self.path(".amlplan/state.json"))
    }

    /// The ARM IDs the state records (lower-cased), deposed objects included.
    pub(crate) fn state_ids(&self) -> BTreeSet<String> {
        let path = self.path(".amlplan/state.json");
        if !path.exists() {
            return BTreeSet::new();
        }
        let state = read_json(&path);
        state["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .chain(state["deposed"].as_array().into_iter().flatten())
            .map(|r| r["id"].as_str().expect("id").to_ascii_lowercase())
            .collect()
    }

    /// The addresses of the deposed objects the state records.
    pub(crate) fn deposed(&self) -> Vec<String> {
        self.state()["deposed"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| r["address"].as_str().expect("address").to_string())
            .collect()
    }

    /// `amlplan state list`, one address a line.
    #[track_caller]
    pub(crate) fn state_list(&self) -> Vec<String> {
        let out = self.expect(&["state", "list"], 0);
        stdout(&out).lines().map(str::to_string).collect()
    }

    /// `amlplan plan --format json` plus `extra` flags: the output and the parsed plan.
    #[track_caller]
    pub(crate) fn plan_json(&self, extra: &[&str]) -> (Output, Value) {
        let mut args = vec!["plan", "--format", "json"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        let json = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| {
            panic!(
                "plan --format json printed no JSON ({e}):\n{}{}",
                stdout(&out),
                stderr(&out)
            )
        });
        (out, json)
    }

    /// The mock cloud holds exactly what the state knows (no orphan, nothing missing).
    #[track_caller]
    pub(crate) fn assert_no_orphans(&self, context: &str) {
        // Archived asset versions are kept for lineage and no longer managed.
        let archived: BTreeSet<String> = self.cloud()["resources"]
            .as_object()
            .map(|r| {
                r.values()
                    .filter(|v| v["body"]["properties"]["isArchived"] == true)
                    .filter_map(|v| v["id"].as_str().map(str::to_ascii_lowercase))
                    .collect()
            })
            .unwrap_or_default();
        let cloud: BTreeSet<String> = self.cloud_ids().difference(&archived).cloned().collect();
        let state = self.state_ids();
        let orphans: Vec<_> = cloud.difference(&state).collect();
        let missing: Vec<_> = state.difference(&cloud).collect();
        assert!(
            orphans.is_empty() && missing.is_empty(),
            "{context}: the mock cloud and the state disagree\n  in the cloud only (orphans): {orphans:#?}\n  in the state only: {missing:#?}"
        );
    }

    /// Resources of the mock cloud whose provisioning state is not `Succeeded`.
    pub(crate) fn unsettled_resources(&self) -> Vec<String> {
        self.cloud()["resources"]
            .as_object()
            .expect("resources")
            .values()
            .filter_map(|r| {
                let state = r["body"]["properties"]["provisioningState"].as_str()?;
                (state != "Succeeded").then(|| format!("{} is {state}", r["id"]))
            })
            .collect()
    }

    /// `plan --detailed-exitcode` exits 0 with "No changes", and nothing is orphaned.
    #[track_caller]
    pub(crate) fn assert_converged(&self, context: &str) {
        let out = self.run(&["plan", "--detailed-exitcode"]);
        expect_code(&out, 0, &format!("{context}: plan after apply"));
        assert!(
            stdout(&out).contains("No changes"),
            "{context}: {}",
            stdout(&out)
        );
        self.assert_no_orphans(context);
    }
}

pub(crate) fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

#[track_caller]
pub(crate) fn expect_code(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}: expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
        stdout(out),
        stderr(out)
    );
}

/// The change of `address` in a JSON plan.
#[track_caller]
pub(crate) fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no change for {address} in\n{plan:#}"))
}

/// `(address, actions)` of every change that is not a no-op.
pub(crate) fn non_noops(plan: &Value) -> Vec<(String, Value)> {
    plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .filter(|c| c["actions"] != serde_json::json!(["no-op"]))
        .map(|c| {
            (
                c["address"].as_str().unwrap().to_string(),
                c["actions"].clone(),
            )
        })
        .collect()
}

fn error_codes(plan: &Value) -> Vec<String> {
    plan["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A sandbox holding `tests/fixtures/plan/every_kind` (one resource of every kind the plan
/// tests cover; small: no managed network, public workspace), applied (and checked to have
/// converged).
fn applied_every_kind() -> Sandbox {
    let sb = Sandbox::fixture("plan/every_kind");
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.assert_converged("every_kind applied");
    sb
}

/// One row of the per-kind tables: edit `main.hcl` (`from` → `to`), plan, expect
/// `actions` at `address` and `path` among its changed paths (updates) or `attribute` among
/// its replace paths (replacements).
struct Case {
    address: &'static str,
    from: &'static str,
    to: &'static str,
    /// Changed ARM path (updates) or forcing attribute (replacements).
    expect: &'static str,
    /// Other addresses that follow the change by design (implicit resources).
    also: &'static [&'static str],
}

/// Applies each case to a fresh copy of the applied manifest's text, plans, checks, and
/// restores the text. Returns the failures (all cases run).
fn run_cases(sb: &Sandbox, cases: &[Case], replace: bool) -> Vec<String> {
    let original = sb.read("main.hcl");
    let mut failures = Vec::new();
    for case in cases {
        assert!(original.contains(case.from), "bad case: {:?}", case.from);
        sb.write("main.hcl", &original.replacen(case.from, case.to, 1));
        let (out, plan) = sb.plan_json(&[]);
        let label = format!("{} ({:?} -> {:?})", case.address, case.from, case.to);
        if out.status.code() != Some(0) {
            failures.push(format!(
                "{label}: plan exited {:?}: {}",
                out.status.code(),
                stderr(&out)
            ));
            continue;
        }
        let c = change(&plan, case.address);
        let others: Vec<_> = non_noops(&plan)
            .into_iter()
            .filter(|(a, _)| a != case.address && !case.also.contains(&a.as_str()))
            .collect();
        if !others.is_empty() {
            failures.push(format!("{label}: other resources change too: {others:?}"));
        }
        if replace {
            // A replacement with a new ARM ID creates first (both can exist); one at the same
            // ID must delete first.
            let moves_id = c["reason"]
                .as_str()
                .is_some_and(|r| r.contains("changes its ARM ID"));
            let (expected, symbol) = if moves_id {
                (serde_json::json!(["create", "delete"]), "+/-")
            } else {
                (serde_json::json!(["delete", "create"]), "-/+")
            };
            if c["actions"] != expected {
                failures.push(format!(
                    "{label}: actions {} (reason {}), expected {expected}",
                    c["actions"], c["reason"]
                ));
                continue;
            }
            let names: Vec<&str> = c["replace_paths"]
                .as_array()
                .expect("replace_paths")
                .iter()
                .filter_map(|r| r["attribute"].as_str())
                .collect();
            if !names.contains(&case.expect) {
                failures.push(format!(
                    "{label}: replace_paths {} do not name `{}` (reason: {})",
                    c["replace_paths"], case.expect, c["reason"]
                ));
            }
            // The reason names the attribute (or, for asset versions, the lifecycle rule).
            if !c["reason"].as_str().is_some_and(|r| {
                r.contains(&format!("`{}`", case.expect)) || r.contains("`replace_versions`")
            }) {
                failures.push(format!(
                    "{label}: the reason {} does not name `{}`",
                    c["reason"], case.expect
                ));
            }
            let replaced = plan["summary"]["replace"].as_u64().unwrap_or_default();
            if !(1..=1 + case.also.len() as u64).contains(&replaced)
                || plan["summary"]["add"] != 0
                || plan["summary"]["destroy"] != 0
            {
                failures.push(format!("{label}: summary {}", plan["summary"]));
            }
            // The human plan marks it too.
            let human = stdout(&sb.run(&["plan"]));
            if !(human.contains(&format!("{symbol} {}", case.address))
                && human.contains("# forces replacement")
                && human.contains(&format!("{replaced} to replace")))
            {
                failures.push(format!(
                    "{label}: the human plan does not show the replacement:\n{human}"
                ));
            }
        } else {
            if c["actions"] != serde_json::json!(["update"]) {
                failures.push(format!(
                    "{label}: actions {} (reason {}), expected [\"update\"]",
                    c["actions"], c["reason"]
                ));
                continue;
            }
            let paths: Vec<&str> = c["changed_paths"]
                .as_array()
                .expect("changed_paths")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            if !paths.contains(&case.expect) {
                failures.push(format!(
                    "{label}: changed_paths {paths:?} do not include {}",
                    case.expect
                ));
            }
            if c["replace_paths"] != serde_json::json!([]) {
                failures.push(format!("{label}: replace_paths {}", c["replace_paths"]));
            }
            if plan["summary"]["change"] != 1 + case.also.len() {
                failures.push(format!("{label}: summary {}", plan["summary"]));
            }
        }
    }
    sb.write("main.hcl", &original);
    failures
}

// ---- per-kind updates and replacements -----------------------------------------------------

#[test]
fn updatable_attributes_of_every_kind_plan_in_place_updates() {
    let sb = applied_every_kind();
    let cases = [
        Case {
            address: "workspace.mlw",
            from: r#"description           = "first""#,
            to: r#"description           = "second""#,
            expect: "properties.description",
            also: &[],
        },
        Case {
            address: "workspace.mlw",
            from: "public_network_access = true\n  high",
            to: "public_network_access = false\n  high",
            expect: "properties.publicNetworkAccess",
            // The implicit storage account and key vault follow the workspace's access.
            also: &["workspace.mlw.key_vault", "workspace.mlw.storage_account"],
        },
        Case {
            address: "compute_cluster.cpu",
            from: "max_nodes        = 2",
            to: "max_nodes        = 3",
            expect: "properties.properties.scaleSettings.maxNodeCount",
            also: &[],
        },
        Case {
            address: "compute_cluster.cpu",
            from: r#"scale_down_after = "2m""#,
            to: r#"scale_down_after = "10m""#,
            expect: "properties.properties.scaleSettings.nodeIdleTimeBeforeScaleDown",
            also: &[],
        },
        Case {
            address: "compute_instance.dev",
            from: r#"idle_shutdown = "30m""#,
            to: r#"idle_shutdown = "1h""#,
            expect: "properties.properties.idleTimeBeforeShutdown",
            also: &[],
        },
        Case {
            address: "compute_instance.dev",
            from: r#"vm_size       = "Standard_DS3_v2""#,
            to: r#"vm_size       = "Standard_DS12_v2""#,
            expect: "properties.properties.vmSize",
            also: &[],
        },
        Case {
            address: "online_endpoint.scoring",
            from: r#"auth_mode = "key""#,
            to: r#"auth_mode = "aml_token""#,
            expect: "properties.authMode",
            also: &[],
        },
        Case {
            address: "online_deployment.blue",
            from: "instance_count = 1",
            to: "instance_count = 2",
            expect: "sku.capacity",
            also: &[],
        },
        Case {
            address: "private_dns_zone.api",
            from: r#"name = "privatelink.api.azureml.ms""#,
            to: "name = \"privatelink.api.azureml.ms\"\n  tags = { team = \"net\" }",
            expect: "tags",
            also: &[],
        },
        Case {
            address: "private_dns_zone.api.vnet_link.hub",
            from: "registration    = false",
            to: "registration    = true",
            expect: "properties.registrationEnabled",
            also: &[],
        },
        Case {
            address: "private_endpoint.pe",
            from: "dns_zones = [private_dns_zone.api]",
            to: "dns_zones = [private_dns_zone.api]\n  tags      = { team = \"net\" }",
            expect: "tags",
            also: &[],
        },
        Case {
            address: "role_assignment.reader",
            from: r#"role         = "Reader""#,
            to: "role         = \"Reader\"\n  description  = \"read only\"",
            expect: "properties.description",
            also: &[],
        },
        // The mutable metadata of asset versions.
        Case {
            address: "model.m",
            from: r#"path      = "azureml://datastores/workspaceblobstore/paths/models/m/1/""#,
            to: "path      = \"azureml://datastores/workspaceblobstore/paths/models/m/1/\"\n  description = \"champion\"",
            expect: "properties.description",
            also: &[],
        },
    ];
    let failures = run_cases(&sb, &cases, false);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The human plan of an update: `~`, the attribute, before -> after, the summary.
    sb.edit("main.hcl", "max_nodes        = 2", "max_nodes        = 3");
    let human = stdout(&sb.expect(&["plan", "--detailed-exitcode"], 2));
    assert!(human.contains("~ compute_cluster.cpu"), "{human}");
    assert!(human.contains("~ max_nodes = 2 -> 3"), "{human}");
    assert!(
        human.contains("Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy."),
        "{human}"
    );
}

#[test]
fn create_only_attributes_of_every_kind_plan_replacements_naming_them() {
    let sb = applied_every_kind();
    let cases = [
        Case {
            address: "workspace.mlw",
            from: "high_business_impact  = false",
            to: "high_business_impact  = true",
            expect: "high_business_impact",
            // Deleting a workspace deletes what lives in it: those are replaced too, and
            // the endpoint's traffic is set again.
            also: &[
                "compute_cluster.cpu",
                "compute_instance.dev",
                "data_asset.raw",
                "datastore.lake",
                "environment.env",
                "model.m",
                "online_deployment.blue",
                "online_endpoint.scoring",
                "online_endpoint.scoring.traffic",
                "role_assignment.reader",
            ],
        },
        Case {
            address: "compute_cluster.cpu",
            from: "vm_size          = \"Standard_DS3_v2\"",
            to: "vm_size          = \"Standard_NC6s_v3\"",
            expect: "vm_size",
            also: &[],
        },
        Case {
            address: "compute_cluster.cpu",
            from: r#"priority         = "dedicated""#,
            to: r#"priority         = "spot""#,
            expect: "priority",
            also: &[],
        },
        Case {
            address: "compute_instance.dev",
            from: "subnets/compute\"",
            to: "subnets/compute2\"",
            expect: "subnet",
            also: &[],
        },
        Case {
            address: "online_deployment.blue",
            from: r#"instance_type  = "Standard_DS3_v2""#,
            to: r#"instance_type  = "Standard_DS12_v2""#,
            expect: "instance_type",
            also: &[],
        },
        Case {
            address: "private_dns_zone.api.vnet_link.hub",
            from: "virtualNetworks/hub\"\n",
            to: "virtualNetworks/hub2\"\n",
            expect: "virtual_network",
            also: &[],
        },
        Case {
            address: "private_endpoint.pe",
            from: "subnets/pe\"",
            to: "subnets/pe2\"",
            expect: "subnet",
            also: &["private_endpoint.pe.dns_zone_group"],
        },
        // Asset versions whose content changes, with replace_versions.
        Case {
            address: "data_asset.raw",
            from: r#"path      = "azureml://datastores/lake/paths/raw/""#,
            to: "path      = \"azureml://datastores/lake/paths/raw-v2/\"\n  lifecycle {\n    replace_versions = true\n  }",
            expect: "path",
            also: &[],
        },
        Case {
            address: "model.m",
            from: r#"path      = "azureml://datastores/workspaceblobstore/paths/models/m/1/""#,
            to: "path      = \"azureml://datastores/workspaceblobstore/paths/models/m/1b/\"\n  lifecycle {\n    replace_versions = true\n  }",
            expect: "path",
            also: &[],
        },
        Case {
            address: "environment.env",
            from: "ubuntu22.04:20240709.v1\"",
            to: "ubuntu22.04:20240801.v1\"\n  lifecycle {\n    replace_versions = true\n  }",
            expect: "image",
            also: &[],
        },
    ];
    let failures = run_cases(&sb, &cases, true);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Some create-only attributes are part of the ARM ID: a role assignment's name is derived
/// from (scope, principal, role), a DNS zone's name is its DNS name. Changing one moves the
/// ID; the replacement must still name the attribute that forces it.
#[test]
fn replacements_that_move_the_arm_id_name_the_attribute() {
    let sb = applied_every_kind();
    let cases = [
        Case {
            address: "role_assignment.reader",
            from: r#"principal_id = "071c4e32-9cde-4e36-a9a5-fc42c314b53f""#,
            to: r#"principal_id = "171c4e32-9cde-4e36-a9a5-fc42c314b53f""#,
            expect: "principal_id",
            also: &[],
        },
        Case {
            address: "role_assignment.reader",
            from: r#"role         = "Reader""#,
            to: r#"role         = "Contributor""#,
            expect: "role",
            also: &[],
        },
        Case {
            address: "private_dns_zone.api",
            from: r#"name = "privatelink.api.azureml.ms""#,
            to: r#"name = "privatelink.api.azureml.net""#,
            expect: "name",
            also: &[
                "private_dns_zone.api.vnet_link.hub",
                "private_endpoint.pe.dns_zone_group",
            ],
        },
    ];
    let failures = run_cases(&sb, &cases, true);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn asset_content_changes_are_refused_without_replace_versions() {
    let sb = applied_every_kind();
    let original = sb.read("main.hcl");
    for (address, from, to) in [
        (
            "data_asset.raw",
            r#"path      = "azureml://datastores/lake/paths/raw/""#,
            r#"path      = "azureml://datastores/lake/paths/raw-v2/""#,
        ),
        (
            "model.m",
            r#"path      = "azureml://datastores/workspaceblobstore/paths/models/m/1/""#,
            r#"path      = "azureml://datastores/workspaceblobstore/paths/models/m/1b/""#,
        ),
        (
            "environment.env",
            "ubuntu22.04:20240709.v1\"",
            "ubuntu22.04:20240801.v1\"",
        ),
    ] {
        sb.write("main.hcl", &original.replacen(from, to, 1));
        let (out, plan) = sb.plan_json(&["--detailed-exitcode"]);
        expect_code(&out, 1, address);
        assert_eq!(error_codes(&plan), ["E0901"], "{address}: {plan:#}");
        assert!(
            plan["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains(address)),
            "{plan:#}"
        );
        let human = sb.run(&["plan", "--detailed-exitcode"]);
        expect_code(&human, 1, address);
        assert!(stderr(&human).contains("E0901"), "{}", stderr(&human));
        assert!(
            stderr(&human).contains("replace_versions"),
            "{}",
            stderr(&human)
        );
        // apply refuses it too, and changes nothing.
        let before = sb.cloud();
        let apply = sb.run(&["apply", "--auto-approve"]);
        expect_code(&apply, 1, address);
        assert!(stderr(&apply).contains("E0901"), "{}", stderr(&apply));
        assert_eq!(sb.cloud()["resources"], before["resources"], "{address}");
    }
    sb.write("main.hcl", &original);
    // A new version is a create, not an error.
    sb.edit(
        "main.hcl",
        "version   = \"1\"\n  path      = \"azureml://datastores/workspaceblobstore/paths/models/m/1/\"",
        "version   = \"2\"\n  path      = \"azureml://datastores/workspaceblobstore/paths/models/m/2/\"",
    );
    let (out, plan) = sb.plan_json(&[]);
    expect_code(&out, 0, "bumped model version");
    assert!(plan["errors"].as_array().unwrap().is_empty(), "{plan:#}");
    let actions = &change(&plan, "model.m")["actions"];
    assert!(
        actions.as_array().unwrap().iter().any(|a| a == "create"),
        "a new version is created: {plan:#}"
    );
}

// ---- drift ---------------------------------------------------------------------------------

/// Rewrites the stored body of the cloud resource whose ID ends with `suffix`.
pub(crate) fn edit_cloud(sb: &Sandbox, suffix: &str, f: impl FnOnce(&mut Value)) {
    let mut cloud = sb.cloud();
    let suffix = suffix.to_ascii_lowercase();
    let resource = cloud["resources"]
        .as_object_mut()
        .expect("resources")
        .values_mut()
        .find(|r| {
            r["id"]
                .as_str()
                .is_some_and(|id| id.to_ascii_lowercase().ends_with(&suffix))
        })
        .unwrap_or_else(|| panic!("no cloud resource ends with {suffix}"));
    f(resource);
    sb.save_cloud(&cloud);
}

/// Removes the cloud resource whose ID ends with `suffix`.
pub(crate) fn delete_from_cloud(sb: &Sandbox, suffix: &str) {
    let mut cloud = sb.cloud();
    let suffix = suffix.to_ascii_lowercase();
    let resources = cloud["resources"].as_object_mut().expect("resources");
    let key = resources
        .iter()
        .find(|(_, r)| {
            r["id"]
                .as_str()
                .is_some_and(|id| id.to_ascii_lowercase().ends_with(&suffix))
        })
        .map(|(k, _)| k.clone())
        .unwrap_or_else(|| panic!("no cloud resource ends with {suffix}"));
    resources.remove(&key);
    sb.save_cloud(&cloud);
}

#[test]
fn a_change_made_outside_amlplan_is_drift_and_is_planned_back() {
    let sb = applied_every_kind();
    edit_cloud(&sb, "/computes/cpu", |r| {
        r["body"]["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 5.into();
    });

    let out = sb.expect(&["plan", "--detailed-exitcode"], 2);
    let human = stdout(&out);
    assert!(human.contains("changed outside of amlplan"), "{human}");
    assert!(
        human.contains("# compute_cluster.cpu has changed"),
        "{human}"
    );
    assert!(
        human.contains("~ max_nodes = 2 -> 5"),
        "drift shows applied -> actual:\n{human}"
    );
    assert!(
        human.contains("~ max_nodes = 5 -> 2"),
        "the update goes back to the manifest:\n{human}"
    );
    assert!(
        human.contains("Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy."),
        "{human}"
    );

    let (_, plan) = sb.plan_json(&[]);
    let drift = plan["drift"].as_array().expect("drift");
    assert_eq!(drift.len(), 1, "{plan:#}");
    assert_eq!(drift[0]["address"], "compute_cluster.cpu");
    assert_eq!(drift[0]["deleted"], false);
    assert_eq!(
        drift[0]["changes"][0]["path"],
        "properties.properties.scaleSettings.maxNodeCount"
    );
    assert_eq!(drift[0]["changes"][0]["before"], 2);
    assert_eq!(drift[0]["changes"][0]["after"], 5);
    assert_eq!(
        non_noops(&plan),
        [(
            "compute_cluster.cpu".to_string(),
            serde_json::json!(["update"])
        )]
    );

    // --refresh-only: the drift, and no actions.
    let out = sb.expect(&["plan", "--refresh-only", "--detailed-exitcode"], 2);
    let human = stdout(&out);
    assert!(human.contains("changed outside of amlplan"), "{human}");
    assert!(!human.contains("will be updated"), "{human}");
    assert!(!human.contains("Plan:"), "{human}");
    let (_, refresh) = sb.plan_json(&["--refresh-only"]);
    assert_eq!(refresh["refresh_only"], true);
    assert_eq!(
        refresh["resource_changes"],
        serde_json::json!([]),
        "{refresh:#}"
    );
    assert_eq!(refresh["drift"], plan["drift"]);

    // Apply puts it back; then nothing is left.
    sb.expect(&["apply", "--auto-approve"], 0);
    let cluster = sb.cloud_resource("/computes/cpu").expect("cluster");
    assert_eq!(
        cluster["body"]["properties"]["properties"]["scaleSettings"]["maxNodeCount"],
        2
    );
    sb.assert_converged("after putting the drift back");
    sb.expect(&["plan", "--refresh-only", "--detailed-exitcode"], 0);
}

#[test]
fn a_resource_deleted_outside_amlplan_is_drift_and_is_created_again() {
    let sb = applied_every_kind();
    delete_from_cloud(&sb, "/computes/cpu");
    let out = sb.expect(&["plan", "--detailed-exitcode"], 2);
    let human = stdout(&out);
    assert!(human.contains("changed outside of amlplan"), "{human}");
    assert!(
        human.contains("# compute_cluster.cpu has been deleted"),
        "{human}"
    );
    assert!(human.contains("+ compute_cluster.cpu"), "{human}");
    assert!(
        human.contains("Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy."),
        "{human}"
    );
    let (_, plan) = sb.plan_json(&[]);
    assert_eq!(plan["drift"][0]["address"], "compute_cluster.cpu");
    assert_eq!(plan["drift"][0]["deleted"], true);
    assert_eq!(
        non_noops(&plan),
        [(
            "compute_cluster.cpu".to_string(),
            serde_json::json!(["create"])
        )]
    );
    sb.expect(&["plan", "--refresh-only", "--detailed-exitcode"], 2);
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.assert_converged("after re-creating the deleted cluster");
}

// ---- lifecycle -----------------------------------------------------------------------------

#[test]
fn prevent_destroy_blocks_a_replacement_and_ignore_changes_hides_a_change() {
    let sb = applied_every_kind();
    let original = sb.read("main.hcl");

    // prevent_destroy + a create-only change: E0902, exit 1, nothing applied.
    sb.write(
        "main.hcl",
        &original.replacen(
            "vm_size          = \"Standard_DS3_v2\"",
            "vm_size          = \"Standard_NC6s_v3\"\n  lifecycle {\n    prevent_destroy = true\n  }",
            1,
        ),
    );
    let out = sb.expect(&["plan", "--detailed-exitcode"], 1);
    assert!(stderr(&out).contains("E0902"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("compute_cluster.cpu"),
        "{}",
        stderr(&out)
    );
    let (out, plan) = sb.plan_json(&[]);
    expect_code(&out, 1, "plan --format json with a blocked replacement");
    assert_eq!(error_codes(&plan), ["E0902"], "{plan:#}");
    let before = sb.cloud();
    let out = sb.expect(&["apply", "--auto-approve"], 1);
    assert!(stderr(&out).contains("E0902"), "{}", stderr(&out));
    assert_eq!(sb.cloud()["resources"], before["resources"]);
    let out = sb.run(&["plan", "-out", "blocked.json"]);
    expect_code(&out, 1, "plan -out of a blocked plan");
    assert!(
        !sb.path("blocked.json").exists(),
        "a plan that cannot be applied is not saved"
    );

    // prevent_destroy with an in-place update is fine.
    sb.write(
        "main.hcl",
        &original.replacen(
            "max_nodes        = 2",
            "max_nodes        = 3\n  lifecycle {\n    prevent_destroy = true\n  }",
            1,
        ),
    );
    sb.expect(&["plan", "--detailed-exitcode"], 2);

    // ignore_changes hides a change of the manifest...
    sb.write(
        "main.hcl",
        &original.replacen(
            "max_nodes        = 2",
            "max_nodes        = 4\n  lifecycle {\n    ignore_changes = [max_nodes]\n  }",
            1,
        ),
    );
    let out = sb.expect(&["plan", "--detailed-exitcode"], 0);
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
    // ...and one made outside amlplan, but not the other attributes.
    edit_cloud(&sb, "/computes/cpu", |r| {
        r["body"]["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 7.into();
    });
    let (_, plan) = sb.plan_json(&["--detailed-exitcode"]);
    assert!(non_noops(&plan).is_empty(), "{plan:#}");
    sb.edit(
        "main.hcl",
        r#"scale_down_after = "2m""#,
        r#"scale_down_after = "5m""#,
    );
    let (_, plan) = sb.plan_json(&[]);
    let c = change(&plan, "compute_cluster.cpu");
    assert_eq!(c["actions"], serde_json::json!(["update"]), "{plan:#}");
    assert_eq!(
        c["changed_paths"],
        serde_json::json!(["properties.properties.scaleSettings.nodeIdleTimeBeforeScaleDown"]),
        "{plan:#}"
    );
}

// ---- snapshots -----------------------------------------------------------------------------

#[test]
fn plans_of_every_example_match_their_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("snapshots/plan"));
    settings.set_prepend_module_to_snapshot(false);
    for name in example_names() {
        // Two sandboxes: the plans must not depend on where the manifest is, nor on the run.
        let a = Sandbox::example(&name);
        let b = Sandbox::example(&name);
        for (format, args) in [
            ("human", vec!["plan"]),
            ("json", vec!["plan", "--format", "json"]),
            ("markdown", vec!["plan", "--format", "markdown"]),
        ] {
            let out_a = a.run(&args);
            let out_b = b.run(&args);
            expect_code(&out_a, 0, &format!("{name} {format}"));
            let text = stdout(&out_a);
            assert_eq!(
                text,
                stdout(&out_b),
                "{name} {format}: plans differ between runs"
            );
            for sb in [&a, &b] {
                let root = sb.root().to_string_lossy().into_owned();
                assert!(
                    !text.contains(&root),
                    "{name} {format}: the plan shows the temporary path {root}"
                );
            }
            assert!(
                !text.contains("/tmp/"),
                "{name} {format}: an absolute path leaks"
            );
            if format == "json" {
                let plan: Value = serde_json::from_str(&text).expect("json");
                assert_eq!(plan["format_version"], "1.2");
                assert!(plan["summary"]["add"].as_u64().unwrap() > 0);
                for c in plan["resource_changes"].as_array().unwrap() {
                    assert_eq!(c["actions"], serde_json::json!(["create"]), "{c:#}");
                    assert!(c["arm"]["id"].as_str().is_some(), "{c:#}");
                    assert!(c["arm"]["api_version"].as_str().is_some(), "{c:#}");
                }
            }
            settings.bind(|| {
                insta::assert_snapshot!(format!("{name}-{format}"), text);
            });
        }
        // Planning wrote nothing but the lock it released.
        assert!(
            !a.path(".amlplan/mock-cloud.json").exists(),
            "{name}: plan must not create the mock cloud"
        );
        assert!(
            !a.path(".amlplan/state.json").exists(),
            "{name}: plan must not write the state"
        );
    }
}

#[test]
fn a_plan_without_changes_is_quiet() {
    let sb = applied_every_kind();
    let out = sb.expect(&["plan"], 0);
    assert_eq!(
        stdout(&out).trim(),
        "No changes. Your infrastructure matches the manifest.",
        "no noise"
    );
    assert_eq!(stderr(&out), "", "no noise on stderr");
    let (out, plan) = sb.plan_json(&["--detailed-exitcode"]);
    expect_code(&out, 0, "plan --format json --detailed-exitcode");
    assert_eq!(
        plan["summary"],
        serde_json::json!({"add": 0, "change": 0, "replace": 0, "destroy": 0, "archive": 0})
    );
    assert!(plan["drift"].as_array().unwrap().is_empty());
    let md = stdout(&sb.expect(&["plan", "--format", "markdown"], 0));
    assert!(md.contains("No changes"), "{md}");
}
