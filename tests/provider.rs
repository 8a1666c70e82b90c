//! The ARM client over the mock provider: long-running operations, retries and ARM errors
//! end to end, with faults injected. Every wait is scaled to zero.

use std::sync::Arc;

use amlplan::provider::client::{ArmClient, ClientOptions};
use amlplan::provider::emulator::{EmulatorOptions, FaultPlan, MockCloud};
use amlplan::provider::{ArmError, Method};
use serde_json::{Value, json};

const SUB: &str = "00000000-0000-0000-0000-0000000000b0";
const AML: &str = "2025-09-01";
const AUTHZ: &str = "2022-04-01";

fn rg() -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg-ml")
}

fn ws(name: &str) -> String {
    format!(
        "{}/providers/Microsoft.MachineLearningServices/workspaces/{name}",
        rg()
    )
}

fn workspace() -> Value {
    json!({
        "location": "westeurope",
        "identity": {"type": "SystemAssigned"},
        "properties": {
            "storageAccount": format!("{}/providers/Microsoft.Storage/storageAccounts/stml", rg()),
            "keyVault": format!("{}/providers/Microsoft.KeyVault/vaults/kv-ml", rg()),
            "managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"}
        }
    })
}

fn cluster(vm_size: &str) -> Value {
    json!({
        "location": "westeurope",
        "properties": {"computeType": "AmlCompute", "properties": {
            "vmSize": vm_size, "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 2}}}
    })
}

fn client(cloud: &MockCloud) -> ArmClient {
    ArmClient::new(Arc::new(cloud.clone()), ClientOptions::instant())
}

const DELETE_COMPUTE: &[(&str, &str)] = &[("underlyingResourceAction", "Delete")];
const PURGE: &[(&str, &str)] = &[("forceToPurge", "true")];

fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn lifecycle_over_the_mock_cloud() {
    let cloud = MockCloud::new(EmulatorOptions::default());
    let arm = client(&cloud);

    assert_eq!(arm.get(&ws("mlw"), AML).await.unwrap(), None);
    let w = arm.put(&ws("mlw"), AML, workspace()).await.unwrap();
    assert_eq!(w["properties"]["provisioningState"], "Succeeded");
    assert_eq!(w["id"], ws("mlw"));
    assert!(w["identity"]["principalId"].is_string());

    let cpu = format!("{}/computes/cpu", ws("mlw"));
    let c = arm
        .put(&cpu, AML, cluster("Standard_DS3_v2"))
        .await
        .unwrap();
    assert_eq!(c["properties"]["provisioningState"], "Succeeded");
    // The first compute provisions the managed network.
    let w = arm.get(&ws("mlw"), AML).await.unwrap().unwrap();
    assert_eq!(
        w["properties"]["managedNetwork"]["status"]["status"],
        "Active"
    );

    let rules = arm
        .list(&format!("{}/outboundRules", ws("mlw")), AML)
        .await
        .unwrap();
    assert!(
        rules
            .iter()
            .all(|r| r["properties"]["category"] == "Required")
    );
    assert!(rules.len() >= 9);

    // Blue/green: endpoint with no traffic, deployment, then traffic.
    let ep = format!("{}/onlineEndpoints/score", ws("mlw"));
    let ep_body = |traffic: Value| json!({"location": "westeurope", "properties": {"authMode": "Key", "traffic": traffic}});
    let e = arm.put(&ep, AML, ep_body(json!({}))).await.unwrap();
    assert_eq!(
        e["properties"]["scoringUri"],
        "https://score.westeurope.inference.ml.azure.com/score"
    );
    let blue = format!("{ep}/deployments/blue");
    arm.put(
        &blue,
        AML,
        json!({"location": "westeurope", "sku": {"name": "Default", "capacity": 1},
               "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2"}}),
    )
    .await
    .unwrap();
    let e = arm
        .put(&ep, AML, ep_body(json!({"blue": 100})))
        .await
        .unwrap();
    assert_eq!(e["properties"]["traffic"]["blue"], 100);
    let keys = arm
        .post(&format!("{ep}/listKeys"), AML, None)
        .await
        .unwrap()
        .unwrap();
    assert!(keys["primaryKey"].is_string());

    // A deployment with traffic cannot go; moving the traffic first lets it.
    let e = arm.delete(&blue, AML, &[]).await.unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (400, "UserError"));
    arm.put(&ep, AML, ep_body(json!({}))).await.unwrap();
    arm.delete(&blue, AML, &[]).await.unwrap();
    assert_eq!(arm.get(&blue, AML).await.unwrap(), None);

    // Role assignment on the workspace.
    let ra = format!(
        "{}/providers/Microsoft.Authorization/roleAssignments/6a1f3d0e-0f5e-5a3b-9c57-2f1d5f3c0a11",
        ws("mlw")
    );
    let ra_body = json!({"properties": {
        "roleDefinitionId": format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/f6c7c914-8db3-469d-8ca1-694a8f32e121"),
        "principalId": "11111111-2222-3333-4444-555555555555", "principalType": "User"}});
    arm.put(&ra, AUTHZ, ra_body.clone()).await.unwrap();
    assert_eq!(
        arm.put(&ra, AUTHZ, ra_body).await.unwrap()["name"],
        ra.rsplit('/').next().unwrap()
    );

    // Teardown.
    let e = arm.delete(&cpu, AML, &[]).await.unwrap_err();
    assert_eq!(e.code, "BadRequest");
    arm.delete(&cpu, AML, &q(DELETE_COMPUTE)).await.unwrap();
    arm.delete(&ws("mlw"), AML, &q(PURGE)).await.unwrap();
    assert!(
        cloud.resource_ids().is_empty(),
        "{:?}",
        cloud.resource_ids()
    );
    // Already gone: success.
    arm.delete(&ws("mlw"), AML, &q(PURGE)).await.unwrap();
}

