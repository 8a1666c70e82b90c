//! Sensitive values never leave amlplan: not in the human, JSON or markdown plan, the plan
//! file, the state, stdout or stderr (the mock cloud file may hold what ARM holds).
//!
//! The manifest has one resource of every kind; each *site* is an attribute whose value comes
//! from a variable holding a random marker: every sensitive attribute of the schema tables (the
//! attribute makes it sensitive, the variable is plain), and normal attributes fed from a
//! `sensitive` variable at every nesting: top level, a block, a repeated block, a list and a
//! map. Proptest draws the markers; a control run with the variables not sensitive shows each
//! marker in the JSON plan, so the assertions can fail.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value;

use crate::plan::Sandbox;
use crate::support::{AZURE, stderr, stdout};
use amlplan::schema::{BlockSchema, KINDS};

/// Where a marker goes, as the manifest template names it (`@name@`).
struct Site {
    /// The variable (and template placeholder) name.
    var: &'static str,
    /// The kind and manifest attribute the value lands in, for the coverage check.
    kind: &'static str,
    attr: &'static str,
    /// The variable is declared `sensitive` (false for sensitive attributes: the attribute
    /// alone must keep the value out).
    sensitive_var: bool,
    marker: Marker,
}

#[derive(Clone, Copy)]
enum Marker {
    /// A lowercase word (`zqxk...`), placed by the template where it fits the attribute.
    Word,
    /// A GUID.
    Guid,
    /// An IPv4 address.
    Ip,
}

const SITES: &[Site] = &[
    Site {
        var: "admin_password",
        kind: "compute_cluster",
        attr: "admin_password",
        sensitive_var: false,
        marker: Marker::Word,
    },
    Site {
        var: "ws_description",
        kind: "workspace",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "ws_tag",
        kind: "workspace",
        attr: "tags",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "ws_fqdn",
        kind: "workspace",
        attr: "destination",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "cluster_description",
        kind: "compute_cluster",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "time_zone",
        kind: "compute_instance",
        attr: "time_zone",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "object_id",
        kind: "compute_instance",
        attr: "object_id",
        sensitive_var: true,
        marker: Marker::Guid,
    },
    Site {
        var: "env_description",
        kind: "environment",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "model_description",
        kind: "model",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "component_description",
        kind: "component",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "schedule_description",
        kind: "schedule",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "monitor_email",
        kind: "monitor",
        attr: "alert_emails",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "fs_redis",
        kind: "feature_store",
        attr: "online_store",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "registry_tag",
        kind: "registry",
        attr: "tags",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "aks_description",
        kind: "kubernetes_compute",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "lake_key",
        kind: "datastore",
        attr: "account_key",
        sensitive_var: false,
        marker: Marker::Word,
    },
    Site {
        var: "share_sas",
        kind: "datastore",
        attr: "sas_token",
        sensitive_var: false,
        marker: Marker::Word,
    },
    Site {
        var: "sp_secret",
        kind: "datastore",
        attr: "client_secret",
        sensitive_var: false,
        marker: Marker::Word,
    },
    Site {
        var: "data_description",
        kind: "data_asset",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "endpoint_description",
        kind: "online_endpoint",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "deployment_env",
        kind: "online_deployment",
        attr: "environment_variables",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "serverless_tag",
        kind: "serverless_endpoint",
        attr: "tags",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "batch_description",
        kind: "batch_endpoint",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "batch_deployment_description",
        kind: "batch_deployment",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "record_ip",
        kind: "private_dns_zone",
        attr: "ipv4",
        sensitive_var: true,
        marker: Marker::Ip,
    },
    Site {
        var: "pe_message",
        kind: "private_endpoint",
        attr: "request_message",
        sensitive_var: true,
        marker: Marker::Word,
    },
    Site {
        var: "principal",
        kind: "role_assignment",
        attr: "principal_id",
        sensitive_var: true,
        marker: Marker::Guid,
    },
    Site {
        var: "ra_description",
        kind: "role_assignment",
        attr: "description",
        sensitive_var: true,
        marker: Marker::Word,
    },
];

/// The manifest: every kind, each site's value through `var.NAME` (the template's
/// placeholders say how the marker is embedded).
const TEMPLATE: &str = r#"
workspace "mlw" {
  description           = var.ws_description
  public_network_access = true
  high_business_impact  = false
  tags                  = { team = var.ws_tag }

  managed_network {
    isolation_mode = "allow_only_approved_outbound"
    outbound_rule "feed" {
      type        = "fqdn"
      destination = "${var.ws_fqdn}.example.com"
    }
  }
}

