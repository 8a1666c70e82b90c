//! The desired ARM requests: every example lowered and snapshotted, plus the properties of
//! the lowering that matter most to ARM (IDs, names, wire spellings, ordering edges).

use std::path::Path;

use amlplan::arm::Desired;
use amlplan::arm::lower::{implicit_names, lower, role_assignment_name};
use amlplan::compile::{Compilation, compile};
use amlplan::lang::instantiate::Inputs;
use serde_json::{Value, json};

use crate::support::{AZURE, manifest, repo};

fn compiled(dir: &Path) -> Compilation {
    let compilation = compile(dir, &Inputs::default());
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
    compilation
}

fn lowered(dir: &Path) -> Vec<Desired> {
    let compilation = compiled(dir);
    let today = amlplan::clock::parse_date(crate::support::TODAY).expect("a date");
    amlplan::clock::with_today(today, || {
        lower(&compilation.manifest, &compilation.sources)
            .unwrap_or_else(|d| panic!("{}: lowering failed: {d:#?}", dir.display()))
    })
}

fn example(name: &str) -> Vec<Desired> {
    lowered(&repo().join("examples").join(name))
}

fn find<'a>(entries: &'a [Desired], address: &str) -> &'a Desired {
    entries
        .iter()
        .find(|d| d.address == address)
        .unwrap_or_else(|| {
            let all: Vec<&str> = entries.iter().map(|d| d.address.as_str()).collect();
            panic!("no entry {address}; entries: {all:#?}")
        })
}

fn at<'a>(body: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(body, |v, part| match v {
        Value::Array(items) => &items[part.parse::<usize>().expect("an index")],
        _ => &v[part],
    })
}

fn as_json(entries: &[Desired]) -> Value {
    Value::Array(
        entries
            .iter()
            .map(|d| {
                let mut entry = json!({
                    "address": d.address,
                    "kind": d.kind,
                    "id": d.id,
                    "api_version": d.api_version,
                    "body": d.body,
                    "depends_on": d.depends_on,
                    "create_only": d.create_only.iter().map(|r| json!({"path": r.path, "attribute": r.attribute})).collect::<Vec<_>>(),
                    "sensitive": d.sensitive,
                    "implicit": d.implicit,
                    "partial_of": d.partial_of,
                    "lifecycle": {
                        "prevent_destroy": d.lifecycle.prevent_destroy,
                        "ignore_changes": d.lifecycle.ignore_changes,
                        "ignore_paths": d.lifecycle.ignore_paths,
                        "replace_versions": d.lifecycle.replace_versions,
                        "create_before_destroy": d.lifecycle.create_before_destroy,
                    },
                    "behavior": {
                        "delete_query": d.behavior.delete_query,
                        "versioned_asset": d.behavior.versioned_asset,
                        "soft_delete": d.behavior.soft_delete,
                        "retry_principal_not_found": d.behavior.retry_principal_not_found,
                        "server_paths": d.behavior.server_paths,
                        "case_insensitive_paths": d.behavior.case_insensitive_paths,
                    },
                });
                if d.has_unknown() {
                    // Only entries holding unknowns carry these, so other snapshots stay put.
                    entry["unknown"] = json!(d.unknown);
                    entry["id_unknown"] = json!(d.id_unknown);
                }
                entry
            })
            .collect(),
    )
}

fn example_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| crate::support::is_manifest_dir(p))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_example_lowers_and_matches_its_snapshot() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("snapshots/arm"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for name in example_names() {
            let entries = example(&name);
            insta::assert_json_snapshot!(name.as_str(), as_json(&entries));
        }
    });
}

#[test]
fn lowering_is_deterministic_and_sorted_by_address() {
    for name in example_names() {
        let a = example(&name);
        let b = example(&name);
        assert_eq!(a, b, "{name}");
        let addresses: Vec<&str> = a.iter().map(|d| d.address.as_str()).collect();
        let mut sorted = addresses.clone();
        sorted.sort();
        assert_eq!(addresses, sorted, "{name}");
        let mut unique = sorted.clone();
        unique.dedup();
        assert_eq!(unique.len(), sorted.len(), "{name}: duplicate addresses");
    }
}

#[test]
fn every_dependency_is_an_entry() {
    for name in example_names() {
        let entries = example(&name);
        for d in &entries {
            for dep in &d.depends_on {
                assert!(
                    entries.iter().any(|e| &e.address == dep),
                    "{name}: {} depends on {dep}, which is not planned",
                    d.address
                );
            }
        }
    }
}

#[test]
fn ids_are_arm_ids_under_the_azure_block() {
    let entries = example("fraud-detection");
    let rg = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-prod-rg";
    let ws = format!("{rg}/providers/Microsoft.MachineLearningServices/workspaces/fraud");
    let lake = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-data-rg/providers/Microsoft.Storage/storageAccounts/fraudlakeprod";
    assert_eq!(find(&entries, "workspace.fraud").id, ws);
    assert_eq!(
        find(&entries, "compute_cluster.gpu-train").id,
        format!("{ws}/computes/gpu-train")
    );
    assert_eq!(
        find(&entries, "environment.fraud-train").id,
        format!("{ws}/environments/fraud-train/versions/4")
    );
    assert_eq!(
        find(&entries, "data_asset.fraud-raw").id,
        format!("{ws}/data/fraud-raw/versions/1")
    );
    assert_eq!(
        find(&entries, "model.fraud").id,
        format!("{ws}/models/fraud/versions/7")
    );
    assert_eq!(
        find(&entries, "online_deployment.blue").id,
        format!("{ws}/onlineEndpoints/fraud/deployments/blue")
    );
    assert_eq!(
        find(&entries, "private_dns_zone.api.vnet_link.hub").id,
        format!(
            "{rg}/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms/virtualNetworkLinks/hub"
        )
    );
    for d in &entries {
        // The feature store's role on its offline store is scoped on the lake's container
        // (in the data team's group), and named after a principal known after apply.
        if d.address == "feature_store.fraud-features.offline_store_access" {
            assert!(
                d.id.starts_with(&format!(
                    "{lake}/blobServices/default/containers/features/providers/Microsoft.Authorization/roleAssignments/"
                )),
                "{}",
                d.id
            );
            assert!(d.id_unknown, "{}", d.id);
            continue;
        }
        assert!(d.id.starts_with(rg), "{}: {}", d.address, d.id);
        assert!(!d.id_unknown, "{}: {}", d.address, d.id);
    }
    // Asset versions are proxy resources: no location, tags inside properties.
    let model = find(&entries, "model.fraud");
    assert!(model.body.get("location").is_none());
    assert!(model.body.get("tags").is_none());
}

#[test]
fn api_versions_are_pinned() {
    let entries = example("fraud-detection");
    let version = |address: &str| find(&entries, address).api_version.as_str();
    assert_eq!(version("workspace.fraud"), "2025-12-01");
    assert_eq!(version("workspace.fraud.outbound_rule.pypi"), "2025-12-01");
    assert_eq!(version("online_endpoint.fraud.traffic"), "2025-12-01");
    assert_eq!(version("private_dns_zone.api"), "2024-06-01");
    assert_eq!(version("private_dns_zone.api.vnet_link.hub"), "2024-06-01");
    assert_eq!(version("private_endpoint.workspace"), "2024-05-01");
    assert_eq!(
        version("private_endpoint.workspace.dns_zone_group"),
        "2024-05-01"
    );
    assert_eq!(version("role_assignment.readers"), "2022-04-01");
    assert_eq!(version("workspace.fraud.storage_account"), "2023-05-01");
    assert_eq!(version("workspace.fraud.key_vault"), "2023-07-01");
    assert_eq!(
        version("workspace.fraud.application_insights"),
        "2020-02-02"
    );
    assert_eq!(version("workspace.fraud.log_analytics"), "2023-09-01");
}

