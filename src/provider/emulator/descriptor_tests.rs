//! The emulator enforces what the kind descriptors say, for every kind: each attribute's ARM
//! path is changed, alone, in a PUT of an existing resource; a `create_only` one is refused
//! with ARM's error code for the type, an updatable one accepted.
//!
//! The bodies are what amlplan sends: a manifest with one resource of every kind (and every
//! child entry with attributes), compiled and lowered, applied to an emulator. The changed
//! value is made from the attribute's type and wire form in the descriptor, not from a table
//! per attribute; the few attributes that cannot change alone are listed in [`EXCEPTIONS`]
//! with the reason, and a stale entry fails the test.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{Emulator, EmulatorOptions};
use crate::arm::Desired;
use crate::provider::{ArmRequest, Method};
use crate::schema::semantics::{AttrArmPath, attribute_paths};
use crate::schema::{AttrType, EntryKind, KINDS, Wire, by_kind_name};

const MANIFEST: &str = r#"
azure {
  subscription_id = "00000000-0000-0000-0000-000000000000"
  resource_group  = "rg"
  location        = "eastus"
}

workspace "mlw" {
  friendly_name               = "ML"
  description                 = "All kinds"
  public_network_access       = true
  high_business_impact        = false
  application_insights        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
  container_registry          = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr"
  image_build_compute         = "cpu"
  system_datastores_auth_mode = "identity"
  tags                        = { team = "ml" }

  identity {
    type                     = "system_and_user_assigned"
    user_assigned_ids        = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"]
  }

  encryption {
    key_vault      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/cmk"
    key_identifier = "https://cmk.vault.azure.net/keys/k/1"
    identity       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"
  }

  managed_network {
    isolation_mode = "allow_only_approved_outbound"
    firewall_sku   = "standard"

    outbound_rule "feed" {
      type        = "fqdn"
      destination = "pypi.org"
    }
    outbound_rule "lake" {
      type        = "private_endpoint"
      resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/lake"
      subresource = "dfs"
      spark       = false
    }
    outbound_rule "tag" {
      type        = "service_tag"
      service_tag = "AzureMonitor"
      protocol    = "tcp"
      ports       = "443"
      action      = "allow"
    }
    outbound_rule "prefixes" {
      type             = "service_tag"
      address_prefixes = ["10.20.0.0/16"]
      protocol         = "tcp"
      ports            = "443"
      action           = "allow"
    }
  }

  serverless_compute {
    subnet         = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/jobs"
    node_public_ip = false
  }
}

# A feature store is a workspace: every workspace attribute, then its own.
feature_store "features" {
  friendly_name               = "ML"
  description                 = "All kinds"
  public_network_access       = true
  high_business_impact        = false
  application_insights        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
  container_registry          = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr"
  image_build_compute         = "cpu"
  system_datastores_auth_mode = "identity"
  tags                        = { team = "ml" }
  offline_store               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data-rg/providers/Microsoft.Storage/storageAccounts/fslake"
  online_store                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data-rg/providers/Microsoft.Cache/Redis/fsredis"

  identity {
    type                     = "system_and_user_assigned"
    user_assigned_ids        = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"]
  }

  encryption {
    key_vault      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/cmk"
    key_identifier = "https://cmk.vault.azure.net/keys/k/1"
    identity       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"
  }

  managed_network {
    isolation_mode = "allow_only_approved_outbound"
    firewall_sku   = "standard"

    outbound_rule "feed" {
      type        = "fqdn"
      destination = "pypi.org"
    }
    outbound_rule "lake" {
      type        = "private_endpoint"
      resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/lake"
      subresource = "dfs"
      spark       = false
    }
    outbound_rule "tag" {
      type        = "service_tag"
      service_tag = "AzureMonitor"
      protocol    = "tcp"
      ports       = "443"
      action      = "allow"
    }
  }

  serverless_compute {
    subnet         = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/jobs"
    node_public_ip = false
  }

  compute_runtime {
    spark_runtime_version = "3.4"
  }
}