compute_cluster "cpu" {
  workspace   = workspace.mlw
  vm_size     = "Standard_DS3_v2"
  max_nodes   = 2
  description = var.cluster_description

  ssh {
    admin_username = "azureuser"
    admin_password = var.admin_password
  }
}

compute_instance "dev" {
  workspace = workspace.mlw
  vm_size   = "Standard_DS3_v2"

  assigned_user {
    object_id = var.object_id
    tenant_id = "11111111-1111-1111-1111-111111111111"
  }

  schedule "night" {
    action    = "stop"
    cron      = "0 20 * * 1-5"
    time_zone = var.time_zone
  }
}

environment "env" {
  workspace   = workspace.mlw
  version     = "1"
  image       = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
  description = var.env_description
}

model "m" {
  workspace   = workspace.mlw
  version     = "1"
  path        = "azureml://datastores/workspaceblobstore/paths/models/m/1/"
  description = var.model_description
}

component "train" {
  workspace   = workspace.mlw
  version     = "1"
  command     = "python train.py"
  environment = "azureml:env:1"
  description = var.component_description
}

schedule "weekly" {
  workspace   = workspace.mlw
  job_file    = "pipeline.yml"
  description = var.schedule_description
  cron {
    expression = "0 2 * * 1"
  }
}

monitor "drift" {
  workspace    = workspace.mlw
  deployment   = online_deployment.blue
  compute      = "Standard_E4s_v3"
  alert_emails = [var.monitor_email]
  signal "drift" {
    type      = "data_drift"
    metric    = "jensen_shannon_distance"
    threshold = 0.1
  }
  recurrence {
    frequency = "day"
    interval  = 1
  }
}

feature_store "features" {
  public_network_access = true
  online_store          = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data-rg/providers/Microsoft.Cache/Redis/${var.fs_redis}"
  compute_runtime {
    spark_runtime_version = "3.4"
  }
}

registry "central" {
  replication_locations = ["westeurope"]
  tags                  = { team = var.registry_tag }
}

model "shared" {
  registry = registry.central
  version  = "1"
  path     = "azureml://datastores/workspaceblobstore/paths/models/shared/1/"
}

kubernetes_compute "aks" {
  workspace   = workspace.mlw
  cluster     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/aks/providers/Microsoft.ContainerService/managedClusters/aks1"
  description = var.aks_description

  instance_type "cpu-small" {
    cpu    = "1"
    memory = "4Gi"
  }
}

datastore "lake" {
  workspace       = workspace.mlw
  type            = "adls_gen2"
  storage_account = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mllake"
  container       = "raw"
  credentials     = "account_key"
  account_key     = var.lake_key
}

datastore "share" {
  workspace       = workspace.mlw
  type            = "azure_file"
  storage_account = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mlshare"
  container       = "share"
  credentials     = "sas"
  sas_token       = var.share_sas
}

datastore "principal" {
  workspace       = workspace.mlw
  type            = "azure_blob"
  storage_account = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mlblob"
  container       = "features"
  credentials     = "service_principal"

  service_principal {
    tenant_id     = "11111111-1111-1111-1111-111111111111"
    client_id     = "22222222-2222-2222-2222-222222222222"
    client_secret = var.sp_secret
  }
}

data_asset "raw" {
  workspace   = workspace.mlw
  version     = "1"
  type        = "uri_folder"
  path        = "azureml://datastores/lake/paths/raw/"
  description = var.data_description
}

online_endpoint "scoring" {
  workspace   = workspace.mlw
  auth_mode   = "key"
  traffic     = { blue = 100 }
  description = var.endpoint_description
}

online_deployment "blue" {
  endpoint              = online_endpoint.scoring
  model                 = model.m
  environment           = environment.env
  instance_type         = "Standard_DS3_v2"
  instance_count        = 1
  environment_variables = { TOKEN = var.deployment_env }
}

batch_endpoint "batch" {
  workspace   = workspace.mlw
  description = var.batch_description
}

serverless_endpoint "chat" {
  workspace = workspace.mlw
  model_id  = "azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct"
  tags      = { owner = var.serverless_tag }
}

batch_deployment "nightly" {
  endpoint    = batch_endpoint.batch
  model       = model.m
  environment = environment.env
  compute     = compute_cluster.cpu
  description = var.batch_deployment_description
}

private_dns_zone "api" {
  name = "privatelink.api.azureml.ms"

  a_record "gateway" {
    ipv4 = [var.record_ip]
  }
}