#[test]
fn role_assignment_names_are_stable_uuid_v5_of_scope_principal_and_role() {
    let scope = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w";
    let principal = "f1801edf-8525-4074-ac69-362c527de83b";
    let role = "f6c7c914-8db3-469d-8ca1-694a8f32e121";
    let name = role_assignment_name(scope, principal, role);
    assert_eq!(name.get_version_num(), 5);
    assert_eq!(name, role_assignment_name(scope, principal, role));
    // ARM compares all three without regard to case.
    assert_eq!(
        name,
        role_assignment_name(&scope.to_uppercase(), &principal.to_uppercase(), role)
    );
    assert_ne!(
        name,
        role_assignment_name(scope, "6d204627-868c-4f14-bbd3-e45fc20c5917", role)
    );
    assert_ne!(
        name,
        role_assignment_name(&format!("{scope}2"), principal, role)
    );
    assert_ne!(
        name,
        role_assignment_name(scope, principal, "acdd72a7-3385-48ef-bd42-f606fba81ae7")
    );

    let entries = example("fraud-detection");
    let d = find(&entries, "role_assignment.data-scientists");
    let ws = &find(&entries, "workspace.fraud").id;
    let expected = role_assignment_name(ws, principal, role);
    assert_eq!(
        d.id,
        format!("{ws}/providers/Microsoft.Authorization/roleAssignments/{expected}")
    );
    assert_eq!(
        at(&d.body, "properties.roleDefinitionId"),
        &json!(format!(
            "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/providers/Microsoft.Authorization/roleDefinitions/{role}"
        ))
    );
    assert_eq!(at(&d.body, "properties.principalType"), &json!("Group"));
    assert!(d.behavior.retry_principal_not_found);
    assert_eq!(d.depends_on, vec!["workspace.fraud".to_string()]);
    // Three assignments of known principals, three names (the feature store's own is named
    // once its identity exists).
    let mut ids: Vec<&str> = entries
        .iter()
        .filter(|d| d.kind == "role_assignment" && !d.id_unknown)
        .map(|d| d.id.as_str())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3);
}

#[test]
fn outbound_rules_are_entries_of_their_own() {
    let entries = example("fraud-detection");
    let ws = find(&entries, "workspace.fraud");
    assert!(
        at(&ws.body, "properties.managedNetwork")
            .get("outboundRules")
            .is_none(),
        "{:#}",
        ws.body
    );
    assert_eq!(
        at(&ws.body, "properties.managedNetwork.isolationMode"),
        &json!("AllowOnlyApprovedOutbound")
    );
    assert_eq!(
        at(&ws.body, "properties.managedNetwork.firewallSku"),
        &json!("Standard")
    );
    assert_eq!(at(&ws.body, "properties.provisionNetworkNow"), &json!(true));
    assert_eq!(
        at(&ws.body, "properties.publicNetworkAccess"),
        &json!("Disabled")
    );
    let pypi = find(&entries, "workspace.fraud.outbound_rule.pypi");
    assert_eq!(pypi.kind, "outbound_rule");
    assert_eq!(pypi.id, format!("{}/outboundRules/pypi", ws.id));
    assert_eq!(
        pypi.body,
        json!({"properties": {"type": "FQDN", "category": "UserDefined", "destination": "pypi.org"}})
    );
    assert_eq!(pypi.depends_on, vec!["workspace.fraud".to_string()]);
    let lake = find(&entries, "workspace.fraud.outbound_rule.lake");
    assert_eq!(
        at(&lake.body, "properties.destination"),
        &json!({
            "serviceResourceId": "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-data-rg/providers/Microsoft.Storage/storageAccounts/fraudlakeprod",
            "subresourceTarget": "blob",
            "sparkEnabled": false,
        })
    );
    assert!(
        lake.create_only
            .iter()
            .any(|r| r.path == "properties.destination.serviceResourceId"
                && r.attribute == "resource_id")
    );
    // The workspace's four and the feature store's rule to the lake.
    let rules = entries.iter().filter(|d| d.kind == "outbound_rule").count();
    assert_eq!(rules, 5);
}

#[test]
fn traffic_is_a_partial_entry_after_both_deployments() {
    let entries = example("fraud-detection");
    let endpoint = find(&entries, "online_endpoint.fraud");
    assert!(at(&endpoint.body, "properties").get("traffic").is_none());
    assert!(
        at(&endpoint.body, "properties")
            .get("mirrorTraffic")
            .is_none()
    );
    assert_eq!(
        at(&endpoint.body, "properties.authMode"),
        &json!("AADToken")
    );
    let traffic = find(&entries, "online_endpoint.fraud.traffic");
    assert_eq!(traffic.kind, "endpoint_traffic");
    assert_eq!(traffic.id, endpoint.id);
    assert_eq!(traffic.partial_of.as_deref(), Some("online_endpoint.fraud"));
    assert_eq!(
        traffic.body,
        json!({"properties": {"traffic": {"blue": 90, "green": 10}, "mirrorTraffic": {}}})
    );
    for dep in [
        "online_endpoint.fraud",
        "online_deployment.blue",
        "online_deployment.green",
    ] {
        assert!(
            traffic.depends_on.iter().any(|d| d == dep),
            "{:?}",
            traffic.depends_on
        );
    }
    // And through a module.
    let entries = example("platform-modules");
    let traffic = find(&entries, "module.serving.online_endpoint.this.traffic");
    assert_eq!(
        traffic.depends_on,
        vec![
            "module.serving.online_deployment.blue".to_string(),
            "module.serving.online_deployment.green".to_string(),
            "module.serving.online_endpoint.this".to_string(),
        ]
    );
    assert_eq!(
        at(&traffic.body, "properties.traffic"),
        &json!({"blue": 80, "green": 20})
    );
}

#[test]
fn deployments_depend_on_endpoint_model_and_environment() {
    let entries = example("fraud-detection");
    let blue = find(&entries, "online_deployment.blue");
    assert_eq!(
        blue.depends_on,
        vec![
            "environment.fraud-train".to_string(),
            "model.fraud".to_string(),
            "online_deployment.blue.code".to_string(),
            "online_endpoint.fraud".to_string(),
        ]
    );
    // The scoring code is a code version of its own, which the deployment names.
    let code = find(&entries, "online_deployment.blue.code");
    assert_eq!(
        at(&blue.body, "properties.codeConfiguration.codeId"),
        &json!(code.id)
    );
    assert!(
        code.id
            .contains("/workspaces/fraud/codes/fraud-blue/versions/")
    );
    assert!(code.upload.as_ref().is_some_and(|u| u.files.len() == 1));
    assert_eq!(
        at(&blue.body, "sku"),
        &json!({"name": "Default", "capacity": 2})
    );
    assert_eq!(
        at(&blue.body, "properties.endpointComputeType"),
        &json!("Managed")
    );
    assert_eq!(
        at(&blue.body, "properties.model"),
        &json!(find(&entries, "model.fraud").id)
    );
    assert_eq!(
        at(&blue.body, "properties.environmentId"),
        &json!(find(&entries, "environment.fraud-train").id)
    );
    assert_eq!(
        at(&blue.body, "properties.codeConfiguration"),
        &json!({"scoringScript": "score.py", "codeId": code.id})
    );
    // Managed deployments take only the default scale settings (issue 7, item 2): `scale`
    // is an autoscale setting of its own, which owns the deployment's capacity.
    assert_eq!(
        at(&blue.body, "properties.scaleSettings"),
        &json!({"scaleType": "Default"})
    );
    assert!(blue.lifecycle.ignore_paths.contains(&"sku.capacity".into()));
    assert!(
        blue.behavior
            .preserve_paths
            .contains(&"sku.capacity".into())
    );
    let autoscale = find(&entries, "online_deployment.blue.autoscale_setting");
    assert_eq!(
        autoscale.id,
        blue.id.split("/providers/").next().unwrap().to_string()
            + "/providers/Microsoft.Insights/autoscalesettings/fraud-blue-autoscale"
    );
    assert_eq!(
        autoscale.depends_on,
        vec!["online_deployment.blue".to_string()]
    );
    assert_eq!(
        at(&autoscale.body, "properties.targetResourceUri"),
        &json!(blue.id)
    );
    let profile = at(&autoscale.body, "properties.profiles.0");
    assert_eq!(
        profile["capacity"],
        json!({"minimum": "2", "maximum": "4", "default": "2"})
    );
    let rule = |i: usize| &profile["rules"][i];
    assert_eq!(
        rule(0)["metricTrigger"]["metricName"],
        "CpuUtilizationPercentage"
    );
    assert_eq!(
        rule(0)["metricTrigger"]["metricResourceUri"],
        json!(blue.id)
    );
    assert_eq!(
        (
            &rule(0)["metricTrigger"]["operator"],
            &rule(0)["metricTrigger"]["threshold"]
        ),
        (&json!("GreaterThan"), &json!(70))
    );
    assert_eq!(rule(0)["scaleAction"]["direction"], "Increase");
    assert_eq!(
        (
            &rule(1)["metricTrigger"]["operator"],
            &rule(1)["metricTrigger"]["threshold"]
        ),
        (&json!("LessThan"), &json!(35))
    );
    assert_eq!(rule(1)["scaleAction"]["direction"], "Decrease");
    let green = find(&entries, "online_deployment.green");
    assert!(
        !entries
            .iter()
            .any(|d| d.address == "online_deployment.green.autoscale_setting")
    );
    assert_eq!(
        at(&green.body, "properties.scaleSettings"),
        &json!({"scaleType": "Default"})
    );
    assert_eq!(
        at(&green.body, "properties.egressPublicNetworkAccess"),
        &json!("Disabled")
    );
}