compute_cluster "cpu" {
  workspace         = workspace.mlw
  vm_size           = "Standard_DS3_v2"
  priority          = "dedicated"
  min_nodes         = 0
  max_nodes         = 2
  scale_down_after  = "5m"
  node_public_ip    = true
  ssh_public_access = false
  local_auth        = false
  os_type           = "linux"
  description       = "CPU"
  tags              = { team = "ml" }

  identity {
    type = "system_assigned"
  }

  ssh {
    admin_username = "azureuser"
    admin_password = "Passw0rd!"
    public_key     = "ssh-rsa AAAA"
  }
}

# Computes in a subnet of the user's need a workspace without a managed network.
workspace "vnet" {
  identity {
    type = "system_assigned"
  }
}

compute_cluster "subcpu" {
  workspace = workspace.vnet
  vm_size   = "Standard_DS3_v2"
  max_nodes = 1
  subnet    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/aml"

  identity {
    type              = "user_assigned"
    user_assigned_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"]
  }
}

compute_instance "dev" {
  workspace         = workspace.mlw
  vm_size           = "Standard_DS3_v2"
  idle_shutdown     = "30m"
  node_public_ip    = true
  ssh_public_access = true
  ssh_public_key    = "ssh-rsa AAAA"
  local_auth        = false
  description       = "Dev box"
  tags              = { team = "ml" }

  assigned_user {
    object_id = "11111111-1111-1111-1111-111111111111"
    tenant_id = "22222222-2222-2222-2222-222222222222"
  }

  identity {
    type = "system_assigned"
  }
}

compute_instance "devsub" {
  workspace = workspace.vnet
  vm_size   = "Standard_DS3_v2"
  subnet    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/aml"

  identity {
    type              = "user_assigned"
    user_assigned_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"]
  }
}

environment "img" {
  workspace   = workspace.mlw
  version     = "1"
  image       = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
  conda_file  = "conda.yml"
  os_type     = "linux"
  description = "Image"
  tags        = { team = "ml" }
}

environment "built" {
  workspace = workspace.mlw
  version   = "1"

  build {
    context         = "azureml://datastores/workspaceblobstore/paths/ctx/"
    dockerfile_path = "Dockerfile"
  }
}

model "m" {
  workspace   = workspace.mlw
  version     = "1"
  type        = "custom_model"
  path        = "azureml://datastores/workspaceblobstore/paths/models/m/1/"
  description = "Model"
  stage       = "Development"
  tags        = { team = "ml" }
}

component "train" {
  workspace    = workspace.mlw
  version      = "1"
  type         = "command"
  display_name = "Train"
  description  = "Train"
  code         = "src"
  environment  = "azureml:env:1"
  command      = "python train.py --data $${{inputs.data}} --out $${{outputs.model}}"
  tags         = { team = "ml" }

  input "data" {
    type        = "uri_folder"
    default     = "x"
    optional    = true
    description = "data"
  }
  output "model" {
    type        = "mlflow_model"
    description = "model"
  }
}

schedule "weekly" {
  workspace    = workspace.mlw
  job_file     = "pipeline.yml"
  display_name = "Weekly"
  description  = "Weekly"
  enabled      = true
  tags         = { team = "ml" }

  recurrence {
    frequency = "week"
    interval  = 1
    hours     = [2]
    minutes   = [0]
    week_days = ["monday"]
    time_zone = "UTC"
  }
}

schedule "nightly" {
  workspace = workspace.mlw
  job_file  = "pipeline.yml"

  cron {
    expression = "0 2 * * *"
    time_zone  = "UTC"
  }
}

monitor "drift" {
  workspace             = workspace.mlw
  deployment            = online_deployment.blue
  task_type             = "classification"
  compute               = "Standard_E4s_v3"
  spark_runtime_version = "3.4"
  alert_emails          = ["ml-oncall@contoso.com"]
  display_name          = "Drift"
  description           = "Drift"
  enabled               = true
  tags                  = { team = "ml" }

  signal "drift" {
    type      = "data_drift"
    features  = ["amount"]
    metric    = "jensen_shannon_distance"
    threshold = 0.1
  }

  recurrence {
    frequency = "day"
    interval  = 1
    hours     = [3]
    minutes   = [0]
    time_zone = "UTC"
  }
}