private_endpoint "pe" {
  target          = workspace.mlw
  group           = "amlworkspace"
  subnet          = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/pe"
  dns_zones       = [private_dns_zone.api]
  manual_approval = true
  request_message = var.pe_message
}

role_assignment "reader" {
  role         = "Reader"
  principal_id = var.principal
  scope        = workspace.mlw
  description  = var.ra_description
}
"#;

/// The pipeline job the schedule submits.
const PIPELINE: &str = "type: pipeline\njobs:\n  step:\n    type: command\n    command: echo\n";

/// The manifest text with the given markers (one per site, in [`SITES`] order).
fn manifest(markers: &[String], sensitive: bool) -> String {
    let mut text = String::from(AZURE);
    for (site, marker) in SITES.iter().zip(markers) {
        let sensitive = sensitive && site.sensitive_var;
        text.push_str(&format!(
            "variable \"{}\" {{\n  type      = string\n  sensitive = {sensitive}\n  default   = \"{marker}\"\n}}\n\n",
            site.var
        ));
    }
    text.push_str(TEMPLATE);
    text
}

fn marker_strategy(marker: Marker) -> BoxedStrategy<String> {
    match marker {
        Marker::Word => "zq[a-z]{12}".boxed(),
        Marker::Guid => "[0-9a-f]{8}"
            .prop_map(|head| format!("{head}-7e57-4c1d-9a11-5ec4e7000000"))
            .boxed(),
        Marker::Ip => (1u8..=254, 1u8..=254, 1u8..=254)
            .prop_map(|(a, b, c)| format!("10.{a}.{b}.{c}"))
            .boxed(),
    }
}

fn markers_strategy() -> impl Strategy<Value = Vec<String>> {
    SITES
        .iter()
        .map(|s| marker_strategy(s.marker))
        .collect::<Vec<_>>()
}

/// Every (kind, attribute) the schema tables mark sensitive, at any nesting.
fn sensitive_attributes() -> BTreeSet<(String, String)> {
    fn walk(kind: &str, block: &BlockSchema, out: &mut BTreeSet<(String, String)>) {
        for a in block.attrs.iter().filter(|a| a.sensitive) {
            out.insert((kind.to_string(), a.name.to_string()));
        }
        for b in block.blocks {
            walk(kind, b.body, out);
        }
    }
    let mut out = BTreeSet::new();
    for k in KINDS {
        walk(k.kind, &k.body, &mut out);
    }
    out
}