#[test]
fn implicit_resources_have_secure_defaults() {
    let entries = example("fraud-detection");
    let ws = find(&entries, "workspace.fraud");
    let sa = find(&entries, "workspace.fraud.storage_account");
    assert!(sa.implicit);
    assert_eq!(sa.kind, "storage_account");
    assert_eq!(sa.span, ws.span);
    assert_eq!(
        at(&sa.body, "properties.minimumTlsVersion"),
        &json!("TLS1_2")
    );
    assert_eq!(
        at(&sa.body, "properties.allowBlobPublicAccess"),
        &json!(false)
    );
    assert_eq!(
        at(&sa.body, "properties.supportsHttpsTrafficOnly"),
        &json!(true)
    );
    assert_eq!(
        at(&sa.body, "properties.publicNetworkAccess"),
        &json!("Disabled")
    );
    assert_eq!(at(&sa.body, "kind"), &json!("StorageV2"));
    assert_eq!(at(&sa.body, "sku.name"), &json!("Standard_LRS"));
    // The workspace's data: protected with it.
    assert!(sa.lifecycle.prevent_destroy);

    let kv = find(&entries, "workspace.fraud.key_vault");
    assert_eq!(
        at(&kv.body, "properties.enableRbacAuthorization"),
        &json!(true)
    );
    assert_eq!(
        at(&kv.body, "properties.enablePurgeProtection"),
        &json!(true)
    );
    assert_eq!(
        at(&kv.body, "properties.publicNetworkAccess"),
        &json!("Disabled")
    );
    assert_eq!(kv.unknown, ["properties.tenantId"]);
    assert_eq!(at(&kv.body, "properties.tenantId"), &Value::Null);
    // A vault is not deleted with the workspace's `forceToPurge` (issue 7, item 7): a
    // purge-protected one cannot be purged, and a deleted one is recovered instead.
    assert!(!kv.behavior.soft_delete);
    assert!(find(&entries, "workspace.fraud").behavior.soft_delete);

    let appi = find(&entries, "workspace.fraud.application_insights");
    let log = find(&entries, "workspace.fraud.log_analytics");
    assert_eq!(
        at(&appi.body, "properties.WorkspaceResourceId"),
        &json!(log.id)
    );
    assert_eq!(appi.depends_on, vec![log.address.clone()]);

    assert_eq!(at(&ws.body, "properties.storageAccount"), &json!(sa.id));
    assert_eq!(at(&ws.body, "properties.keyVault"), &json!(kv.id));
    assert_eq!(
        at(&ws.body, "properties.applicationInsights"),
        &json!(appi.id)
    );
    for dep in [&sa.address, &kv.address, &appi.address] {
        assert!(ws.depends_on.contains(dep), "{:?}", ws.depends_on);
    }
}

#[test]
fn implicit_names_fit_azure_rules() {
    for workspace in [
        "fraud",
        "mlw-platform",
        "A_very_long_workspace_name_1234567",
        "x__y",
        "0ws",
    ] {
        let names = implicit_names("sub", "rg", workspace);
        assert_eq!(names, implicit_names("SUB", "RG", workspace));
        assert_ne!(names, implicit_names("sub", "rg2", workspace));
        let sa = &names.storage_account;
        assert!((3..=24).contains(&sa.len()), "{sa}");
        assert!(
            sa.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "{sa}"
        );
        let kv = &names.key_vault;
        assert!((3..=24).contains(&kv.len()), "{kv}");
        assert!(kv.starts_with(|c: char| c.is_ascii_alphabetic()), "{kv}");
        assert!(kv.ends_with(|c: char| c.is_ascii_alphanumeric()), "{kv}");
        assert!(!kv.contains("--"), "{kv}");
        assert!(
            kv.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{kv}"
        );
        let log = &names.log_analytics;
        assert!((4..=63).contains(&log.len()), "{log}");
        assert!(
            log.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !log.ends_with('-'),
            "{log}"
        );
    }
}

#[test]
fn durations_are_iso_8601_and_enums_arm_spelled() {
    let entries = example("fraud-detection");
    let gpu = find(&entries, "compute_cluster.gpu-train");
    assert_eq!(
        at(
            &gpu.body,
            "properties.properties.scaleSettings.nodeIdleTimeBeforeScaleDown"
        ),
        &json!("PT2M")
    );
    assert_eq!(
        at(&gpu.body, "properties.properties.vmPriority"),
        &json!("LowPriority")
    );
    assert_eq!(
        at(&gpu.body, "properties.computeType"),
        &json!("AmlCompute")
    );
    assert_eq!(at(&gpu.body, "properties.disableLocalAuth"), &json!(true));
    assert_eq!(
        at(
            &gpu.body,
            "properties.properties.remoteLoginPortPublicAccess"
        ),
        &json!("Disabled")
    );
    assert_eq!(
        at(&gpu.body, "identity"),
        &json!({"type": "SystemAssigned"})
    );
    assert_eq!(
        gpu.behavior.delete_query,
        vec![("underlyingResourceAction".to_string(), "Delete".to_string())]
    );
    let ci = find(&entries, "compute_instance.alice-dev");
    assert_eq!(
        at(&ci.body, "properties.properties.idleTimeBeforeShutdown"),
        &json!("PT30M")
    );
    assert_eq!(
        at(&ci.body, "properties.properties.schedules.computeStartStop"),
        &json!([{
            "action": "Stop",
            "triggerType": "Cron",
            "status": "Enabled",
            "cron": {"expression": "0 20 * * 1-5", "timeZone": "UTC"},
        }])
    );
    assert_eq!(
        at(
            &ci.body,
            "properties.properties.personalComputeInstanceSettings.assignedUser"
        ),
        &json!({"objectId": "4f0602f4-5376-45c5-9c86-e7d3d505290f", "tenantId": "14574b3e-992e-46fe-9036-ddcf276ea6da"})
    );
    let blue = find(&entries, "online_deployment.blue");
    assert_eq!(
        at(&blue.body, "properties.requestSettings.requestTimeout"),
        &json!("PT5S")
    );
    let ws = find(&entries, "workspace.fraud");
    assert_eq!(at(&ws.body, "identity.type"), &json!("SystemAssigned"));
    assert_eq!(
        at(&ws.body, "sku"),
        &json!({"name": "Basic", "tier": "Basic"})
    );
    assert_eq!(at(&ws.body, "properties.hbiWorkspace"), &json!(true));
    assert!(ws.behavior.soft_delete);
    assert!(ws.lifecycle.prevent_destroy);
}

#[test]
fn conda_file_content_is_sent_inline() {
    let entries = example("fraud-detection");
    let env = find(&entries, "environment.fraud-train");
    let content =
        std::fs::read_to_string(repo().join("examples/fraud-detection/env/conda.yml")).unwrap();
    assert_eq!(at(&env.body, "properties.condaFile"), &json!(content));
    assert!(env.behavior.versioned_asset);
    assert!(
        env.create_only
            .iter()
            .any(|r| r.path == "properties.condaFile" && r.attribute == "conda_file")
    );
    assert_eq!(at(&env.body, "properties.osType"), &json!("Linux"));
}