monitor "quality" {
  workspace  = workspace.mlw
  deployment = online_deployment.blue
  compute    = "Standard_E4s_v3"

  signal "quality" {
    type      = "data_quality"
    metric    = "null_value_rate"
    threshold = 0.05
  }

  cron {
    expression = "0 2 * * *"
    time_zone  = "UTC"
  }
}

registry "central" {
  location              = "eastus"
  replication_locations = ["westeurope"]
  public_network_access = false
  tags                  = { team = "ml" }

  identity {
    type              = "system_and_user_assigned"
    user_assigned_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"]
  }
}

model "shared" {
  registry    = registry.central
  version     = "1"
  path        = "azureml://datastores/workspaceblobstore/paths/models/shared/1/"
  description = "Shared"
  tags        = { team = "ml" }
}

kubernetes_compute "aks" {
  workspace             = workspace.mlw
  cluster               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/aks/providers/Microsoft.ContainerService/managedClusters/aks1"
  namespace             = "azureml"
  default_instance_type = "cpu-small"
  description           = "AKS"
  tags                  = { team = "ml" }

  identity {
    type              = "system_and_user_assigned"
    user_assigned_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"]
  }

  instance_type "cpu-small" {
    cpu           = "1"
    memory        = "4Gi"
    gpu           = 1
    node_selector = { pool = "cpu" }
  }
}

datastore "lake" {
  workspace       = workspace.mlw
  type            = "adls_gen2"
  storage_account = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mllake"
  container       = "raw"
  description     = "Lake"
  tags            = { team = "ml" }
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
    client_secret = "s3cret"
  }
}

data_asset "raw" {
  workspace   = workspace.mlw
  version     = "1"
  type        = "uri_folder"
  path        = "azureml://datastores/lake/paths/raw/"
  description = "Raw"
  tags        = { team = "ml" }
}

online_endpoint "scoring" {
  workspace             = workspace.mlw
  auth_mode             = "key"
  public_network_access = true
  description           = "Scoring"
  tags                  = { team = "ml" }

  identity {
    type = "system_assigned"
  }
}

serverless_endpoint "chat" {
  workspace = workspace.mlw
  model_id  = "azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct"
  auth_mode = "key"
  tags      = { team = "ml" }
}

online_endpoint "uai" {
  workspace = workspace.mlw

  identity {
    type              = "user_assigned"
    user_assigned_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"]
  }
}

online_deployment "scaled" {
  endpoint      = online_endpoint.uai
  model         = model.m
  environment   = environment.img
  instance_type = "Standard_DS3_v2"

  scale {
    min_instances      = 1
    max_instances      = 3
    target_utilization = 70
    polling_interval   = "5m"
  }
}

online_deployment "blue" {
  endpoint                             = online_endpoint.scoring
  model                                = model.m
  environment                          = environment.img
  instance_type                        = "Standard_DS3_v2"
  instance_count                       = 1
  request_timeout                      = "5s"
  max_concurrent_requests_per_instance = 1
  egress_public_network_access         = false
  environment_variables                = { MODE = "prod" }
  app_insights                         = true
  description                          = "Blue"
  tags                                 = { team = "ml" }

  code {
    path           = "src"
    scoring_script = "score.py"
  }

  liveness_probe {
    initial_delay     = "10s"
    period            = "10s"
    timeout           = "2s"
    failure_threshold = 3
    success_threshold = 1
  }

  readiness_probe {
    initial_delay     = "10s"
    period            = "10s"
    timeout           = "2s"
    failure_threshold = 3
    success_threshold = 1
  }

  data_collector {
    rolling_rate    = "hour"
    capture_headers = ["x-request-id"]

    collection "model_inputs" {
      sampling_rate = 0.5
    }
    collection "request" {}
  }
}

batch_endpoint "batch" {
  workspace          = workspace.mlw
  default_deployment = "nightly"
  description        = "Batch"
  tags               = { team = "ml" }
}