#[tokio::test]
async fn throttling_then_success() {
    let options = EmulatorOptions {
        fail_next: vec![
            (
                Method::Put,
                "/workspaces/mlw".into(),
                429,
                "TooManyRequests".into(),
            ),
            (
                Method::Put,
                "/workspaces/mlw".into(),
                429,
                "TooManyRequests".into(),
            ),
            (
                Method::Get,
                "/mfeOperationResults/".into(),
                429,
                "TooManyRequests".into(),
            ),
        ],
        ..EmulatorOptions::default()
    };
    let cloud = MockCloud::new(options);
    let w = client(&cloud)
        .put(&ws("mlw"), AML, workspace())
        .await
        .unwrap();
    assert_eq!(w["properties"]["provisioningState"], "Succeeded");
    assert!(
        cloud.lock().options().fail_next.is_empty(),
        "every fault was met"
    );
}

#[tokio::test]
async fn server_errors_are_retried() {
    let options = EmulatorOptions {
        fail_next: vec![
            (
                Method::Put,
                "/computes/cpu".into(),
                500,
                "InternalServerError".into(),
            ),
            (
                Method::Get,
                "/mfeOperationsStatus/".into(),
                503,
                "ServiceUnavailable".into(),
            ),
            (
                Method::Get,
                "/computes/cpu".into(),
                502,
                "BadGateway".into(),
            ),
            (
                Method::Delete,
                "/computes/cpu".into(),
                504,
                "GatewayTimeout".into(),
            ),
        ],
        ..EmulatorOptions::default()
    };
    let cloud = MockCloud::new(options);
    let arm = client(&cloud);
    arm.put(&ws("mlw"), AML, workspace()).await.unwrap();
    let cpu = format!("{}/computes/cpu", ws("mlw"));
    let c = arm
        .put(&cpu, AML, cluster("Standard_DS3_v2"))
        .await
        .unwrap();
    assert_eq!(c["properties"]["provisioningState"], "Succeeded");
    arm.delete(&cpu, AML, &q(DELETE_COMPUTE)).await.unwrap();
    assert!(cloud.lock().options().fail_next.is_empty());
    assert_eq!(cloud.resource_ids(), vec![ws("mlw")]);
}

#[tokio::test]
async fn retries_are_bounded() {
    let options = EmulatorOptions {
        fail_next: (0..7)
            .map(|_| {
                (
                    Method::Get,
                    "/workspaces/mlw".into(),
                    429,
                    "TooManyRequests".into(),
                )
            })
            .collect(),
        ..EmulatorOptions::default()
    };
    let cloud = MockCloud::new(options);
    let e = client(&cloud).get(&ws("mlw"), AML).await.unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (429, "TooManyRequests"));
    assert!(cloud.lock().options().fail_next.is_empty());
}

#[tokio::test]
async fn failed_operations_surface_their_error() {
    let options = EmulatorOptions {
        fail_operations: vec![
            ("/computes/gpu".into(), "QuotaExceeded".into()),
            ("/workspaces/broken".into(), "InternalServerError".into()),
        ],
        ..EmulatorOptions::default()
    };
    let cloud = MockCloud::new(options);
    let arm = client(&cloud);
    arm.put(&ws("mlw"), AML, workspace()).await.unwrap();
    let gpu = format!("{}/computes/gpu", ws("mlw"));
    let e: ArmError = arm
        .put(&gpu, AML, cluster("Standard_NC6s_v3"))
        .await
        .unwrap_err();
    assert_eq!(e.code, "QuotaExceeded");
    assert!(e.message.contains("QuotaExceeded"));
    // The resource is left `Failed`; a clean retry converges.
    let got = arm.get(&gpu, AML).await.unwrap().unwrap();
    assert_eq!(got["properties"]["provisioningState"], "Failed");
    let ok = arm
        .put(&gpu, AML, cluster("Standard_NC6s_v3"))
        .await
        .unwrap();
    assert_eq!(ok["properties"]["provisioningState"], "Succeeded");

    // Location-style operation (workspaces).
    let e = arm.put(&ws("broken"), AML, workspace()).await.unwrap_err();
    assert_eq!(e.code, "InternalServerError");
}