#[test]
fn private_endpoint_and_its_zone_group() {
    let entries = example("fraud-detection");
    let pe = find(&entries, "private_endpoint.workspace");
    let ws = find(&entries, "workspace.fraud");
    assert_eq!(
        at(&pe.body, "properties.privateLinkServiceConnections"),
        &json!([{"name": "workspace", "properties": {"privateLinkServiceId": ws.id, "groupIds": ["amlworkspace"]}}])
    );
    assert_eq!(pe.depends_on, vec!["workspace.fraud".to_string()]);
    let group = find(&entries, "private_endpoint.workspace.dns_zone_group");
    assert_eq!(group.kind, "dns_zone_group");
    assert_eq!(group.id, format!("{}/privateDnsZoneGroups/default", pe.id));
    let api = find(&entries, "private_dns_zone.api");
    let notebooks = find(&entries, "private_dns_zone.notebooks");
    assert_eq!(
        group.body,
        json!({"properties": {"privateDnsZoneConfigs": [
            {"name": "privatelink-api-azureml-ms", "properties": {"privateDnsZoneId": api.id}},
            {"name": "privatelink-notebooks-azure-net", "properties": {"privateDnsZoneId": notebooks.id}},
        ]}})
    );
    assert_eq!(
        group.depends_on,
        vec![
            "private_dns_zone.api".to_string(),
            "private_dns_zone.notebooks".to_string(),
            "private_endpoint.workspace".to_string(),
        ]
    );
    assert_eq!(at(&api.body, "location"), &json!("global"));
    let link = find(&entries, "private_dns_zone.api.vnet_link.hub");
    assert_eq!(
        link.body,
        json!({
            "location": "global",
            "properties": {
                "virtualNetwork": {"id": "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-network-rg/providers/Microsoft.Network/virtualNetworks/fraud-hub-vnet"},
                "registrationEnabled": false,
                "resolutionPolicy": "Default",
            },
        })
    );
    assert_eq!(link.depends_on, vec!["private_dns_zone.api".to_string()]);
}

/// A small manifest exercising what the examples do not: sensitive variables, values known
/// after apply, A records, manual approval, a batch deployment, lifecycle mappings.
fn scratch() -> tempfile::TempDir {
    manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
variable "owner" {{
  type      = string
  default   = "secret-team"
  sensitive = true
}}

variable "password" {{
  type      = string
  default   = "Hunter2hunter2!"
  sensitive = true
}}

workspace "wsp" {{
  public_network_access = true
  storage_account       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mysa"
  tags                  = {{ owner = var.owner }}
  lifecycle {{
    ignore_changes = [tags, managed_network]
  }}
  managed_network {{
    isolation_mode = "allow_internet_outbound"
    outbound_rule "aad" {{
      type        = "service_tag"
      service_tag = "AzureActiveDirectory"
      protocol    = "tcp"
      ports       = "443"
    }}
  }}
}}

compute_cluster "cpu" {{
  workspace = workspace.wsp
  vm_size   = "Standard_DS3_v2"
  max_nodes = 2
  identity {{ type = "system_assigned" }}
  ssh {{
    admin_username = "azureuser"
    admin_password = var.password
  }}
  lifecycle {{
    ignore_changes = [max_nodes]
  }}
}}

role_assignment "cpu-reader" {{
  role           = "Reader"
  principal_id   = compute_cluster.cpu.principal_id
  principal_type = "service_principal"
  scope          = workspace.wsp
}}

role_assignment "rg-reader" {{
  role         = "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
  principal_id = "071c4e32-9cde-4e36-a9a5-fc42c314b53f"
  scope        = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/other"
}}

batch_endpoint "bep" {{
  workspace          = workspace.wsp
  default_deployment = "one"
  depends_on         = [private_dns_zone.z]
}}

batch_deployment "one" {{
  endpoint = batch_endpoint.bep
  compute  = compute_cluster.cpu
  model    = "azureml:churn:1"
  retry {{
    max_retries = 2
    timeout     = "1m30s"
  }}
}}

private_dns_zone "z" {{
  name = "contoso.internal"
  a_record "gw" {{
    ttl  = 10
    ipv4 = ["10.0.1.5", "10.0.1.6"]
  }}
}}

private_endpoint "pe" {{
  target          = workspace.wsp
  group           = "amlworkspace"
  subnet          = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
  manual_approval = true
  request_message = "please"
}}
"#
        ),
    )])
}

#[test]
fn sensitive_values_are_listed() {
    let dir = scratch();
    let entries = lowered(dir.path());
    let cpu = find(&entries, "compute_cluster.cpu");
    assert!(
        cpu.sensitive.contains(
            &"properties.properties.userAccountCredentials.adminUserPassword".to_string()
        ),
        "{:?}",
        cpu.sensitive
    );
    let ws = find(&entries, "workspace.wsp");
    assert_eq!(ws.sensitive, vec!["tags".to_string()]);
    // The implicit resources carry the workspace's tags, and their sensitivity.
    let kv = find(&entries, "workspace.wsp.key_vault");
    assert_eq!(kv.sensitive, vec!["tags".to_string()]);
}

#[test]
fn values_known_after_apply_are_marked() {
    let dir = scratch();
    let entries = lowered(dir.path());
    let ra = find(&entries, "role_assignment.cpu-reader");
    assert_eq!(ra.unknown, ["properties.principalId"]);
    assert_eq!(at(&ra.body, "properties.principalId"), &Value::Null);
    assert!(ra.id_unknown);
    assert!(
        ra.id
            .ends_with(&format!("/roleAssignments/{}", amlplan::arm::UNKNOWN_TEXT)),
        "{}",
        ra.id
    );
    assert_eq!(
        ra.depends_on,
        vec![
            "compute_cluster.cpu".to_string(),
            "workspace.wsp".to_string()
        ]
    );
}

#[test]
fn scratch_manifest_lowers_each_kind_by_its_rules() {
    let dir = scratch();
    let entries = lowered(dir.path());
    let ws = find(&entries, "workspace.wsp");
    // Given storage: no implicit storage account; public: implicit ones stay public.
    assert!(
        entries
            .iter()
            .all(|d| d.address != "workspace.wsp.storage_account")
    );
    assert_eq!(
        at(&ws.body, "properties.storageAccount"),
        &json!(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mysa"
        )
    );
    let kv = find(&entries, "workspace.wsp.key_vault");
    // Isolation is on, so the key vault is private all the same.
    assert_eq!(
        at(&kv.body, "properties.publicNetworkAccess"),
        &json!("Disabled")
    );
    assert_eq!(
        at(&ws.body, "properties.publicNetworkAccess"),
        &json!("Enabled")
    );
    assert_eq!(
        ws.lifecycle.ignore_paths,
        vec![
            "properties.managedNetwork".to_string(),
            "properties.provisionNetworkNow".to_string(),
            "tags".to_string()
        ]
    );
    let rule = find(&entries, "workspace.wsp.outbound_rule.aad");
    assert_eq!(
        rule.body,
        json!({"properties": {"type": "ServiceTag", "category": "UserDefined", "destination": {"serviceTag": "AzureActiveDirectory", "protocol": "TCP", "portRanges": "443"}}})
    );
    // `managed_network` covers the rules too.
    assert_eq!(rule.lifecycle.ignore_paths, vec!["properties".to_string()]);

    let cpu = find(&entries, "compute_cluster.cpu");
    assert_eq!(
        cpu.lifecycle.ignore_paths,
        vec!["properties.properties.scaleSettings.maxNodeCount".to_string()]
    );
    assert!(
        cpu.create_only
            .iter()
            .any(|r| r.path == "properties.properties.vmSize" && r.attribute == "vm_size")
    );
    assert!(
        !cpu.create_only
            .iter()
            .any(|r| r.path.contains("scaleSettings"))
    );

    let bd = find(&entries, "batch_deployment.one");
    assert_eq!(
        at(&bd.body, "properties.model"),
        &json!({"referenceType": "Id", "assetId": "azureml:churn:1"})
    );
    assert_eq!(at(&bd.body, "properties.compute"), &json!(cpu.id));
    assert_eq!(
        at(&bd.body, "properties.retrySettings.timeout"),
        &json!("PT1M30S")
    );
    assert_eq!(
        at(&bd.body, "properties.resources.instanceCount"),
        &json!(1)
    );
    let be = find(&entries, "batch_endpoint.bep");
    assert_eq!(at(&be.body, "properties.authMode"), &json!("AADToken"));
    // The default deployment is set once the deployment exists, by a partial entry.
    assert!(at(&be.body, "properties").get("defaults").is_none());
    let defaults = find(&entries, "batch_endpoint.bep.defaults");
    assert_eq!(defaults.kind, "batch_endpoint_defaults");
    assert_eq!(defaults.id, be.id);
    assert_eq!(defaults.partial_of.as_deref(), Some("batch_endpoint.bep"));
    assert_eq!(
        at(&defaults.body, "properties.defaults.deploymentName"),
        &json!("one")
    );
    assert!(defaults.depends_on.iter().any(|d| d == &bd.address));

    let record = find(&entries, "private_dns_zone.z.a_record.gw");
    assert_eq!(record.kind, "a_record");
    assert!(
        record
            .id
            .ends_with("/privateDnsZones/contoso.internal/A/gw")
    );
    assert_eq!(
        record.body,
        json!({"properties": {"ttl": 10, "aRecords": [{"ipv4Address": "10.0.1.5"}, {"ipv4Address": "10.0.1.6"}]}})
    );

    let pe = find(&entries, "private_endpoint.pe");
    assert!(
        at(&pe.body, "properties")
            .get("privateLinkServiceConnections")
            .is_none()
    );
    assert_eq!(
        at(
            &pe.body,
            "properties.manualPrivateLinkServiceConnections.0.properties.requestMessage"
        ),
        &json!("please")
    );
    assert!(
        entries
            .iter()
            .all(|d| d.address != "private_endpoint.pe.dns_zone_group")
    );
}