batch_deployment "nightly" {
  endpoint                     = batch_endpoint.batch
  model                        = model.m
  environment                  = environment.img
  compute                      = compute_cluster.cpu
  instance_count               = 1
  mini_batch_size              = 10
  max_concurrency_per_instance = 2
  error_threshold              = 5
  logging_level                = "info"
  output_action                = "append_row"
  output_file_name             = "out.csv"
  environment_variables        = { MODE = "batch" }
  description                  = "Nightly"
  tags                         = { team = "ml" }

  code {
    path           = "src"
    scoring_script = "score.py"
  }

  retry {
    max_retries = 3
    timeout     = "30s"
  }
}

private_dns_zone "api" {
  name = "privatelink.api.azureml.ms"
  tags = { team = "ml" }

  vnet_link "hub" {
    virtual_network   = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub"
    registration      = false
    resolution_policy = "default"
  }

  a_record "gateway" {
    ttl  = 300
    ipv4 = ["10.0.0.4"]
  }
}

private_endpoint "pe" {
  target    = workspace.mlw
  group     = "amlworkspace"
  subnet    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/pe"
  dns_zones = [private_dns_zone.api]
  tags      = { team = "ml" }
}

role_assignment "reader" {
  role              = "Reader"
  principal_id      = "33333333-3333-3333-3333-333333333333"
  principal_type    = "group"
  scope             = workspace.mlw
  description       = "Readers"
  condition         = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'"
  condition_version = "2.0"
}
"#;

/// Attributes that cannot be changed alone in an existing resource, with the reason:
/// (entry kind, attribute).
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "batch_endpoint",
        "auth_mode",
        "`aad_token` is the only value batch endpoints accept: there is nothing to change it to",
    ),
    (
        "workspace",
        "managed_network.isolation_mode",
        "one-way: the other value tried is `Disabled`, which ARM refuses once isolation is on",
    ),
    (
        "feature_store",
        "managed_network.isolation_mode",
        "one-way, as a workspace's: the other value tried is `Disabled`, which ARM refuses once isolation is on",
    ),
    (
        "online_endpoint",
        "traffic",
        "lowered into the endpoint_traffic partial entry, and a changed map names deployments that do not exist (the traffic rules have tests of their own)",
    ),
    (
        "batch_endpoint",
        "default_deployment",
        "lowered into the batch_endpoint_defaults partial entry, and another name is a deployment that does not exist (tests::a_batch_endpoints_default_deployment_must_exist covers it)",
    ),
    (
        "online_endpoint",
        "mirror_traffic",
        "lowered into the endpoint_traffic partial entry, and a changed map names deployments that do not exist (the traffic rules have tests of their own)",
    ),
];

fn entry_name(entry: EntryKind) -> &'static str {
    match entry {
        EntryKind::Kind(k) => k.kind,
        EntryKind::Produced(t) => t.kind,
    }
}

fn lowered() -> Vec<Desired> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("main.hcl"), MANIFEST).expect("write");
    std::fs::write(
        dir.path().join("pipeline.yml"),
        "type: pipeline\njobs:\n  step:\n    type: command\n    command: echo\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("conda.yml"),
        "name: x\ndependencies: [python=3.11]\n",
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("src")).expect("mkdir");
    std::fs::write(
        dir.path().join("src/score.py"),
        "def run(x):\n    return x\n",
    )
    .expect("write");
    let compilation = crate::compile::compile(dir.path(), &Default::default());
    assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
    crate::arm::lower::lower(&compilation.manifest, &compilation.sources).expect("lowers")
}

fn put(emu: &mut Emulator, d: &Desired, body: &Value) -> super::super::ArmResponse {
    let mut body = body.clone();
    if let Some(upload) = &d.upload {
        // What the apply does first: the files go up, the version names where.
        let start = ArmRequest {
            method: Method::Post,
            path: format!("{}/{}", d.id, upload.action),
            api_version: d.api_version.clone(),
            query: Vec::new(),
            body: Some(serde_json::json!({"pendingUploadType": "TemporaryBlobReference"})),
        };
        let now = emu.clock() + 1;
        let answer = emu.handle(&start, now).body.unwrap_or_default();
        let reference = &answer["blobReferenceForConsumption"];
        let sas = reference["credential"]["sasUri"]
            .as_str()
            .unwrap_or_default();
        for file in &upload.files {
            emu.put_blob(&crate::provider::BlobRequest {
                url: crate::provider::upload::blob_url(sas, &file.path),
                body: file.content.to_vec(),
            });
        }
        crate::json_path::set(&mut body, upload.uri_path, reference["blobUri"].clone());
    }
    let req = ArmRequest {
        method: Method::Put,
        path: d.id.clone(),
        api_version: d.api_version.clone(),
        query: Vec::new(),
        body: Some(body),
    };
    let now = emu.clock() + 1;
    emu.handle(&req, now)
}

