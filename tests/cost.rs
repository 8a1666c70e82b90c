//! The cost forecast end to end: `amlplan cost` on the seed's worked example and on small
//! manifests that each exercise one rule of a kind's cost model, price files and budgets.

use serde_json::Value;

use crate::support::{AZURE, amlplan, copy_fixture, manifest, repo, stderr, stdout};

fn cost_json(dir: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["cost", "--format", "json"];
    args.extend_from_slice(extra);
    let out = amlplan(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("cost JSON")
}

fn resource<'a>(forecast: &'a Value, address: &str) -> &'a Value {
    forecast["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["address"] == address))
        .unwrap_or_else(|| panic!("no {address} in {forecast:#}"))
}

fn line<'a>(forecast: &'a Value, address: &str, meter_starts: &str) -> &'a Value {
    resource(forecast, address)["lines"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|l| l["meter"].as_str().unwrap_or("").starts_with(meter_starts))
        })
        .unwrap_or_else(|| panic!("no {meter_starts} line on {address}: {forecast:#}"))
}

fn meters(forecast: &Value, address: &str) -> Vec<String> {
    resource(forecast, address)["lines"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|l| l["meter"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn one(files: &str) -> tempfile::TempDir {
    manifest(&[("main.hcl", &format!("{AZURE}\n{files}"))])
}

const WORKSPACE: &str = "workspace \"mlw\" {\n  public_network_access = true\n}\n";

#[test]
fn the_seed_example_is_reproduced_to_the_cent() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture("cost/seed-example", dir.path());
    let f = cost_json(dir.path(), &[]);
    let expected =
        |address: &str, meter: &str| line(&f, address, meter)["monthly"]["expected"].clone();
    assert_eq!(expected("compute_cluster.train", "Standard_NC6s_v3"), 3.60);
    assert_eq!(
        expected("compute_cluster.evaluate", "Standard_NC6s_v3"),
        0.45
    );
    assert_eq!(
        expected("online_deployment.scoring", "Standard_DS3_v2"),
        146.0
    );
    assert_eq!(expected("workspace.fraud", "Blob storage"), 0.90);
    assert_eq!(f["total"]["expected"], 150.95);
    assert_eq!(
        line(&f, "compute_cluster.train", "Standard")["unit_price"],
        0.90
    );
    assert_eq!(
        line(&f, "compute_cluster.train", "Standard")["variable"],
        true
    );
    assert_eq!(
        line(&f, "online_deployment.scoring", "Standard")["confidence"],
        "override"
    );
    assert_eq!(resource(&f, "model.fraud")["lines"], serde_json::json!([]));
    assert!(resource(&f, "model.fraud")["note"].as_str().is_some());
}

#[test]
fn the_firewall_is_billed_exactly_when_fqdn_rules_exist_at_its_sku_price() {
    let network = |sku: &str, rule: &str| {
        one(&format!(
            "workspace \"mlw\" {{\n  managed_network {{\n    isolation_mode = \"allow_only_approved_outbound\"\n{sku}\n{rule}\n  }}\n}}\n"
        ))
    };
    let fqdn = "    outbound_rule \"pypi\" {\n      type        = \"fqdn\"\n      destination = \"pypi.org\"\n    }";
    let tag = "    outbound_rule \"aad\" {\n      type        = \"service_tag\"\n      service_tag = \"AzureActiveDirectory\"\n      protocol    = \"tcp\"\n      ports       = \"443\"\n    }";
    let standard = cost_json(network("", fqdn).path(), &[]);
    let hours = line(
        &standard,
        "workspace.mlw",
        "Azure Firewall Standard, deployment",
    );
    assert_eq!(hours["unit_price"], 1.25);
    assert_eq!(hours["monthly"]["expected"], 912.5);
    let basic = cost_json(network("    firewall_sku = \"basic\"", fqdn).path(), &[]);
    let hours = line(&basic, "workspace.mlw", "Azure Firewall Basic, deployment");
    assert_eq!(hours["monthly"]["expected"], 288.35);
    let none = cost_json(network("", tag).path(), &[]);
    assert!(
        !meters(&none, "workspace.mlw")
            .iter()
            .any(|m| m.contains("Firewall")),
        "{none:#}"
    );
}

#[test]
fn spot_clusters_use_the_spot_price_and_are_variable_up_to_pay_as_you_go() {
    let cluster = |priority: &str| {
        one(&format!(
            "{WORKSPACE}compute_cluster \"gpu\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_NC6s_v3\"\n  priority  = \"{priority}\"\n  min_nodes = 1\n  max_nodes = 2\n}}\n"
        ))
    };
    let dedicated = cost_json(cluster("dedicated").path(), &[]);
    let d = line(&dedicated, "compute_cluster.gpu", "Standard_NC6s_v3");
    assert_eq!(d["monthly"]["expected"], 2233.8);
    assert_eq!(d["monthly"]["high"], 4467.6);
    assert_eq!(d["variable"], false);
    let spot = cost_json(cluster("spot").path(), &[]);
    let s = line(&spot, "compute_cluster.gpu", "Standard_NC6s_v3");
    assert_eq!(s["unit_price"], 0.92);
    assert_eq!(s["monthly"]["expected"], 671.6);
    assert_eq!(s["monthly"]["high"], 4467.6);
    assert_eq!(s["variable"], true);
    // A dedicated cluster whose size has a spot price, kept running: advice on both.
    let advice = dedicated["advice"].as_array().expect("advice");
    assert_eq!(advice.len(), 2, "{advice:#?}");
}

#[test]
fn autoscaled_deployments_range_from_min_to_max_instances() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture("kinds/online_deployment", dir.path());
    let f = cost_json(dir.path(), &[]);
    let monthly = &line(&f, "online_deployment.this", "Standard_DS3_v2")["monthly"];
    // From min_instances (1) to max_instances (4), instance_count (1) expected.
    assert_eq!(monthly["low"], 213.89);
    assert_eq!(monthly["expected"], 213.89);
    assert_eq!(monthly["high"], 855.56);
}

#[test]
fn idle_shutdown_and_schedules_lower_an_instance_cost() {
    let instance = |extra: &str| {
        let dir = one(&format!(
            "{WORKSPACE}compute_instance \"dev\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4s_v3\"\n{extra}\n}}\n"
        ));
        let f = cost_json(dir.path(), &[]);
        line(&f, "compute_instance.dev", "Standard_D4s_v3")["monthly"]["expected"]
            .as_f64()
            .expect("amount")
    };
    let always = instance("");
    assert_eq!(always, 140.16);
    let idle = instance("  idle_shutdown = \"30m\"");
    assert_eq!(idle, 35.9);
    let scheduled = instance(
        "  schedule \"on\" {\n    action = \"start\"\n    cron   = \"0 8 * * 1-5\"\n  }\n  schedule \"off\" {\n    action = \"stop\"\n    cron   = \"0 18 * * 1-5\"\n  }",
    );
    assert_eq!(scheduled, 41.71);
    assert!(idle < always && scheduled < always);
}

#[test]
fn price_files_override_by_precedence_cli_over_manifest_region_over_region_free() {
    let body = format!(
        "prices {{\n  file = \"prices.toml\"\n}}\n{WORKSPACE}compute_instance \"dev\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4s_v3\"\n}}\n"
    );
    let price = |manifest_file: &str, cli: Option<&str>| {
        let mut files = vec![
            ("main.hcl", format!("{AZURE}\n{body}")),
            ("prices.toml", manifest_file.to_string()),
        ];
        if let Some(c) = cli {
            files.push(("cli.toml", c.to_string()));
        }
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let dir = manifest(&refs);
        let args: &[&str] = if cli.is_some() {
            &["--prices", "cli.toml"]
        } else {
            &[]
        };
        let f = cost_json(dir.path(), args);
        line(&f, "compute_instance.dev", "Standard_D4s_v3")["unit_price"].clone()
    };
    assert_eq!(price("", None), 0.192, "the catalogue");
    assert_eq!(
        price("[vm.\"Standard_D4s_v3\"]\ndedicated = 0.1\n", None),
        0.1
    );
    assert_eq!(
        price(
            "[vm.\"Standard_D4s_v3\"]\ndedicated = 0.1\n[region.eastus.vm.\"Standard_D4s_v3\"]\ndedicated = 0.15\n",
            None
        ),
        0.15,
        "the region's table wins"
    );
    assert_eq!(
        price(
            "[region.eastus.vm.\"Standard_D4s_v3\"]\ndedicated = 0.15\n",
            Some("[vm.\"Standard_D4s_v3\"]\ndedicated = 0.05\n")
        ),
        0.05,
        "--prices wins over the manifest's file"
    );
}

#[test]
fn unknown_price_file_keys_are_errors_from_the_manifest_and_the_command_line() {
    let dir = manifest(&[
        (
            "main.hcl",
            &format!("{AZURE}\nprices {{\n  file = \"p.toml\"\n}}\n{WORKSPACE}"),
        ),
        ("p.toml", "[vm.\"Standard_D4s_v3\"]\ndedicatd = 0.1\n"),
        ("cli.toml", "[storag]\ngb_month = 1\n"),
    ]);
    let out = amlplan(dir.path(), &["cost"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0107"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("did you mean `dedicated`"),
        "{}",
        stderr(&out)
    );
    std::fs::write(dir.path().join("p.toml"), "").expect("write");
    let out = amlplan(dir.path(), &["cost", "--prices", "cli.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0107"), "{}", stderr(&out));
    let out = amlplan(dir.path(), &["cost", "--prices", "missing.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0106"), "{}", stderr(&out));
    // A plan in JSON reports it in the JSON, like every failure that ends it.
    let out = amlplan(
        dir.path(),
        &["plan", "--format", "json", "--prices", "missing.toml"],
    );
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("a JSON plan");
    assert_eq!(json["errors"][0]["code"], "E0106", "{json}");
}

#[test]
fn unpriced_lines_are_shown_as_such_and_counted() {
    let dir = one(&format!(
        "{WORKSPACE}compute_cluster \"gpu\" {{\n  workspace = workspace.mlw\n  location  = \"japaneast\"\n  vm_size   = \"Standard_NC6s_v3\"\n  min_nodes = 1\n  max_nodes = 1\n}}\n"
    ));
    let f = cost_json(dir.path(), &[]);
    let l = line(&f, "compute_cluster.gpu", "Standard_NC6s_v3");
    assert_eq!(l["unit_price"], Value::Null);
    assert_eq!(l["confidence"], "unknown");
    assert_eq!(l["monthly"]["expected"], 0.0);
    assert_eq!(f["unpriced"], 1);
    let human = stdout(&amlplan(dir.path(), &["cost"]));
    assert!(human.contains("x unpriced  unpriced"), "{human}");
    assert!(human.contains("1 unpriced line counted as 0"), "{human}");
}

#[test]
fn a_budget_below_the_forecast_exits_3_naming_the_drivers() {
    let dir = one(&format!(
        "budget \"monthly\" {{\n  amount = 100\n}}\n{WORKSPACE}compute_instance \"dev\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4s_v3\"\n}}\n"
    ));
    let out = amlplan(dir.path(), &["cost"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("E0922"), "{err}");
    assert!(err.contains("compute_instance.dev $150.20"), "{err}");
    // Validation warns (W0105) but the manifest is valid.
    let out = amlplan(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("W0105"), "{}", stderr(&out));
}

#[test]
fn cost_reports_of_the_examples() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("snapshots/cost"));
    settings.set_prepend_module_to_snapshot(false);
    for example in ["fraud-detection", "platform-modules"] {
        let dir = repo().join("examples").join(example);
        for format in ["human", "json", "markdown"] {
            let out = amlplan(&dir, &["cost", "--format", format]);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            settings.bind(|| {
                insta::assert_snapshot!(format!("{example}-{format}"), stdout(&out));
            });
        }
    }
}

#[test]
fn a_budget_in_another_currency_than_the_prices_is_e0924() {
    let dir = one(&format!(
        "budget \"monthly\" {{\n  amount   = 100\n  currency = \"EUR\"\n}}\n{WORKSPACE}"
    ));
    let out = amlplan(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("E0924"), "{}", stderr(&out));
}

fn plan_json(dir: &std::path::Path) -> Value {
    let out = amlplan(dir, &["plan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("plan JSON")
}

#[test]
fn plans_show_each_change_cost_before_and_after_and_the_totals() {
    let instance = |size: &str| {
        format!(
            "{AZURE}\n{WORKSPACE}compute_instance \"dev\" {{\n  workspace = workspace.mlw\n  vm_size   = \"{size}\"\n}}\n"
        )
    };
    let dir = manifest(&[("main.hcl", &instance("Standard_D4s_v3"))]);
    let first = plan_json(dir.path());
    let created = &first["cost"]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["address"] == "compute_instance.dev")
        .expect("instance")
        .clone();
    assert_eq!(created["before"]["expected"], 0.0);
    assert_eq!(created["after"]["expected"], 150.2);
    let out = amlplan(dir.path(), &["apply", "--auto-approve"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(dir.path().join("main.hcl"), instance("Standard_E4s_v3")).expect("write");
    let resized = plan_json(dir.path());
    let cost = &resized["cost"];
    let dev = cost["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["address"] == "compute_instance.dev")
        .expect("instance");
    // 730 h at the old and the new size, plus the instance's load balancer.
    assert_eq!(dev["before"]["expected"], 150.2);
    assert_eq!(
        dev["after"]["expected"],
        (730.0 * 0.252 + 730.0 / 24.0 * 0.33).round_cents()
    );
    assert_eq!(dev["difference"]["expected"], 43.8);
    assert_eq!(cost["before"]["expected"], 150.2);
    let human = stdout(&amlplan(dir.path(), &["plan"]));
    assert!(
        human.contains("~ compute_instance.dev: $150.20 -> $194.00 (+$43.80)"),
        "{human}"
    );
}

trait Cents {
    fn round_cents(self) -> f64;
}

impl Cents for f64 {
    fn round_cents(self) -> f64 {
        (self * 100.0).round() / 100.0
    }
}

#[test]
fn plans_over_budget_exit_3_and_apply_refuses_them_unless_allowed() {
    let dir = one(&format!(
        "budget \"monthly\" {{\n  amount = 100\n}}\n{WORKSPACE}compute_instance \"dev\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4s_v3\"\n}}\n"
    ));
    let out = amlplan(dir.path(), &["plan"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("E0922"), "{}", stderr(&out));
    let out = amlplan(dir.path(), &["apply", "--auto-approve"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("E0923"), "{}", stderr(&out));
    assert!(!dir.path().join(".amlplan/mock-cloud.json").exists());
    let out = amlplan(
        dir.path(),
        &["apply", "--auto-approve", "--allow-over-budget"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A cheaper price file brings the plan under budget.
    std::fs::write(
        dir.path().join("ea.toml"),
        "[vm.\"Standard_D4s_v3\"]\ndedicated = 0.1\n",
    )
    .expect("write");
    let out = amlplan(dir.path(), &["plan", "--prices", "ea.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn reservations_use_a_reservation_price_or_say_they_use_the_rule_of_thumb() {
    let body = format!(
        "{AZURE}\n{WORKSPACE}compute_instance \"dev\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4s_v3\"\n  usage {{\n    reservation = \"1y\"\n  }}\n}}\n"
    );
    let dir = manifest(&[("main.hcl", &body)]);
    let f = cost_json(dir.path(), &[]);
    let l = line(&f, "compute_instance.dev", "Standard_D4s_v3");
    assert_eq!(l["meter"], "Standard_D4s_v3 (Linux, 1-year reservation)");
    assert_eq!(
        l["monthly"]["expected"],
        (730.0 * 0.192 * 0.6).round_cents()
    );
    assert!(
        l["assumption"]
            .as_str()
            .unwrap_or("")
            .contains("rule of thumb"),
        "{l:#}"
    );
    assert_eq!(l["confidence"], "low");
    std::fs::write(
        dir.path().join("ri.toml"),
        "[vm.\"Standard_D4s_v3\"]\nreserved_1y = 0.1\n",
    )
    .expect("write");
    let f = cost_json(dir.path(), &["--prices", "ri.toml"]);
    let l = line(&f, "compute_instance.dev", "Standard_D4s_v3");
    assert_eq!(l["monthly"]["expected"], 73.0);
    assert!(
        !l["assumption"]
            .as_str()
            .unwrap_or("")
            .contains("rule of thumb"),
        "{l:#}"
    );
}

#[test]
fn advice_names_money_left_on_the_table_with_the_saving() {
    let dir = one(&format!(
        "{WORKSPACE}compute_instance \"dev\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4s_v3\"\n}}\ncompute_cluster \"cpu\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4s_v3\"\n  min_nodes = 1\n  max_nodes = 2\n}}\n"
    ));
    let f = cost_json(dir.path(), &[]);
    let advice = f["advice"].as_array().expect("advice");
    let on = |address: &str| {
        advice
            .iter()
            .find(|a| a["address"] == address)
            .unwrap_or_else(|| panic!("no advice on {address}: {advice:#?}"))
    };
    // Always on against 22 working days of 9 hours.
    assert_eq!(
        on("compute_instance.dev")["monthly_saving"],
        ((730.0 - 22.0 * 9.0) * 0.192).round_cents()
    );
    assert_eq!(on("compute_cluster.cpu")["monthly_saving"], 140.16);
    let human = stdout(&amlplan(dir.path(), &["cost"]));
    assert!(
        human.contains("Advice:\n  info: compute_instance.dev:"),
        "{human}"
    );
}

#[test]
fn catalogue_reservation_rows_price_the_term_over_its_hours() {
    let dir = one(&format!(
        "{WORKSPACE}compute_instance \"dev\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4ds_v5\"\n  usage {{\n    reservation = \"3y\"\n  }}\n}}\n"
    ));
    let f = cost_json(dir.path(), &[]);
    let l = line(&f, "compute_instance.dev", "Standard_D4ds_v5");
    assert_eq!(l["meter"], "Standard_D4ds_v5 (Linux, 3-year reservation)");
    // $2,257 for three years over 26,280 hours, paid all 730 hours of the month.
    assert_eq!(l["unit_price"], 2257.0 / 26280.0);
    assert_eq!(
        l["monthly"]["expected"],
        (730.0 * 2257.0 / 26280.0).round_cents()
    );
    assert_eq!(l["confidence"], "medium");
    assert!(
        !l["assumption"]
            .as_str()
            .unwrap_or("")
            .contains("rule of thumb"),
        "{l:#}"
    );
    assert!(
        l["price_source"]
            .as_str()
            .unwrap_or("")
            .contains("$2257 for the term"),
        "{l:#}"
    );
}

#[test]
fn a_cluster_reserves_its_min_nodes_and_bills_the_rest_at_its_rate() {
    let cluster = |min: u32, reservation: &str| {
        one(&format!(
            "{WORKSPACE}compute_cluster \"cpu\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_D4ds_v5\"\n  min_nodes = {min}\n  max_nodes = 4\n  usage {{\n    node_hours_per_month = 2000\n    reservation = \"{reservation}\"\n  }}\n}}\n"
        ))
    };
    let dir = cluster(2, "1y");
    let f = cost_json(dir.path(), &[]);
    let reserved = line(&f, "compute_cluster.cpu", "Standard_D4ds_v5 (Linux, 1-year");
    let hourly = 1168.0 / 8760.0;
    assert_eq!(reserved["monthly"]["low"], (1460.0 * hourly).round_cents());
    assert_eq!(reserved["monthly"]["high"], (1460.0 * hourly).round_cents());
    let rest = line(
        &f,
        "compute_cluster.cpu",
        "Standard_D4ds_v5 (Linux, pay as you go)",
    );
    // 2,000 node-hours, 1,460 of them on the reserved nodes; up to 2 more nodes all month.
    assert_eq!(rest["quantity"], 540.0);
    assert_eq!(rest["monthly"]["low"], 0.0);
    assert_eq!(rest["monthly"]["expected"], (540.0 * 0.226).round_cents());
    assert_eq!(rest["monthly"]["high"], (1460.0 * 0.226).round_cents());
    // Without the reservation the same cluster gets the advice to reserve its min_nodes.
    let payg = cluster(2, "none");
    let f = cost_json(payg.path(), &[]);
    let advice = f["advice"].as_array().expect("advice");
    let reserve = advice
        .iter()
        .find(|a| a["message"].as_str().unwrap_or("").contains("reservation"))
        .unwrap_or_else(|| panic!("{advice:#?}"));
    assert_eq!(
        reserve["monthly_saving"],
        (1460.0 * (0.226 - hourly)).round_cents()
    );
    // A cluster scaling to zero has nothing to reserve: W0104, and no reserved line.
    let zero = cluster(0, "1y");
    let out = amlplan(zero.path(), &["validate"]);
    assert!(stderr(&out).contains("W0104"), "{}", stderr(&out));
    let f = cost_json(zero.path(), &[]);
    assert_eq!(
        meters(&f, "compute_cluster.cpu")
            .iter()
            .filter(|m| m.contains("reservation"))
            .count(),
        0
    );
}

#[test]
fn an_always_on_deployment_gets_reservation_advice_where_a_row_exists() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture("kinds/online_deployment", dir.path());
    let main = dir.path().join("main.hcl");
    let text = std::fs::read_to_string(&main).expect("main.hcl");
    std::fs::write(&main, text.replace("Standard_DS3_v2", "Standard_D4ds_v5")).expect("write");
    let f = cost_json(dir.path(), &[]);
    let advice = f["advice"].as_array().expect("advice");
    let this = advice
        .iter()
        .find(|a| a["address"] == "online_deployment.this")
        .unwrap_or_else(|| panic!("{advice:#?}"));
    assert!(
        this["message"]
            .as_str()
            .unwrap_or("")
            .contains("reservation = \"1y\""),
        "{this}"
    );
    // One instance (min_instances) all month at the difference of the two hourly rates.
    assert_eq!(
        this["monthly_saving"],
        (730.0 * (0.226 - 1168.0 / 8760.0)).round_cents()
    );
    // DS3_v2 has no reservation row: no such advice, however always on it is.
    let plain = tempfile::tempdir().expect("temp dir");
    copy_fixture("kinds/online_deployment", plain.path());
    let f = cost_json(plain.path(), &[]);
    assert!(
        f["advice"].as_array().is_none_or(|a| a
            .iter()
            .all(|a| !a["message"].as_str().unwrap_or("").contains("reservation"))),
        "{f:#}"
    );
}

#[test]
fn a_registry_pays_a_premium_registry_per_region_per_day() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture("kinds/registry", dir.path());
    let f = cost_json(dir.path(), &[]);
    let registry = resource(&f, "registry.this");
    let lines = registry["lines"].as_array().expect("lines");
    // eastus (primary) and westeurope (replica): one Premium registry each, 730 / 24 days.
    assert_eq!(
        meters(&f, "registry.this"),
        vec![
            "Premium container registry (eastus, primary)",
            "Premium container registry (westeurope, replica)"
        ]
    );
    for l in lines {
        assert_eq!(l["unit_price"], 1.667, "{l}");
        assert_eq!(l["unit"], "days", "{l}");
        assert_eq!(
            l["monthly"]["expected"],
            (730.0 / 24.0 * 1.667).round_cents()
        );
    }
    // A negotiated registry price for one region only.
    std::fs::write(
        dir.path().join("acr.toml"),
        "[region.westeurope.container_registry.premium]\nday = 1.5\n",
    )
    .expect("write");
    let f = cost_json(dir.path(), &["--prices", "acr.toml"]);
    let replica = line(
        &f,
        "registry.this",
        "Premium container registry (westeurope",
    );
    assert_eq!(replica["unit_price"], 1.5);
    let primary = line(&f, "registry.this", "Premium container registry (eastus");
    assert_eq!(primary["unit_price"], 1.667);
}

/// The binary on `dir` with today's date fixed at `today`.
fn on(dir: &std::path::Path, today: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_amlplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("AMLPLAN_TODAY", today)
        .output()
        .expect("the amlplan binary runs")
}

fn budget_changes(dir: &std::path::Path, today: &str) -> Vec<Value> {
    let out = on(dir, today, &["plan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan: Value = serde_json::from_str(&stdout(&out)).expect("plan JSON");
    plan["resource_changes"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter(|c| {
                    c["kind"] == "consumption_budget"
                        && c["actions"] != serde_json::json!(["no-op"])
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

const ALERTS: &str = r#"
variable "oncall" {
  type      = string
  sensitive = true
  default   = "oncall-secret@contoso.com"
}

budget "monthly" {
  amount = 2000

  alert "early" {
    threshold      = 80
    contact_emails = ["ml-platform@contoso.com"]
  }
  alert "limit" {
    threshold      = 100
    kind           = "forecasted"
    contact_emails = [var.oncall]
  }
}
"#;

/// A budget with alerts is also an Azure budget: monthly, from the first of the current month
/// (the injectable clock), one notification per alert; applied, a later month plans nothing
/// (the start is set once), a changed threshold is an update, destroy deletes it; a
/// sensitive contact never shows. Without alerts a budget plans nothing in Azure.
#[test]
fn budgets_with_alerts_are_azure_budgets_watched_after_apply() {
    let dir = one(&format!("{ALERTS}{WORKSPACE}"));
    let changes = budget_changes(dir.path(), "2026-12-17");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let change = &changes[0];
    assert_eq!(change["address"], "budget.monthly");
    assert_eq!(change["actions"], serde_json::json!(["create"]));
    let body = &change["arm"]["body"]["properties"];
    assert!(
        change["arm"]["id"]
            .as_str()
            .unwrap_or_default()
            .ends_with("/resourceGroups/rg/providers/Microsoft.Consumption/budgets/monthly"),
        "{change:#}"
    );
    assert_eq!(body["timeGrain"], "Monthly");
    assert_eq!(body["category"], "Cost");
    assert_eq!(body["amount"], 2000);
    assert_eq!(body["timePeriod"]["startDate"], "2026-12-01T00:00:00Z");
    let early = &body["notifications"]["early"];
    assert_eq!(early["threshold"], 80);
    assert_eq!(early["thresholdType"], "Actual");
    assert_eq!(early["operator"], "GreaterThan");
    assert_eq!(
        early["contactEmails"],
        serde_json::json!(["ml-platform@contoso.com"])
    );
    assert_eq!(
        body["notifications"]["limit"]["thresholdType"],
        "Forecasted"
    );

    let out = on(dir.path(), "2026-12-17", &["apply", "--auto-approve"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!shown.contains("oncall-secret"), "{shown}");
    let state = std::fs::read_to_string(dir.path().join(".amlplan/state.json")).unwrap_or_default();
    assert!(!state.contains("oncall-secret"));
    // Next month, nothing to do: the start date stays what it was.
    assert_eq!(
        budget_changes(dir.path(), "2027-01-05"),
        Vec::<Value>::new()
    );

    let edited = ALERTS.replace("threshold      = 80", "threshold      = 90");
    std::fs::write(
        dir.path().join("main.hcl"),
        format!("{AZURE}\n{edited}{WORKSPACE}"),
    )
    .expect("write");
    let changes = budget_changes(dir.path(), "2027-01-05");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["actions"], serde_json::json!(["update"]));
    let out = on(dir.path(), "2027-01-05", &["apply", "--auto-approve"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cloud =
        std::fs::read_to_string(dir.path().join(".amlplan/mock-cloud.json")).unwrap_or_default();
    // The update carried the budget's start over.
    assert!(cloud.contains("2026-12-01T00:00:00Z"), "{cloud}");
    assert!(!cloud.contains("2027-01-01T00:00:00Z"), "{cloud}");

    let out = on(dir.path(), "2027-01-05", &["destroy", "--auto-approve"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cloud =
        std::fs::read_to_string(dir.path().join(".amlplan/mock-cloud.json")).unwrap_or_default();
    assert!(!cloud.contains("Microsoft.Consumption"), "{cloud}");

    // Without alerts the budget is only the plan's gate.
    let gate = one(&format!(
        "budget \"monthly\" {{\n  amount = 2000\n}}\n{WORKSPACE}"
    ));
    assert_eq!(
        budget_changes(gate.path(), "2026-12-17"),
        Vec::<Value>::new()
    );
}

/// A start date given is sent as given; the emulator refuses what Azure refuses.
#[test]
fn a_given_budget_start_is_sent_and_azures_rules_hold() {
    let given = ALERTS.replace(
        "amount = 2000\n",
        "amount     = 2000\n  start_date = \"2026-06-01\"\n",
    );
    let dir = one(&format!("{given}{WORKSPACE}"));
    let changes = budget_changes(dir.path(), "2026-12-17");
    assert_eq!(
        changes[0]["arm"]["body"]["properties"]["timePeriod"]["startDate"],
        "2026-06-01T00:00:00Z"
    );
    let mid = given.replace("2026-06-01", "2026-06-15");
    let dir = one(&format!("{mid}{WORKSPACE}"));
    let out = on(dir.path(), "2026-12-17", &["validate", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("E0741"), "{}", stderr(&out));
}