#[test]
fn role_assignment_scope_and_role_given_as_ids() {
    let dir = scratch();
    let entries = lowered(dir.path());
    let ra = find(&entries, "role_assignment.rg-reader");
    let scope = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/other";
    let name = role_assignment_name(
        scope,
        "071c4e32-9cde-4e36-a9a5-fc42c314b53f",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    );
    assert_eq!(
        ra.id,
        format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}")
    );
    // In the form ARM reports it: the subscription of the assignment.
    assert_eq!(
        at(&ra.body, "properties.roleDefinitionId"),
        &json!(
            "/subscriptions/22222222-2222-2222-2222-222222222222/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
        )
    );
    assert!(ra.depends_on.is_empty(), "{:?}", ra.depends_on);
    let be = find(&entries, "batch_endpoint.bep");
    assert_eq!(
        be.depends_on,
        vec![
            "private_dns_zone.z".to_string(),
            "workspace.wsp".to_string()
        ]
    );
}

#[test]
fn a_conda_file_gone_since_the_check_is_an_error() {
    let dir = manifest(&[
        (
            "main.hcl",
            &format!(
                r#"{AZURE}
workspace "wsp" {{
}}

environment "env" {{
  workspace  = workspace.wsp
  version    = "1"
  image      = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"
  conda_file = "conda.yml"
}}
"#
            ),
        ),
        ("conda.yml", "name: x\n"),
    ]);
    let compilation = compiled(dir.path());
    std::fs::remove_file(dir.path().join("conda.yml")).unwrap();
    let errors = lower(&compilation.manifest, &compilation.sources).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code.as_str(), "E0102");
    assert!(
        errors[0].message.contains("conda.yml"),
        "{}",
        errors[0].message
    );
}

#[test]
fn an_online_endpoint_has_a_system_assigned_identity_unless_the_manifest_names_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.hcl"),
        r#"
azure {
  subscription_id = "00000000-0000-0000-0000-000000000000"
  resource_group  = "rg"
  location        = "eastus"
}

workspace "mlw" {}

online_endpoint "plain" {
  workspace = workspace.mlw
}

online_endpoint "uai" {
  workspace = workspace.mlw
  identity {
    type              = "user_assigned"
    user_assigned_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"]
  }
}
"#,
    )
    .expect("write");
    let entries = lowered(dir.path());
    let plain = find(&entries, "online_endpoint.plain");
    assert_eq!(plain.body["identity"], json!({"type": "SystemAssigned"}));
    // The plan names the default by the attribute that would set it.
    let origin = plain
        .origins
        .iter()
        .find(|o| o.path == "identity.type")
        .expect("identity.type has an origin");
    assert_eq!(origin.attribute, "identity.type");
    let uai = find(&entries, "online_endpoint.uai");
    assert_eq!(uai.body["identity"]["type"], json!("UserAssigned"));
}

/// ARM drops a read-only property a request carries (issue 7, item 5): no example or kind
/// fixture sends one at its api-version. A service tag rule's `address_prefixes` was
/// read-only at 2025-09-01 (E0715) and is writable at 2025-12-01, the api-version sent: it
/// checks and is sent (item 17).
#[test]
fn no_body_carries_a_read_only_property() {
    let mut dirs: Vec<(String, tempfile::TempDir)> = Vec::new();
    for kind in amlplan::schema::KINDS {
        let dir = tempfile::tempdir().expect("temp dir");
        crate::support::copy_fixture(&format!("kinds/{}", kind.kind), dir.path());
        dirs.push((kind.kind.to_string(), dir));
    }
    let mut entries: Vec<Desired> = example_names().iter().flat_map(|n| example(n)).collect();
    for (_, dir) in &dirs {
        entries.extend(lowered(dir.path()));
    }
    let prefixes = manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
workspace "wss" {{
  managed_network {{
    isolation_mode = "allow_only_approved_outbound"
    outbound_rule "range" {{
      type             = "service_tag"
      address_prefixes = ["10.1.0.0/24"]
      protocol         = "tcp"
      ports            = "443"
    }}
  }}
}}
"#
        ),
    )]);
    let compilation = compile(prefixes.path(), &Inputs::default());
    assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
    let range = lower(&compilation.manifest, &compilation.sources).expect("lowers");
    let rule = find(&range, "workspace.wss.outbound_rule.range");
    assert_eq!(rule.api_version, "2025-12-01");
    assert_eq!(
        rule.body["properties"]["destination"]["addressPrefixes"],
        json!(["10.1.0.0/24"])
    );
    entries.extend(range);
    let mut sent = Vec::new();
    for d in &entries {
        let semantics = amlplan::schema::by_kind_name(&d.kind)
            .unwrap_or_else(|| panic!("{}: no descriptor", d.kind))
            .semantics();
        for p in semantics.read_only_at(&d.api_version) {
            if amlplan::json_path::get(&d.body, p).is_some() {
                sent.push(format!("{} {p}", d.address));
            }
        }
    }
    assert!(sent.is_empty(), "read-only properties sent: {sent:#?}");
}