fn code(r: &super::super::ArmResponse) -> String {
    r.body
        .as_ref()
        .and_then(|b| b.pointer("/error/code"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn message(r: &super::super::ArmResponse) -> String {
    r.body
        .as_ref()
        .and_then(|b| b.pointer("/error/message"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A value of the attribute's type, in its wire form, other than `current`.
fn changed(attr: &AttrArmPath, current: Option<&Value>) -> Option<Value> {
    let s = attr.schema;
    let text = current.and_then(Value::as_str).unwrap_or_default();
    match s.wire {
        Wire::EnabledDisabled => {
            return Some(json!(if text.eq_ignore_ascii_case("Enabled") {
                "Disabled"
            } else {
                "Enabled"
            }));
        }
        Wire::IdMap => {
            let mut map = current.cloned().unwrap_or_else(|| json!({}));
            map.as_object_mut()?.insert(
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/other".into(),
                json!({}),
            );
            return Some(map);
        }
        Wire::Wrapped(key) => {
            let mut list = current.cloned().unwrap_or_else(|| json!([]));
            list.as_array_mut()?.push(json!({ key: "10.9.9.9" }));
            return Some(list);
        }
        Wire::FileContent => return Some(json!(format!("{text}# changed\n"))),
        _ => {}
    }
    Some(match s.ty {
        AttrType::Bool => json!(!current.and_then(Value::as_bool).unwrap_or(false)),
        AttrType::Enum(values) => {
            let other = values.iter().find(|v| !v.arm.eq_ignore_ascii_case(text))?;
            json!(other.arm)
        }
        AttrType::Integer { min, max } => {
            let n = current.and_then(Value::as_i64).unwrap_or(min.unwrap_or(1));
            if max.is_none_or(|m| n < m) {
                json!(n + 1)
            } else {
                json!(n - 1)
            }
        }
        AttrType::Number => json!(current.and_then(Value::as_f64).unwrap_or(0.0) + 1.0),
        AttrType::Duration { .. } => json!(if text == "PT7M" { "PT9M" } else { "PT7M" }),
        AttrType::Guid => json!(if text.starts_with('9') {
            "88888888-8888-8888-8888-888888888888"
        } else {
            "99999999-9999-9999-9999-999999999999"
        }),
        AttrType::VmSize => json!(if text.eq_ignore_ascii_case("Standard_E4s_v3") {
            "Standard_D2s_v3"
        } else {
            "Standard_E4s_v3"
        }),
        AttrType::List(_) => {
            let mut list = current.cloned().unwrap_or_else(|| json!([]));
            list.as_array_mut()?.push(json!("10.2.0.0/16"));
            list
        }
        AttrType::Map(inner) => {
            let mut map = current.cloned().unwrap_or_else(|| json!({}));
            let value = match inner {
                AttrType::Integer { .. } | AttrType::Number => json!(0),
                _ => json!("changed"),
            };
            map.as_object_mut()?.insert("changed".into(), value);
            map
        }
        // A string attribute whose path holds an object in this body (an FQDN rule's
        // `destination` in a private-endpoint rule) does not apply to it.
        _ if current.is_some_and(|c| !c.is_string()) => return None,
        _ => json!(format!("{text}2")),
    })
}

/// The lowered entries that are resources of their own (not partial entries such as traffic,
/// nor those whose ID is known only after apply, as a feature store's role assignment),
/// parents first, and an emulator holding them all.
fn applied(desired: &[Desired]) -> (Vec<&Desired>, Emulator) {
    let mut emu = Emulator::new(EmulatorOptions {
        polls_until_done: 0,
        ..EmulatorOptions::default()
    });
    let mut own: Vec<&Desired> = desired
        .iter()
        .filter(|d| d.partial_of.is_none() && !d.id_unknown)
        .collect();
    // Parents first; an uploaded asset version (a deployment's code) right after its
    // workspace, before the deployment that names it.
    let rank = |d: &Desired| match &d.upload {
        Some(_) => d.id.rsplitn(5, '/').nth(4).map_or(0, str::len) + 1,
        None => d.id.len(),
    };
    own.sort_by_key(|d| (rank(d), d.id.clone()));
    for d in &own {
        let r = put(&mut emu, d, &d.body);
        assert!(r.status < 300, "{} {}: {:?}", d.address, r.status, r.body);
    }
    (own, emu)
}

#[test]
fn every_create_only_attribute_is_refused_and_every_updatable_one_accepted() {
    let desired = lowered();
    let (own, base) = applied(&desired);

    let mut exercised: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut wrong = Vec::new();
    // Per excepted attribute: whether every change of it behaved as the descriptor says.
    let mut excepted_fine: std::collections::BTreeMap<(&str, String), bool> = Default::default();
    for d in &own {
        let Some(entry) = by_kind_name(&d.kind) else {
            continue;
        };
        let name = entry_name(entry);
        let semantics = entry.semantics();
        for attr in attribute_paths(entry) {
            let Some(current) = crate::json_path::get(&d.body, &attr.path) else {
                continue;
            };
            let Some(value) = changed(&attr, Some(current)) else {
                continue;
            };
            let mut body = d.body.clone();
            crate::json_path::set(&mut body, &attr.path, value.clone());
            let mut emu = base.clone();
            let r = put(&mut emu, d, &body);
            exercised.insert((name, attr.attr.clone()));
            let by_action = crate::schema::semantics::update_actions(entry.arm_type(), &d.body)
                .iter()
                .any(|a| a.path == attr.path);
            let expected = if attr.path == "location" {
                Some("InvalidResourceLocation")
            } else if by_action {
                // Changed through its action (`resize`), never by PUT.
                Some(semantics.create_only_code)
            } else if attr.create_only && entry.behavior().versioned_asset {
                // An asset version's content is immutable as a whole.
                Some("UserError")
            } else if attr.create_only {
                Some(semantics.create_only_code)
            } else {
                None
            };
            let excepted = EXCEPTIONS
                .iter()
                .any(|(k, a, _)| *k == name && *a == attr.attr);
            let ok = match expected {
                Some(c) => r.status == 400 && code(&r) == c,
                None => r.status < 300,
            };
            if excepted {
                *excepted_fine
                    .entry((name, attr.attr.clone()))
                    .or_insert(true) &= ok;
                continue;
            }
            if !ok {
                wrong.push(format!(
                    "{} {} ({}) = {value}: expected {}, got {} {} ({})",
                    d.address,
                    attr.attr,
                    attr.path,
                    expected.unwrap_or("success"),
                    r.status,
                    code(&r),
                    message(&r)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Every attribute with an ARM path was changed at least once, and no exception is stale.
    let mut untried = Vec::new();
    let mut described = BTreeSet::new();
    for k in KINDS {
        let entries =
            std::iter::once(EntryKind::Kind(k)).chain(k.children.iter().map(EntryKind::Produced));
        for entry in entries {
            for attr in attribute_paths(entry) {
                let key = (entry_name(entry), attr.attr.clone());
                described.insert(key.clone());
                let excepted = EXCEPTIONS
                    .iter()
                    .any(|(k, a, _)| *k == key.0 && *a == key.1);
                // The checker refuses an attribute at a read-only path (E0715) and the
                // lowering never sends one: there is no body to change it in.
                let read_only = entry
                    .semantics()
                    .read_only_at(entry.api_version())
                    .iter()
                    .any(|p| crate::json_path::is_within(&attr.path, p));
                if !exercised.contains(&key) && !excepted && !read_only {
                    untried.push(format!("{} {}", key.0, key.1));
                }
            }
        }
    }
    assert!(untried.is_empty(), "never changed: {untried:?}");
    for (k, a, why) in EXCEPTIONS {
        assert!(
            described.contains(&(*k, a.to_string())),
            "stale exception {k} {a} (no such attribute): {why}"
        );
    }
    let stale: Vec<_> = excepted_fine.iter().filter(|(_, fine)| **fine).collect();
    assert!(
        stale.is_empty(),
        "stale exceptions (they behave as the descriptor says): {stale:?}"
    );
}

/// `path` with `[]` (every element) read as element 0.
fn first_element(path: &str) -> String {
    path.replace("[]", ".0")
}

/// Another value of the same JSON type.
fn other_json(v: &Value) -> Value {
    match v {
        Value::Bool(b) => json!(!b),
        Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + 1.0),
        Value::String(s) => json!(format!("{s}2")),
        Value::Array(items) => {
            let mut items = items.clone();
            items.push(json!("other"));
            Value::Array(items)
        }
        _ => json!("other"),
    }
}

/// The create-only paths ARM has beyond the attributes' (the spec lists in the descriptors,
/// such as what a private endpoint's hook lowers its target into) are refused too.
#[test]
fn the_types_own_create_only_paths_are_refused() {
    let desired = lowered();
    let (own, base) = applied(&desired);
    let mut tried = BTreeSet::new();
    for d in &own {
        let Some(semantics) = crate::schema::arm_semantics(
            &super::path::ArmPath::parse(&d.id)
                .expect("an ID")
                .resource_type(),
        ) else {
            continue;
        };
        for spec in semantics.create_only {
            let path = first_element(spec);
            let Some(current) = crate::json_path::get(&d.body, &path) else {
                continue;
            };
            let mut body = d.body.clone();
            crate::json_path::set(&mut body, &path, other_json(current));
            let r = put(&mut base.clone(), d, &body);
            let expected = if by_kind_name(&d.kind).is_some_and(|e| e.behavior().versioned_asset) {
                "UserError"
            } else {
                semantics.create_only_code
            };
            assert_eq!(
                (r.status, code(&r).as_str()),
                (400, expected),
                "{} {spec}: {}",
                d.address,
                message(&r)
            );
            tried.insert(*spec);
        }
    }
    for spec in [
        "properties.computeType",
        "properties.endpointComputeType",
        "properties.roleDefinitionId",
        "properties.privateLinkServiceConnections[].properties.privateLinkServiceId",
        "properties.privateLinkServiceConnections[].properties.groupIds",
    ] {
        assert!(tried.contains(spec), "{spec} was never tried: {tried:?}");
    }
}

/// A PUT carrying a read-only property is accepted and the property keeps the service's value
/// (ARM ignores it); a secret is accepted and never returned.
#[test]
fn read_only_properties_are_ignored_and_secrets_never_returned() {
    let desired = lowered();
    let (own, base) = applied(&desired);
    let (mut read_only, mut secrets) = (0, 0);
    for d in &own {
        let Some(semantics) = crate::schema::arm_semantics(
            &super::path::ArmPath::parse(&d.id)
                .expect("an ID")
                .resource_type(),
        ) else {
            continue;
        };
        for ro in semantics.read_only_at(&d.api_version) {
            let mut body = d.body.clone();
            if !crate::json_path::set(&mut body, ro, json!("set-by-the-client")) {
                continue;
            }
            let mut emu = base.clone();
            let r = put(&mut emu, d, &body);
            assert!(
                r.status < 300,
                "{} {ro}: {} {}",
                d.address,
                r.status,
                message(&r)
            );
            let got = emu.resource(&d.id).expect("still there");
            assert_ne!(
                crate::json_path::get(&got, ro),
                Some(&json!("set-by-the-client")),
                "{} kept read-only {ro}",
                d.address
            );
            read_only += 1;
        }
        for secret in semantics.secrets {
            if crate::json_path::get(&d.body, secret).is_none() {
                continue;
            }
            let got = base.resource(&d.id).expect("there");
            assert_eq!(
                crate::json_path::get(&got, secret),
                None,
                "{} {secret}",
                d.address
            );
            secrets += 1;
        }
    }
    assert!(read_only > 20, "{read_only} read-only properties tried");
    assert!(secrets > 0, "no secret tried");
}