#[tokio::test]
async fn arm_errors_carry_code_and_message() {
    let cloud = MockCloud::new(EmulatorOptions::default());
    let arm = client(&cloud);
    let e = arm
        .put(
            &format!("{}/computes/cpu", ws("mlw")),
            AML,
            cluster("Standard_DS3_v2"),
        )
        .await
        .unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (404, "ParentResourceNotFound"));
    assert!(e.message.contains("'mlw'"), "{}", e.message);
    arm.put(&ws("mlw"), AML, workspace()).await.unwrap();
    let cpu = format!("{}/computes/cpu", ws("mlw"));
    arm.put(&cpu, AML, cluster("Standard_DS3_v2"))
        .await
        .unwrap();
    let e = arm
        .put(&cpu, AML, cluster("Standard_DS4_v2"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (400, "PropertyChangeNotAllowed")
    );
    arm.delete(&ws("mlw"), AML, &[]).await.unwrap();
    let e = arm.put(&ws("mlw"), AML, workspace()).await.unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (409, "SoftDeletedWorkspaceExists")
    );
    assert!(
        e.to_string()
            .starts_with("SoftDeletedWorkspaceExists (409): ")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn random_faults_fail_cleanly_and_a_clean_rerun_converges() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".amlplan/mock-cloud.json");
    let faulty = EmulatorOptions {
        faults: FaultPlan {
            seed: 2024,
            rate_429: 0.25,
            rate_500: 0.1,
            rate_lro_failed: 0.2,
        },
        ..EmulatorOptions::default()
    };
    let desired: Vec<(String, Value)> = (0..12)
        .flat_map(|i| {
            let w = ws(&format!("ws-{i:02}"));
            vec![
                (w.clone(), workspace()),
                (format!("{w}/computes/cpu"), cluster("Standard_DS3_v2")),
            ]
        })
        .collect();

    let apply = |cloud: MockCloud| {
        let desired = desired.clone();
        async move {
            let arm = client(&cloud);
            let mut tasks = Vec::new();
            for chunk in desired.chunks(2) {
                let arm = arm.clone();
                let chunk = chunk.to_vec();
                tasks.push(tokio::spawn(async move {
                    let mut errors = Vec::new();
                    for (id, body) in chunk {
                        if let Err(e) = arm.put(&id, AML, body).await {
                            errors.push((id, e));
                            break; // the compute waits for its workspace
                        }
                    }
                    errors
                }));
            }
            let mut errors = Vec::new();
            for t in tasks {
                errors.extend(t.await.unwrap());
            }
            errors
        }
    };

    let first = apply(MockCloud::open(&path, faulty).unwrap()).await;
    assert!(!first.is_empty(), "the fault plan should break something");
    for (id, e) in &first {
        assert!(
            [
                "ResourceOperationFailure",
                "SubscriptionRequestsThrottled",
                "InternalServerError"
            ]
            .contains(&e.code.as_str()),
            "{id}: {e}"
        );
    }
    // A clean re-run from the persisted file converges to exactly the desired resources.
    let cloud = MockCloud::open(&path, EmulatorOptions::default()).unwrap();
    assert!(apply(cloud.clone()).await.is_empty());
    let mut want: Vec<String> = desired.iter().map(|(id, _)| id.clone()).collect();
    want.sort_by_key(|id| id.to_ascii_lowercase());
    assert_eq!(cloud.resource_ids(), want);
    let arm = client(&cloud);
    for id in &want {
        let got = arm.get(id, AML).await.unwrap().unwrap();
        assert_eq!(got["properties"]["provisioningState"], "Succeeded", "{id}");
    }
}

#[tokio::test]
async fn an_unwritable_mock_cloud_is_a_transport_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("later-a-file");
    let cloud =
        MockCloud::open(blocker.join("mock-cloud.json"), EmulatorOptions::default()).unwrap();
    // The directory cannot be created any more.
    std::fs::write(&blocker, "x").unwrap();
    let e = client(&cloud)
        .put(&ws("mlw"), AML, workspace())
        .await
        .unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (0, "TransportError"));
    assert!(e.message.contains("mock-cloud.json"), "{}", e.message);
}