/// Datastore bodies as `az ml datastore create` sends them: the account name from the
/// storage account's ID, `core.windows.net` and `https`, the container under the type's own
/// property, identity access as `credentialsType: None`, and a secret only in the request
/// (listed sensitive, with its secrets type); an asset whose path names a declared datastore
/// depends on it.
#[test]
fn datastore_bodies_and_the_assets_that_use_them() {
    let account = |name: &str| {
        format!(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/{name}"
        )
    };
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
variable "key" {{
  type      = string
  default   = "a2V5"
  sensitive = true
}}

workspace "wsd" {{}}

datastore "lake" {{
  workspace       = workspace.wsd
  type            = "adls_gen2"
  storage_account = "{lake}"
  container       = "raw"
}}

datastore "blobs" {{
  workspace       = workspace.wsd
  type            = "azure_blob"
  storage_account = "{blobs}"
  container       = "exports"
  credentials     = "account_key"
  account_key     = var.key
  description     = "exports"
}}

datastore "share" {{
  workspace       = workspace.wsd
  type            = "azure_file"
  storage_account = "{share}"
  container       = "team"
  credentials     = "service_principal"
  service_principal {{
    tenant_id     = "11111111-1111-1111-1111-111111111111"
    client_id     = "22222222-2222-2222-2222-222222222222"
    client_secret = "s3cret"
  }}
}}

data_asset "raw" {{
  workspace = workspace.wsd
  version   = "1"
  type      = "uri_folder"
  path      = "azureml://datastores/LAKE/paths/raw/"
}}

model "m" {{
  workspace = workspace.wsd
  version   = "1"
  path      = "azureml://datastores/workspaceblobstore/paths/m/"
}}
"#,
            lake = account("fraudlake"),
            blobs = account("exportsacct"),
            share = account("teamfiles"),
        ),
    )]);
    let entries = lowered(dir.path());
    let lake = find(&entries, "datastore.lake");
    assert!(
        lake.id.ends_with("/workspaces/wsd/datastores/lake"),
        "{}",
        lake.id
    );
    assert_eq!(
        lake.body,
        json!({"properties": {
            "datastoreType": "AzureDataLakeGen2",
            "accountName": "fraudlake",
            "filesystem": "raw",
            "endpoint": "core.windows.net",
            "protocol": "https",
            "credentials": {"credentialsType": "None"},
        }})
    );
    assert!(lake.sensitive.is_empty());
    let blobs = find(&entries, "datastore.blobs");
    assert_eq!(
        blobs.body,
        json!({"properties": {
            "datastoreType": "AzureBlob",
            "accountName": "exportsacct",
            "containerName": "exports",
            "endpoint": "core.windows.net",
            "protocol": "https",
            "description": "exports",
            "credentials": {
                "credentialsType": "AccountKey",
                "secrets": {"secretsType": "AccountKey", "key": "a2V5"},
            },
        }})
    );
    assert_eq!(
        blobs.sensitive,
        [
            "properties.credentials.secrets.key",
            "properties.credentials.secrets.secretsType"
        ]
    );
    let share = find(&entries, "datastore.share");
    assert_eq!(
        share.body["properties"],
        json!({
            "datastoreType": "AzureFile",
            "accountName": "teamfiles",
            "fileShareName": "team",
            "endpoint": "core.windows.net",
            "protocol": "https",
            "credentials": {
                "credentialsType": "ServicePrincipal",
                "tenantId": "11111111-1111-1111-1111-111111111111",
                "clientId": "22222222-2222-2222-2222-222222222222",
                "authorityUrl": "https://login.microsoftonline.com/",
                "secrets": {"secretsType": "ServicePrincipal", "clientSecret": "s3cret"},
            },
        })
    );
    assert!(
        share
            .sensitive
            .contains(&"properties.credentials.secrets.clientSecret".to_string())
    );
    // Datastore names are case-insensitive; a built-in one is no entry to depend on.
    let raw = find(&entries, "data_asset.raw");
    assert_eq!(raw.depends_on, ["datastore.lake", "workspace.wsd"]);
    let m = find(&entries, "model.m");
    assert_eq!(m.depends_on, ["workspace.wsd"]);
}

/// A deployment on an attached Kubernetes cluster: `endpointComputeType: Kubernetes` and its
/// instance type by name; its endpoint names the cluster (and is written after it); the
/// cluster's body is the attachment `az ml compute attach` sends, with its instance types
/// keyed by name, and destroying it detaches it.
#[test]
fn kubernetes_deployments_and_the_attached_cluster() {
    let aks = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/aks/providers/Microsoft.ContainerService/managedClusters/aks-prod";
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
workspace "wsk" {{}}

kubernetes_compute "aks" {{
  workspace = workspace.wsk
  cluster   = "{aks}"
  namespace = "azureml"
  identity {{ type = "system_assigned" }}
  instance_type "cpu-small" {{
    cpu    = "1"
    memory = "4Gi"
  }}
  instance_type "gpu" {{
    cpu           = "4"
    memory        = "16Gi"
    gpu           = 1
    node_selector = {{ pool = "gpu" }}
  }}
}}

online_endpoint "scoring" {{
  workspace = workspace.wsk
}}

online_deployment "blue" {{
  endpoint      = online_endpoint.scoring
  compute       = kubernetes_compute.aks
  instance_type = "gpu"
  # Kubernetes deployments collect data as managed ones do.
  data_collector {{
    collection "model_inputs" {{}}
  }}
}}
"#
        ),
    )]);
    let entries = lowered(dir.path());
    let cluster = find(&entries, "kubernetes_compute.aks");
    assert!(
        cluster.id.ends_with("/workspaces/wsk/computes/aks"),
        "{}",
        cluster.id
    );
    assert_eq!(
        cluster.body,
        json!({
            "identity": {"type": "SystemAssigned"},
            "location": "eastus",
            "properties": {
                "computeType": "Kubernetes",
                "resourceId": aks,
                "properties": {
                    "namespace": "azureml",
                    "instanceTypes": {
                        "cpu-small": {"resources": {
                            "requests": {"cpu": "1", "memory": "4Gi"},
                            "limits": {"cpu": "1", "memory": "4Gi"},
                        }},
                        "gpu": {
                            "nodeSelector": {"pool": "gpu"},
                            "resources": {
                                "requests": {"cpu": "4", "memory": "16Gi"},
                                "limits": {"cpu": "4", "memory": "16Gi", "nvidia.com/gpu": "1"},
                            },
                        },
                    },
                },
            },
        })
    );
    assert_eq!(
        cluster.behavior.delete_query,
        [("underlyingResourceAction".to_string(), "Detach".to_string())]
    );
    let blue = find(&entries, "online_deployment.blue");
    assert_eq!(
        at(&blue.body, "properties.endpointComputeType"),
        "Kubernetes"
    );
    assert_eq!(at(&blue.body, "properties.instanceType"), "gpu");
    assert_eq!(
        at(&blue.body, "properties.dataCollector"),
        &json!({"collections": {"model_inputs": {"dataCollectionMode": "Enabled"}}})
    );
    let ep = find(&entries, "online_endpoint.scoring");
    assert_eq!(at(&ep.body, "properties.compute"), &json!(cluster.id));
    assert!(
        ep.depends_on
            .contains(&"kubernetes_compute.aks".to_string())
    );
}

/// A registry's body as `az ml registry create` sends it: one `regionDetails` entry per
/// region, the primary first and each once, each with a system-created Premium container
/// registry and storage account; an asset with `registry` lives under the registry's ID.
#[test]
fn registry_regions_and_the_assets_that_live_in_it() {
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
registry "central" {{
  replication_locations = ["westeurope", "EastUS"]
  public_network_access = false
}}

model "fraud" {{
  registry = registry.central
  version  = "7"
  path     = "azureml://datastores/workspaceblobstore/paths/models/fraud/7/"
}}
"#
        ),
    )]);
    let entries = lowered(dir.path());
    let registry = find(&entries, "registry.central");
    assert!(
        registry
            .id
            .ends_with("/providers/Microsoft.MachineLearningServices/registries/central"),
        "{}",
        registry.id
    );
    let region = |location: &str| {
        json!({
            "location": location,
            "acrDetails": [{"systemCreatedAcrAccount": {"acrAccountSku": "Premium"}}],
            "storageAccountDetails": [{"systemCreatedStorageAccount": {
                "allowBlobPublicAccess": false,
                "storageAccountHnsEnabled": false,
                "storageAccountType": "Standard_LRS",
            }}],
        })
    };
    assert_eq!(
        registry.body,
        json!({
            "identity": {"type": "SystemAssigned"},
            "location": "eastus",
            "properties": {
                "publicNetworkAccess": "Disabled",
                "regionDetails": [region("eastus"), region("westeurope")],
            },
        })
    );
    let model = find(&entries, "model.fraud");
    assert_eq!(model.id, format!("{}/models/fraud/versions/7", registry.id));
    assert_eq!(model.depends_on, ["registry.central"]);
}