/// Where a marker was found, if anywhere: the output or file named.
fn leaks(markers: &[String], texts: &[(&str, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (site, marker) in SITES.iter().zip(markers) {
        for (what, text) in texts {
            if text.to_lowercase().contains(&marker.to_lowercase()) {
                found.push(format!("{} ({marker}) in {what}", site.var));
            }
        }
    }
    found
}

#[test]
fn the_sites_cover_every_kind_and_every_sensitive_attribute() {
    let kinds: BTreeSet<&str> = SITES.iter().map(|s| s.kind).collect();
    for k in KINDS {
        assert!(
            kinds.contains(k.kind),
            "no sensitive-value site for {}",
            k.kind
        );
    }
    let sites: BTreeSet<(String, String)> = SITES
        .iter()
        .map(|s| (s.kind.to_string(), s.attr.to_string()))
        .collect();
    for pair in sensitive_attributes() {
        assert!(
            sites.contains(&pair),
            "sensitive attribute {pair:?} has no site"
        );
    }
}

/// One run: plan (human, JSON, markdown, plan file), the review (every format), apply the
/// plan file, plan again, and the state; returns every text that must not hold a marker.
fn run_everything(sb: &Sandbox) -> Vec<(&'static str, String)> {
    let mut texts = Vec::new();
    let validate = sb.expect(&["validate"], 0);
    texts.push(("validate stdout", stdout(&validate)));
    texts.push(("validate stderr", stderr(&validate)));
    for (what, format) in [
        ("human plan", "human"),
        ("JSON plan", "json"),
        ("markdown plan", "markdown"),
    ] {
        let out = sb.expect(&["plan", "--format", format], 0);
        texts.push((what, stdout(&out)));
        texts.push(("plan stderr", stderr(&out)));
    }
    for (what, format) in [
        ("human review", "human"),
        ("JSON review", "json"),
        ("SARIF review", "sarif"),
        ("markdown review", "markdown"),
    ] {
        let out = sb.expect(&["review", "--format", format], 0);
        texts.push((what, stdout(&out)));
        texts.push(("review stderr", stderr(&out)));
    }
    let out = sb.expect(&["plan", "--out", "plan.json"], 0);
    texts.push(("plan --out stdout", stdout(&out)));
    texts.push(("plan --out stderr", stderr(&out)));
    texts.push(("plan file", sb.read("plan.json")));
    let out = sb.expect(&["apply", "--auto-approve", "plan.json"], 0);
    texts.push(("apply stdout", stdout(&out)));
    texts.push(("apply stderr", stderr(&out)));
    texts.push(("state", sb.read(".amlplan/state.json")));
    for format in ["human", "json"] {
        let out = sb.expect(&["plan", "--format", format], 0);
        texts.push(("plan after apply", stdout(&out)));
        texts.push(("plan after apply stderr", stderr(&out)));
    }
    let out = sb.expect(&["state", "list"], 0);
    texts.push(("state list", stdout(&out)));
    texts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn sensitive_values_never_appear_in_any_output(markers in markers_strategy()) {
        // Control: not sensitive, every site's marker reaches the JSON plan.
        let control = Sandbox::files(&[("main.hcl", &manifest(&markers, false)), ("pipeline.yml", PIPELINE)]);
        let out = control.expect(&["plan", "--format", "json"], 0);
        let plan = stdout(&out);
        for (site, marker) in SITES.iter().zip(&markers).filter(|(s, _)| s.sensitive_var) {
            prop_assert!(
                plan.to_lowercase().contains(&marker.to_lowercase()),
                "{} does not reach the plan even when not sensitive", site.var
            );
        }

        let sb = Sandbox::files(&[("main.hcl", &manifest(&markers, true)), ("pipeline.yml", PIPELINE)]);
        let texts = run_everything(&sb);
        let found = leaks(&markers, &texts);
        prop_assert!(found.is_empty(), "sensitive values leaked: {found:#?}");
        // The mock cloud does hold them (ARM does), so the markers did go somewhere.
        let cloud = serde_json::to_string(&sb.cloud()).unwrap_or_default();
        prop_assert!(cloud.contains(&markers[1]), "the cloud holds the workspace description");
        let _: Value = serde_json::from_str(&sb.read(".amlplan/state.json")).expect("state is JSON");
    }
}

/// The marker the corpus cases about sensitive values hold (`tests/corpus/sensitive-*`).
const CORPUS_SECRET: &str = "hunter2hunter2";

/// Every corpus case holding [`CORPUS_SECRET`] reports its diagnostics (the corpus test checks
/// codes and lines) without quoting it, in human and JSON output.
#[test]
fn diagnostics_never_quote_a_sensitive_value() {
    let root = crate::support::repo().join("tests/corpus");
    let mut checked = 0;
    let mut leaks = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let (dir, header, _temp) = if path.is_dir() {
            (path.clone(), path.join("main.hcl"), None)
        } else if path.extension().is_some_and(|e| e == "hcl") {
            let temp = tempfile::tempdir().expect("temp dir");
            std::fs::copy(&path, temp.path().join("main.hcl")).expect("copy case");
            (temp.path().to_path_buf(), path.clone(), Some(temp))
        } else {
            continue;
        };
        let mut holds_secret = false;
        for file in walk(&dir) {
            holds_secret |= std::fs::read_to_string(file).is_ok_and(|t| t.contains(CORPUS_SECRET));
        }
        if !holds_secret {
            continue;
        }
        let text = std::fs::read_to_string(&header).unwrap_or_default();
        let extra: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# args:"))
            .flat_map(|a| a.split_whitespace().map(str::to_string))
            .collect();
        for format in ["human", "json"] {
            let mut args = vec!["validate", ".", "--format", format];
            args.extend(extra.iter().map(String::as_str));
            let out = crate::support::amlplan(&dir, &args);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{}: {}",
                path.display(),
                stderr(&out)
            );
            let all = stdout(&out) + &stderr(&out);
            if all.to_lowercase().contains(CORPUS_SECRET) {
                leaks.push(format!("{} ({format}):\n{all}", path.display()));
            }
            // A var file's errors name a line instead of quoting; the rest say what they hide.
            let from_var_file = extra.iter().any(|a| a == "--var-file");
            if !from_var_file && !all.contains("sensitive") {
                leaks.push(format!(
                    "{} ({format}) does not say the value is sensitive:\n{all}",
                    path.display()
                ));
            }
        }
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} corpus cases hold the marker");
    assert!(leaks.is_empty(), "{}", leaks.join("\n\n"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
