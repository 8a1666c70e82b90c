//! Plans name what changed the way the manifest writes it: the human plan by manifest
//! attribute (nested blocks, repeated block instances by label, map keys), values in the
//! manifest's form, `# forces replacement` on the attribute that forces it, the ARM path only
//! where nothing in the manifest maps to it; the JSON plan keeps the ARM paths and adds each
//! change's `manifest_path` and where the manifest sets it (inside a module's file for a
//! module's resource).

use serde_json::Value;

use crate::plan::{Sandbox, change, edit_cloud};
use crate::support::{stderr, stdout};

/// The 1-based line and column of the first `needle` after the first `after` in `text`.
fn line_col(text: &str, after: &str, needle: &str) -> (u64, u64) {
    let start = text.find(after).unwrap_or_else(|| panic!("no {after:?}"));
    let at = start
        + text[start..]
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} after {after:?}"));
    let line = text[..at].matches('\n').count() as u64 + 1;
    let column = (at - text[..at].rfind('\n').map_or(0, |n| n + 1)) as u64 + 1;
    (line, column)
}

/// The entry of `changes` of a resource change or drift at ARM path `path`.
fn leaf<'a>(changes: &'a Value, path: &str) -> &'a Value {
    changes
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["path"] == path)
        .unwrap_or_else(|| panic!("no change at {path}: {changes:#}"))
}

#[track_caller]
fn assert_located(leaf: &Value, manifest_path: &str, file: &str, (line, column): (u64, u64)) {
    assert_eq!(leaf["manifest_path"], manifest_path, "{leaf:#}");
    assert_eq!(leaf["location"]["file"], file, "{leaf:#}");
    assert_eq!(leaf["location"]["line"], line, "{leaf:#}");
    assert_eq!(leaf["location"]["column"], column, "{leaf:#}");
}

#[test]
fn the_json_plan_locates_each_change_where_the_manifest_sets_it() {
    let sb = Sandbox::example("fraud-detection");
    let (out, plan) = sb.plan_json(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(plan["format_version"], "1.2");
    let compute = sb.read("compute.hcl");
    let cluster = change(&plan, "compute_cluster.gpu-train");

    // An attribute written in the block: its own line and column.
    assert_located(
        leaf(
            &cluster["changes"],
            "properties.properties.scaleSettings.maxNodeCount",
        ),
        "max_nodes",
        "compute.hcl",
        line_col(&compute, "compute_cluster \"gpu-train\"", "max_nodes"),
    );
    // A defaulted attribute (`os_type` is not written): the block.
    assert_located(
        leaf(&cluster["changes"], "properties.properties.osType"),
        "os_type",
        "compute.hcl",
        line_col(&compute, "", "compute_cluster \"gpu-train\""),
    );
    // A nested block's attribute written on one line with its block.
    assert_located(
        leaf(&cluster["changes"], "identity.type"),
        "identity.type",
        "compute.hcl",
        line_col(&compute, "compute_cluster \"gpu-train\"", "type = "),
    );
    // What amlplan sets itself maps to nothing.
    let constant = leaf(&cluster["changes"], "properties.computeType");
    assert_eq!(constant["manifest_path"], Value::Null, "{constant:#}");
    assert_eq!(constant["location"], Value::Null, "{constant:#}");
    // The ARM path and value stay as they were.
    assert_eq!(constant["after"], "AmlCompute");

    // The array of a compute instance's schedules is the `schedule` blocks; the label of a
    // child entry's block is part of its attributes' paths.
    let instance = change(&plan, "compute_instance.alice-dev");
    assert_located(
        leaf(
            &instance["changes"],
            "properties.properties.schedules.computeStartStop",
        ),
        "schedule",
        "compute.hcl",
        line_col(&compute, "", "schedule \"nightly-stop\""),
    );
    let main = sb.read("main.hcl");
    let rule = change(&plan, "workspace.fraud.outbound_rule.pypi");
    assert_located(
        leaf(&rule["changes"], "properties.destination"),
        "managed_network.outbound_rule[\"pypi\"].destination",
        "main.hcl",
        line_col(&main, "outbound_rule \"pypi\"", "destination"),
    );
}

#[test]
fn a_module_resource_is_located_in_the_module_file() {
    let sb = Sandbox::example("platform-modules");
    let (out, plan) = sb.plan_json(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let module = std::fs::read_to_string(sb.root().join("modules/gpu-spot-cluster/main.hcl"))
        .expect("module file");
    let cluster = change(&plan, "module.gpu.compute_cluster.this");
    assert_located(
        leaf(
            &cluster["changes"],
            "properties.properties.scaleSettings.maxNodeCount",
        ),
        "max_nodes",
        "../../modules/gpu-spot-cluster/main.hcl",
        line_col(&module, "compute_cluster \"this\"", "max_nodes"),
    );
}

/// Whether the human plan has the attribute line `SYMBOL NAME = REST` (however the `=` of its
/// block is aligned; values as ARM may re-case them, a VM size).
fn has_line(human: &str, symbol: &str, name: &str, rest: &str) -> bool {
    human.lines().any(|line| {
        line.split_once(" = ").is_some_and(|(lhs, rhs)| {
            lhs.trim() == format!("{symbol} {name}") && rhs.eq_ignore_ascii_case(rest)
        })
    })
}

/// One edit of the applied fraud example: the human plan has the `header` and every
/// attribute line of `lines` (symbol, name, what follows the `=`), and the JSON plan's change
/// at `address` names `arm_path` as `manifest_path`.
struct Edit {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    address: &'static str,
    header: &'static str,
    lines: &'static [(&'static str, &'static str, &'static str)],
    arm_path: &'static str,
    manifest_path: &'static str,
}