/// A component's body is its spec as `az ml component create` sends it: the YAML document as
/// JSON (with the asset's name and the version it gives), or the inline attributes in the
/// CLI v2 schema's shape, an environment block by its asset ID.
#[test]
fn component_specs_from_yaml_and_inline() {
    let dir = manifest(&[
        (
            "main.hcl",
            &format!(
                r#"{AZURE}
workspace "wsc" {{}}

environment "train" {{
  workspace = workspace.wsc
  version   = "3"
  image     = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
}}

component "prep" {{
  workspace = workspace.wsc
  file      = "prep/prep.yml"
}}

component "score" {{
  workspace   = workspace.wsc
  version     = "1"
  environment = "azureml:train:3"
  code        = "azureml://registries/shared/codes/score/versions/1"
  command     = "python score.py"
}}

component "train" {{
  workspace   = workspace.wsc
  version     = "1"
  environment = environment.train
  code        = "src"
  command     = "python train.py --data $${{{{inputs.data}}}} --out $${{{{outputs.model}}}}"
  input "data" {{
    type = "uri_folder"
  }}
  input "rate" {{
    type    = "number"
    default = 0.01
  }}
  output "model" {{
    type = "mlflow_model"
  }}
}}
"#
            ),
        ),
        (
            "prep/prep.yml",
            "name: prep_data\nversion: 4\ntype: command\ninputs:\n  raw:\n    type: uri_folder\ncode: ./src\ncommand: python prep.py ${{inputs.raw}}\nenvironment: azureml:train:3\n",
        ),
        ("prep/src/prep.py", "print('prep')\n"),
        ("src/train.py", "print('train')\n"),
    ]);
    let entries = lowered(dir.path());
    let prep = find(&entries, "component.prep");
    // Each local code directory is a code version of its own, named by content, in the
    // component's workspace; the spec names it as `az ml` does.
    let prep_code = find(&entries, "component.prep.code");
    assert!(
        prep_code
            .id
            .contains("/workspaces/wsc/codes/prep/versions/"),
        "{}",
        prep_code.id
    );
    let uploaded: Vec<&str> = prep_code
        .upload
        .as_ref()
        .map(|u| u.files.iter().map(|f| f.path.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(uploaded, ["prep.py"]);
    assert!(prep.depends_on.contains(&"component.prep.code".to_string()));
    assert!(
        prep.id
            .ends_with("/workspaces/wsc/components/prep/versions/4"),
        "{}",
        prep.id
    );
    assert_eq!(
        prep.body,
        json!({"properties": {"componentSpec": {
            "name": "prep",
            "version": "4",
            "type": "command",
            "inputs": {"raw": {"type": "uri_folder"}},
            "code": format!("azureml:{}", prep_code.id),
            "command": "python prep.py ${{inputs.raw}}",
            "environment": "azureml:train:3",
        }, "isArchived": false}})
    );
    let train = find(&entries, "component.train");
    let env = find(&entries, "environment.train");
    let train_code = find(&entries, "component.train.code");
    assert_ne!(train_code.id, prep_code.id);
    assert_eq!(
        train.body,
        json!({"properties": {"componentSpec": {
            "$schema": "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json",
            "name": "train",
            "version": "1",
            "type": "command",
            "code": format!("azureml:{}", train_code.id),
            "command": "python train.py --data ${{inputs.data}} --out ${{outputs.model}}",
            "environment": format!("azureml:{}", env.id),
            "inputs": {"data": {"type": "uri_folder"}, "rate": {"type": "number", "default": 0.01}},
            "outputs": {"model": {"type": "mlflow_model"}},
        }, "isArchived": false}})
    );
    assert!(train.depends_on.contains(&"environment.train".to_string()));
    // A URI is sent as written, with no code version of its own.
    let score = find(&entries, "component.score");
    assert_eq!(
        score.body["properties"]["componentSpec"]["code"],
        "azureml://registries/shared/codes/score/versions/1"
    );
    assert!(!entries.iter().any(|d| d.address == "component.score.code"));
}

/// A schedule's body: the trigger, `CreateJob` with the pipeline YAML as the job definition
/// (`jobType: Pipeline`, ARM's names for its top-level keys); it depends on the cluster, data
/// and component its job names.
#[test]
fn schedule_bodies_and_what_their_job_uses() {
    let dir = manifest(&[
        (
            "main.hcl",
            &format!(
                r#"{AZURE}
workspace "wss" {{}}

compute_cluster "cpu" {{
  workspace = workspace.wss
  vm_size   = "Standard_DS3_v2"
  max_nodes = 2
}}

data_asset "raw" {{
  workspace = workspace.wss
  version   = "1"
  type      = "uri_folder"
  path      = "azureml://datastores/workspaceblobstore/paths/raw/"
}}

component "prep" {{
  workspace   = workspace.wss
  version     = "2"
  environment = "azureml:env:1"
  command     = "python prep.py"
  output "clean" {{
    type = "uri_folder"
  }}
}}

schedule "weekly" {{
  workspace = workspace.wss
  job_file  = "pipeline.yml"
  recurrence {{
    frequency = "week"
    interval  = 1
    hours     = [2]
    minutes   = [0]
    week_days = ["monday", "thursday"]
  }}
}}
"#
            ),
        ),
        (
            "pipeline.yml",
            "type: pipeline\ndisplay_name: Weekly\nsettings:\n  default_compute: azureml:cpu\ninputs:\n  raw:\n    type: uri_folder\n    path: azureml:raw:1\njobs:\n  prep:\n    component: azureml:prep:2\n",
        ),
    ]);
    let entries = lowered(dir.path());
    let weekly = find(&entries, "schedule.weekly");
    assert!(
        weekly.id.ends_with("/workspaces/wss/schedules/weekly"),
        "{}",
        weekly.id
    );
    assert_eq!(
        weekly.body,
        json!({"properties": {
            "isEnabled": true,
            "trigger": {
                "triggerType": "Recurrence",
                "frequency": "Week",
                "interval": 1,
                "timeZone": "UTC",
                "schedule": {"hours": [2], "minutes": [0], "weekDays": ["Monday", "Thursday"]},
            },
            "action": {
                "actionType": "CreateJob",
                "jobDefinition": {
                    "jobType": "Pipeline",
                    "displayName": "Weekly",
                    "settings": {"default_compute": "azureml:cpu"},
                    "inputs": {"raw": {"jobInputType": "uri_folder", "uri": "azureml:raw:1"}},
                    "jobs": {"prep": {"component": "azureml:prep:2"}},
                },
            },
        }})
    );
    for used in ["compute_cluster.cpu", "component.prep", "data_asset.raw"] {
        assert!(
            weekly.depends_on.contains(&used.to_string()),
            "{:?}",
            weekly.depends_on
        );
    }
}

/// A workspace `wsm` with an environment, a model and the endpoint `fraud` sending all traffic
/// to `blue`: what the monitor and data-collector tests deploy.
const SERVED_MODEL: &str = r#"workspace "wsm" {}

environment "env" {
  workspace = workspace.wsm
  version   = "1"
  image     = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
}

model "m" {
  workspace = workspace.wsm
  version   = "1"
  path      = "azureml://datastores/workspaceblobstore/paths/models/m/1/"
}

online_endpoint "fraud" {
  workspace = workspace.wsm
  traffic   = { blue = 100 }
}
"#;

/// A monitor's body: a schedule with the `CreateMonitor` action (mfe.json 2025-09-01), its
/// trigger lowered as a schedule's, serverless Spark compute, the deployment as target, and
/// each signal over the data the deployment's collector registers.
#[test]
fn monitor_bodies_are_create_monitor_schedules() {
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
{SERVED_MODEL}
online_deployment "blue" {{
  endpoint      = online_endpoint.fraud
  model         = model.m
  environment   = environment.env
  instance_type = "Standard_DS3_v2"
}}

monitor "drift" {{
  workspace    = workspace.wsm
  deployment   = online_deployment.blue
  compute      = "Standard_E4s_v3"
  alert_emails = ["ml-oncall@contoso.com"]
  signal "drift" {{
    type      = "data_drift"
    features  = ["amount", "merchant"]
    metric    = "jensen_shannon_distance"
    threshold = 0.1
  }}
  signal "outputs" {{
    type      = "prediction_drift"
    data_type = "categorical"
    metric    = "pearsons_chi_squared_test"
    threshold = 0.2
  }}
  recurrence {{
    frequency = "week"
    interval  = 1
    week_days = ["monday"]
  }}
}}
"#
        ),
    )]);
    let entries = lowered(dir.path());
    let monitor = find(&entries, "monitor.drift");
    let deployment = find(&entries, "online_deployment.blue");
    assert!(
        monitor.id.ends_with("/workspaces/wsm/schedules/drift"),
        "{}",
        monitor.id
    );
    let props = &monitor.body["properties"];
    assert_eq!(props["trigger"]["triggerType"], "Recurrence");
    assert_eq!(props["trigger"]["frequency"], "Week");
    assert_eq!(props["trigger"]["schedule"]["weekDays"], json!(["Monday"]));
    let action = &props["action"];
    assert_eq!(action["actionType"], "CreateMonitor");
    let def = &action["monitorDefinition"];
    assert_eq!(
        def["computeConfiguration"],
        json!({"computeType": "ServerlessSpark", "instanceType": "Standard_E4s_v3",
            "runtimeVersion": "3.4", "computeIdentity": {"computeIdentityType": "AmlToken"}})
    );
    assert_eq!(
        def["monitoringTarget"],
        json!({"deploymentId": deployment.id, "taskType": "Classification"})
    );
    assert_eq!(
        def["alertNotificationSettings"]["emailNotificationSettings"]["emails"],
        json!(["ml-oncall@contoso.com"])
    );
    let drift = &def["signals"]["drift"];
    assert_eq!(drift["signalType"], "DataDrift");
    assert_eq!(
        drift["features"],
        json!({"filterType": "FeatureSubset", "features": ["amount", "merchant"]})
    );
    assert_eq!(
        drift["metricThresholds"],
        json!([{"dataType": "Numerical", "metric": "JensenShannonDistance", "threshold": {"value": 0.1}}])
    );
    assert_eq!(
        drift["productionData"]["uri"],
        "azureml:fraud-blue-model_inputs:1"
    );
    assert_eq!(drift["productionData"]["windowOffset"], "P0D");
    assert_eq!(drift["referenceData"]["windowOffset"], "P7D");
    let outputs = &def["signals"]["outputs"];
    assert_eq!(outputs["signalType"], "PredictionDrift");
    assert!(outputs.get("features").is_none());
    assert_eq!(
        outputs["productionData"]["uri"],
        "azureml:fraud-blue-model_outputs:1"
    );
    assert!(
        monitor
            .depends_on
            .contains(&"online_deployment.blue".to_string())
    );
    // Everything in the definition is create-only: a change replaces the monitor.
    assert!(
        monitor.create_only.iter().any(|r| r
            .path
            .starts_with("properties.action.monitorDefinition.signals")),
        "{:?}",
        monitor.create_only
    );
}