#[test]
fn changes_of_an_applied_manifest_are_named_after_the_manifest() {
    let sb = Sandbox::example("fraud-detection");
    sb.expect(&["apply", "--auto-approve"], 0);
    let edits = [
        // An attribute of a nested block.
        Edit {
            file: "serving.hcl",
            from: "max_instances      = 4",
            to: "max_instances      = 6",
            address: "online_deployment.blue.autoscale_setting",
            header: "  # online_deployment.blue.autoscale_setting will be updated in-place\n",
            lines: &[("~", "scale.max_instances", "4 -> 6")],
            arm_path: "properties.profiles.0.capacity.maximum",
            manifest_path: "scale.max_instances",
        },
        // An attribute of one labelled block of several, a child entry of its own.
        Edit {
            file: "main.hcl",
            from: "destination = \"pypi.org\"",
            to: "destination = \"upload.pypi.org\"",
            address: "workspace.fraud.outbound_rule.pypi",
            header: "  # workspace.fraud.outbound_rule.pypi will be updated in-place\n",
            lines: &[(
                "~",
                "managed_network.outbound_rule[\"pypi\"].destination",
                "\"pypi.org\" -> \"upload.pypi.org\"",
            )],
            arm_path: "properties.destination",
            manifest_path: "managed_network.outbound_rule[\"pypi\"].destination",
        },
        // An attribute of a labelled block the hook lowers into a map keyed by its label, in
        // place (nothing in a data collector is create-only).
        Edit {
            file: "serving.hcl",
            from: "collection \"model_outputs\" {}",
            to: "collection \"model_outputs\" {\n      sampling_rate = 0.5\n    }",
            address: "online_deployment.blue",
            header: "  # online_deployment.blue will be updated in-place\n",
            lines: &[(
                "+",
                "data_collector.collection[\"model_outputs\"].sampling_rate",
                "0.5",
            )],
            arm_path: "properties.dataCollector.collections.model_outputs.samplingRate",
            manifest_path: "data_collector.collection[\"model_outputs\"].sampling_rate",
        },
        // A bool sent as `Enabled`/`Disabled` reads as the bool.
        Edit {
            file: "serving.hcl",
            from: "public_network_access = false",
            to: "public_network_access = true",
            address: "online_endpoint.fraud",
            header: "  # online_endpoint.fraud will be updated in-place\n",
            lines: &[("~", "public_network_access", "false -> true")],
            arm_path: "properties.publicNetworkAccess",
            manifest_path: "public_network_access",
        },
        // A create-only attribute: the replacement names it, and so does its line.
        Edit {
            file: "compute.hcl",
            from: "vm_size           = \"Standard_NC6s_v3\"",
            to: "vm_size           = \"Standard_NC12s_v3\"",
            address: "compute_cluster.gpu-train",
            header: "  # compute_cluster.gpu-train must be replaced (`vm_size` cannot be changed in place)\n",
            lines: &[(
                "~",
                "vm_size",
                "\"Standard_NC6s_v3\" -> \"Standard_NC12s_v3\" # forces replacement",
            )],
            arm_path: "properties.properties.vmSize",
            manifest_path: "vm_size",
        },
        // A repeated block's attribute, by the instance's label (create-only: a replacement).
        Edit {
            file: "compute.hcl",
            from: "time_zone = \"UTC\"",
            to: "time_zone = \"W. Europe Standard Time\"",
            address: "compute_instance.alice-dev",
            header: "  # compute_instance.alice-dev must be replaced (`schedule` cannot be changed in place)\n",
            lines: &[(
                "~",
                "schedule[\"nightly-stop\"].time_zone",
                "\"UTC\" -> \"W. Europe Standard Time\" # forces replacement",
            )],
            arm_path: "properties.properties.schedules.computeStartStop.0.cron.timeZone",
            manifest_path: "schedule[\"nightly-stop\"].time_zone",
        },
        // A new block instance: the array changes as a whole, and the human plan shows the
        // new instance's attributes by its label (the unchanged one not at all).
        Edit {
            file: "compute.hcl",
            from: "  usage { running_hours_per_month = 160 }",
            to: "  schedule \"morning-start\" {\n    action  = \"start\"\n    cron    = \"0 7 * * 1-5\"\n    enabled = false\n  }\n\n  usage { running_hours_per_month = 160 }",
            address: "compute_instance.alice-dev",
            header: "  # compute_instance.alice-dev must be replaced (`schedule` cannot be changed in place)\n",
            lines: &[
                (
                    "+",
                    "schedule[\"morning-start\"].action",
                    "\"start\" # forces replacement",
                ),
                (
                    "+",
                    "schedule[\"morning-start\"].enabled",
                    "false # forces replacement",
                ),
                (
                    "+",
                    "schedule[\"morning-start\"].time_zone",
                    "\"UTC\" # forces replacement",
                ),
            ],
            arm_path: "properties.properties.schedules.computeStartStop",
            manifest_path: "schedule",
        },
    ];
    for edit in &edits {
        let original = sb.read(edit.file);
        sb.edit(edit.file, edit.from, edit.to);
        let human = stdout(&sb.expect(&["plan"], 0));
        assert!(human.contains(edit.header), "{}:\n{human}", edit.address);
        for (symbol, name, rest) in edit.lines {
            assert!(
                has_line(&human, symbol, name, rest),
                "{}: no line {symbol} {name} = {rest} in\n{human}",
                edit.address
            );
        }
        if edit.manifest_path == "schedule" {
            assert!(!human.contains("nightly-stop"), "{human}");
        }
        let (_, plan) = sb.plan_json(&[]);
        let c = change(&plan, edit.address);
        let l = leaf(&c["changes"], edit.arm_path);
        assert_eq!(l["manifest_path"], edit.manifest_path, "{l:#}");
        assert_eq!(l["location"]["file"], edit.file, "{l:#}");
        if edit.manifest_path == "public_network_access" {
            // The JSON plan keeps ARM's values.
            assert_eq!(l["before"], "Disabled", "{l:#}");
            assert_eq!(l["after"], "Enabled", "{l:#}");
        }
        sb.write(edit.file, &original);
    }

    // Drift on a property no manifest attribute maps to (one amlplan sets itself) keeps its
    // ARM path; drift on an attribute is named after it.
    edit_cloud(&sb, "/workspaces/fraud", |r| {
        r["body"]["sku"]["name"] = "Standard".into();
    });
    edit_cloud(&sb, "/computes/gpu-train", |r| {
        r["body"]["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 8.into();
    });
    let human = stdout(&sb.expect(&["plan"], 0));
    assert!(
        has_line(&human, "~", "sku.name", "\"Basic\" -> \"Standard\""),
        "{human}"
    );
    assert!(has_line(&human, "~", "max_nodes", "4 -> 8"), "{human}");
    let (_, plan) = sb.plan_json(&["--refresh-only"]);
    let drift = plan["drift"].as_array().expect("drift");
    let of = |address: &str| {
        drift
            .iter()
            .find(|d| d["address"] == address)
            .unwrap_or_else(|| panic!("no drift of {address}: {plan:#}"))
    };
    let sku = leaf(&of("workspace.fraud")["changes"], "sku.name");
    assert_eq!(sku["manifest_path"], Value::Null, "{sku:#}");
    assert_eq!(sku["location"], Value::Null, "{sku:#}");
    let max = leaf(
        &of("compute_cluster.gpu-train")["changes"],
        "properties.properties.scaleSettings.maxNodeCount",
    );
    assert_eq!(max["manifest_path"], "max_nodes", "{max:#}");
    assert_eq!(max["before"], 4, "{max:#}");
    assert_eq!(max["after"], 8, "{max:#}");
}