/// A deployment's data collector (mfe.json 2025-12-01 `DataCollector`): its collections a map
/// keyed by the blocks' labels, each `dataCollectionMode` from `enabled` (sent even when left
/// out), the rate and headers where the spec has them; a monitor's signals read the data asset a
/// collection names, else the one the collector registers.
#[test]
fn a_data_collector_is_a_map_of_collections_the_monitor_reads() {
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
{SERVED_MODEL}
data_asset "inputs" {{
  workspace = workspace.wsm
  version   = "3"
  type      = "uri_folder"
  path      = "azureml://datastores/workspaceblobstore/paths/collected/inputs/"
}}

online_deployment "blue" {{
  endpoint      = online_endpoint.fraud
  model         = model.m
  environment   = environment.env
  instance_type = "Standard_DS3_v2"
  data_collector {{
    rolling_rate    = "day"
    capture_headers = ["x-request-id"]
    collection "model_inputs" {{
      sampling_rate = 0.25
      data          = data_asset.inputs
    }}
    collection "model_outputs" {{}}
    collection "request" {{
      client_id = "5b1e9a3c-0d6f-4c2a-9f3e-1a2b3c4d5e6f"
    }}
    collection "response" {{
      enabled = false
    }}
  }}
}}

monitor "drift" {{
  workspace  = workspace.wsm
  deployment = online_deployment.blue
  compute    = "Standard_E4s_v3"
  signal "inputs" {{
    type      = "data_drift"
    metric    = "jensen_shannon_distance"
    threshold = 0.1
  }}
  signal "outputs" {{
    type      = "prediction_drift"
    metric    = "jensen_shannon_distance"
    threshold = 0.2
  }}
  recurrence {{
    frequency = "day"
    interval  = 1
  }}
}}
"#
        ),
    )]);
    let entries = lowered(dir.path());
    let deployment = find(&entries, "online_deployment.blue");
    let asset = find(&entries, "data_asset.inputs");
    assert_eq!(
        deployment.body["properties"]["dataCollector"],
        json!({
            "rollingRate": "Day",
            "requestLogging": {"captureHeaders": ["x-request-id"]},
            "collections": {
                "model_inputs": {"dataCollectionMode": "Enabled", "samplingRate": 0.25, "dataId": asset.id},
                "model_outputs": {"dataCollectionMode": "Enabled"},
                "request": {"dataCollectionMode": "Enabled", "clientId": "5b1e9a3c-0d6f-4c2a-9f3e-1a2b3c4d5e6f"},
                "response": {"dataCollectionMode": "Disabled"},
            },
        })
    );
    assert!(
        deployment
            .depends_on
            .contains(&"data_asset.inputs".to_string()),
        "{:?}",
        deployment.depends_on
    );
    // Nothing in the collector is create-only: a change updates the deployment in place.
    assert!(
        !deployment
            .create_only
            .iter()
            .any(|r| r.path.starts_with("properties.dataCollector")),
        "{:?}",
        deployment.create_only
    );
    let signals = &find(&entries, "monitor.drift").body["properties"]["action"]["monitorDefinition"]
        ["signals"];
    assert_eq!(
        signals["inputs"]["productionData"]["uri"],
        "azureml:inputs:3"
    );
    assert_eq!(
        signals["outputs"]["productionData"]["uri"],
        "azureml:fraud-blue-model_outputs:1"
    );
}

/// E0748's other half: a collection's data asset registered in another workspace than the
/// deployment's (the collector registers into the deployment's own).
#[test]
fn a_collections_data_asset_of_another_workspace_is_e0748() {
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
workspace "serving" {{}}
workspace "lake" {{}}

data_asset "inputs" {{
  workspace = workspace.lake
  version   = "1"
  type      = "uri_folder"
  path      = "azureml://datastores/workspaceblobstore/paths/collected/inputs/"
}}

online_endpoint "fraud" {{
  workspace = workspace.serving
  traffic   = {{ blue = 100 }}
}}

online_deployment "blue" {{
  endpoint      = online_endpoint.fraud
  model         = "azureml://registries/azureml/models/m/versions/1"
  instance_type = "Standard_DS3_v2"
  data_collector {{
    collection "model_inputs" {{
      data = data_asset.inputs
    }}
  }}
}}
"#
        ),
    )]);
    let compilation = compile(dir.path(), &Inputs::default());
    let found: Vec<String> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert_eq!(
        found,
        [
            "E0748 collection \"model_inputs\" registers its data as `data_asset.inputs`, which is registered in `workspace.lake`, not in `workspace.serving`"
        ],
    );
}

/// W0109's help says how the deployment has the collection a signal reads: disabled, or under
/// a near name (a misspelling; the names with a meaning of their own are not suggested for
/// each other).
#[test]
fn a_monitor_on_uncollected_data_is_told_what_the_deployment_has() {
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            r#"{AZURE}
workspace "wsm" {{}}

online_endpoint "fraud" {{
  workspace = workspace.wsm
  traffic   = {{ blue = 100 }}
}}

online_deployment "blue" {{
  endpoint      = online_endpoint.fraud
  model         = "azureml://registries/azureml/models/m/versions/1"
  instance_type = "Standard_DS3_v2"
  data_collector {{
    collection "model_input" {{}}
    collection "model_outputs" {{
      enabled = false
    }}
  }}
}}

monitor "drift" {{
  workspace  = workspace.wsm
  deployment = online_deployment.blue
  compute    = "Standard_E4s_v3"
  signal "inputs" {{
    type      = "data_drift"
    metric    = "jensen_shannon_distance"
    threshold = 0.1
  }}
  signal "quality" {{
    type      = "data_quality"
    metric    = "null_value_rate"
    threshold = 0.1
  }}
  signal "outputs" {{
    type      = "prediction_drift"
    metric    = "jensen_shannon_distance"
    threshold = 0.2
  }}
  recurrence {{
    frequency = "day"
    interval  = 1
  }}
}}
"#
        ),
    )]);
    let compilation = compile(dir.path(), &Inputs::default());
    let found: Vec<(String, String, String)> = compilation
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect();
    // One warning per collection, at the first signal reading it.
    assert_eq!(
        found,
        [
            (
                "W0109".to_string(),
                "signal \"inputs\" reads `model_inputs`, which `online_deployment.blue` does not collect".to_string(),
                "`online_deployment.blue` collects `model_input`: name that collection `model_inputs`, the name the monitor reads (and the scoring script logs with `Collector(name=\"model_inputs\")`)".to_string(),
            ),
            (
                "W0109".to_string(),
                "signal \"outputs\" reads `model_outputs`, which `online_deployment.blue` does not collect".to_string(),
                "`online_deployment.blue` has `collection \"model_outputs\"` with `enabled = false`: enable it".to_string(),
            ),
        ],
    );
}
