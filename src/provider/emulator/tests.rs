//! Unit tests of the emulator's ARM semantics.

use serde_json::{Value, json};

use super::*;
use crate::provider::{ArmRequest, ArmResponse, Method, Transport};

const SUB: &str = "00000000-0000-0000-0000-00000000aaaa";
const API: &str = "2025-09-01";

fn rg() -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg")
}

fn ws(name: &str) -> String {
    format!(
        "{}/providers/Microsoft.MachineLearningServices/workspaces/{name}",
        rg()
    )
}

fn workspace_body() -> Value {
    json!({
        "location": "West Europe",
        "identity": {"type": "SystemAssigned"},
        "properties": {
            "friendlyName": "Fraud",
            "storageAccount": format!("{}/providers/Microsoft.Storage/storageAccounts/stfraud", rg()),
            "keyVault": format!("{}/providers/Microsoft.KeyVault/vaults/kv-fraud", rg()),
        }
    })
}

fn compute_body(vm_size: &str) -> Value {
    json!({
        "location": "westeurope",
        "properties": {
            "computeType": "AmlCompute",
            "disableLocalAuth": true,
            "properties": {
                "vmSize": vm_size,
                "vmPriority": "Dedicated",
                "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 4},
                "enableNodePublicIp": true
            }
        }
    })
}

struct Cloud {
    emu: Emulator,
    now: u64,
}

impl Cloud {
    fn new() -> Cloud {
        Cloud::with(EmulatorOptions::default())
    }

    fn with(options: EmulatorOptions) -> Cloud {
        Cloud {
            emu: Emulator::new(options),
            now: 0,
        }
    }

    fn send(
        &mut self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> ArmResponse {
        self.now += 10;
        self.emu.handle(
            &ArmRequest {
                method,
                path: path.to_string(),
                api_version: API.to_string(),
                query: query
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                body,
            },
            self.now,
        )
    }

    fn put(&mut self, path: &str, body: Value) -> ArmResponse {
        self.send(Method::Put, path, &[], Some(body))
    }

    fn get(&mut self, path: &str) -> ArmResponse {
        self.send(Method::Get, path, &[], None)
    }

    fn delete(&mut self, path: &str, query: &[(&str, &str)]) -> ArmResponse {
        self.send(Method::Delete, path, query, None)
    }

    /// GETs an operation URL from a response header.
    fn poll(&mut self, url: &str) -> ArmResponse {
        let path = url
            .strip_prefix("https://management.azure.com")
            .unwrap_or(url);
        let path = path.split('?').next().unwrap();
        self.get(path)
    }

    /// Polls whatever operation `resp` started until it finishes; the last poll response.
    fn finish(&mut self, resp: &ArmResponse) -> ArmResponse {
        if let Some(url) = resp.header("azure-asyncoperation") {
            let url = url.to_string();
            for _ in 0..10 {
                let r = self.poll(&url);
                if r.body.as_ref().unwrap()["status"] != "InProgress" {
                    return r;
                }
            }
            panic!("operation never finished");
        }
        if let Some(url) = resp.header("location") {
            let url = url.to_string();
            for _ in 0..10 {
                let r = self.poll(&url);
                if r.status != 202 {
                    return r;
                }
            }
            panic!("operation never finished");
        }
        resp.clone()
    }

    /// PUT and wait; panics unless it succeeded.
    fn create(&mut self, path: &str, body: Value) -> Value {
        let r = self.put(path, body);
        assert!(
            (200..300).contains(&r.status),
            "PUT {path}: {} {:?}",
            r.status,
            r.body
        );
        let done = self.finish(&r);
        assert!((200..300).contains(&done.status), "{path}: {:?}", done.body);
        let got = self.get(path);
        assert_eq!(got.status, 200, "GET {path}");
        got.body.unwrap()
    }

    fn delete_done(&mut self, path: &str, query: &[(&str, &str)]) -> ArmResponse {
        let r = self.delete(path, query);
        assert!(
            (200..300).contains(&r.status),
            "DELETE {path}: {} {:?}",
            r.status,
            r.body
        );
        self.finish(&r)
    }
}

fn code(r: &ArmResponse) -> &str {
    r.body
        .as_ref()
        .and_then(|b| b.pointer("/error/code"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn message(r: &ArmResponse) -> String {
    r.body
        .as_ref()
        .and_then(|b| b.pointer("/error/message"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

#[test]
fn children_need_their_parent() {
    let mut c = Cloud::new();
    let w = ws("fraud");
    let cases = [
        (format!("{w}/computes/cpu"), compute_body("Standard_DS3_v2")),
        (
            format!("{w}/outboundRules/pypi"),
            json!({"properties": {"type": "FQDN", "destination": "pypi.org"}}),
        ),
        (
            format!("{w}/onlineEndpoints/api/deployments/blue"),
            json!({"location": "westeurope", "properties": {"endpointComputeType": "Managed"}}),
        ),
        (
            format!(
                "{}/providers/Microsoft.Network/privateEndpoints/pe/privateDnsZoneGroups/default",
                rg()
            ),
            json!({"properties": {"privateDnsZoneConfigs": []}}),
        ),
        (
            format!(
                "{}/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms/virtualNetworkLinks/hub",
                rg()
            ),
            json!({"location": "global", "properties": {"virtualNetwork": {"id": "/v"}}}),
        ),
        (
            format!(
                "{}/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms/A/x",
                rg()
            ),
            json!({"properties": {"ttl": 10, "aRecords": [{"ipv4Address": "10.0.0.4"}]}}),
        ),
    ];
    for (path, body) in cases {
        let r = c.put(&path, body);
        assert_eq!(
            (r.status, code(&r)),
            (404, "ParentResourceNotFound"),
            "{path}"
        );
    }
    assert!(c.emu.resource_ids().is_empty());

    // A role assignment on a scope outside what the cloud holds is accepted ...
    let role = "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/f6c7c914-8db3-469d-8ca1-694a8f32e121";
    let ra_body = json!({"properties": {"roleDefinitionId": role, "principalId": "p1"}});
    let outside = format!(
        "/subscriptions/{SUB}/resourceGroups/other/providers/Microsoft.Storage/storageAccounts/s/providers/Microsoft.Authorization/roleAssignments/{}",
        shape::guid("a")
    );
    assert_eq!(c.put(&outside, ra_body.clone()).status, 201);
    // ... but not on a missing resource of a resource group the cloud knows.
    c.create(&ws("known"), workspace_body());
    let inside = format!(
        "{}/providers/Microsoft.Authorization/roleAssignments/{}",
        ws("missing"),
        shape::guid("b")
    );
    let r = c.put(&inside, ra_body);
    assert_eq!((r.status, code(&r)), (404, "ParentResourceNotFound"));
}

#[test]
fn workspace_needs_storage_account_and_key_vault() {
    let mut c = Cloud::new();
    let mut body = workspace_body();
    body["properties"]
        .as_object_mut()
        .unwrap()
        .remove("keyVault");
    let r = c.put(&ws("fraud"), body);
    assert_eq!((r.status, code(&r)), (400, "ValidationError"));
    assert!(message(&r).contains("keyVault"));
    let r = c.put(&ws("fraud"), json!({"properties": {}}));
    assert_eq!(r.status, 400);
}

#[test]
fn workspace_put_is_a_location_lro_and_get_returns_what_arm_returns() {
    let mut c = Cloud::new();
    let r = c.put(&ws("Fraud"), workspace_body());
    assert_eq!(r.status, 202);
    assert!(r.body.is_none());
    let location = r.header("location").unwrap().to_string();
    assert!(
        location.starts_with(&format!(
            "https://management.azure.com/subscriptions/{SUB}/providers/Microsoft.MachineLearningServices/locations/westeurope/mfeOperationResults/"
        )),
        "{location}"
    );
    assert!(location.ends_with(&format!("?api-version={API}")));
    assert_eq!(r.header("retry-after"), Some("1"));

    // IDs are case-insensitive; the casing of creation is kept.
    let during = c.get(&ws("FRAUD")).body.unwrap();
    assert_eq!(during["properties"]["provisioningState"], "Creating");
    assert_eq!(during["id"], ws("Fraud"));

    assert_eq!(c.poll(&location).status, 202);
    let done = c.poll(&location);
    assert_eq!(done.status, 200);
    assert_eq!(
        done.body.as_ref().unwrap()["properties"]["provisioningState"],
        "Succeeded"
    );
    // Polling a finished operation keeps answering.
    assert_eq!(c.poll(&location).status, 200);

    let w = c.get(&ws("fraud")).body.unwrap();
    assert_eq!(w["name"], "Fraud");
    assert_eq!(w["type"], "Microsoft.MachineLearningServices/workspaces");
    assert_eq!(w["location"], "westeurope");
    assert_eq!(w["properties"]["friendlyName"], "Fraud");
    assert_eq!(w["properties"]["provisioningState"], "Succeeded");
    assert_eq!(
        w["properties"]["workspaceId"],
        shape::guid(&format!("{}#workspace", ws("fraud").to_ascii_lowercase()))
    );
    assert_eq!(
        w["properties"]["managedNetwork"]["status"],
        json!({"status": "Inactive", "sparkReady": false})
    );
    assert_eq!(
        w["properties"]["managedNetwork"]["outboundRules"],
        json!({})
    );
    assert!(w["identity"]["principalId"].as_str().unwrap().len() == 36);
    assert_eq!(w["identity"]["tenantId"], shape::tenant_id());
    assert_eq!(w["systemData"]["createdAt"], "2025-01-01T00:00:00.010Z");
    assert_eq!(w["systemData"]["createdBy"], shape::ACTOR);

    // An update is a 202 too, and keeps the creation time.
    let mut body = workspace_body();
    body["properties"]["friendlyName"] = json!("Fraud 2");
    let r = c.put(&ws("fraud"), body);
    assert_eq!(r.status, 202);
    assert_eq!(
        c.get(&ws("fraud")).body.unwrap()["properties"]["provisioningState"],
        "Updating"
    );
    c.finish(&r);
    let w2 = c.get(&ws("fraud")).body.unwrap();
    assert_eq!(w2["properties"]["friendlyName"], "Fraud 2");
    assert_eq!(w2["systemData"]["createdAt"], w["systemData"]["createdAt"]);
    assert_ne!(
        w2["systemData"]["lastModifiedAt"],
        w["systemData"]["lastModifiedAt"]
    );
    assert_eq!(w2["identity"]["principalId"], w["identity"]["principalId"]);

    let r = c.get(&ws("nope"));
    assert_eq!((r.status, code(&r)), (404, "ResourceNotFound"));
}

#[test]
fn compute_put_is_an_async_operation_lro() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let cpu = format!("{}/computes/cpu", ws("fraud"));
    let r = c.put(&cpu, compute_body("Standard_DS3_v2"));
    assert_eq!(r.status, 201);
    let op = r.header("azure-asyncoperation").unwrap().to_string();
    assert!(op.contains("/mfeOperationsStatus/"), "{op}");
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(
        r.body.as_ref().unwrap()["properties"]["provisioningState"],
        "Creating"
    );
    let p1 = c.poll(&op).body.unwrap();
    assert_eq!(p1["status"], "InProgress");
    let p2 = c.poll(&op).body.unwrap();
    assert_eq!(p2["status"], "Succeeded");
    assert!(p2.get("error").is_none());
    assert!(p2["endTime"].is_string());

    let got = c.get(&cpu).body.unwrap();
    assert_eq!(got["properties"]["provisioningState"], "Succeeded");
    assert_eq!(got["properties"]["properties"]["vmSize"], "STANDARD_DS3_V2");
    assert_eq!(got["properties"]["properties"]["allocationState"], "Steady");
    assert_eq!(got["properties"]["properties"]["currentNodeCount"], 0);

    // Update: 200 with the same header, `Updating` until done.
    let mut body = compute_body("standard_ds3_v2");
    body["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = json!(8);
    let r = c.put(&cpu, body);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body.as_ref().unwrap()["properties"]["provisioningState"],
        "Updating"
    );
    assert!(r.header("azure-asyncoperation").is_some());
    c.finish(&r);
    let got = c.get(&cpu).body.unwrap();
    assert_eq!(
        got["properties"]["properties"]["scaleSettings"]["maxNodeCount"],
        8
    );

    // The list of a collection.
    let list = c.get(&format!("{}/computes", ws("fraud"))).body.unwrap();
    assert_eq!(list["value"].as_array().unwrap().len(), 1);
    assert_eq!(list["value"][0]["id"], cpu);
}

#[test]
fn create_only_properties_are_refused() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let cpu = format!("{}/computes/cpu", ws("fraud"));
    c.create(&cpu, compute_body("Standard_DS3_v2"));
    let r = c.put(&cpu, compute_body("Standard_DS4_v2"));
    assert_eq!((r.status, code(&r)), (400, "PropertyChangeNotAllowed"));
    assert!(message(&r).contains("properties.properties.vmSize"));
    let mut subnet = compute_body("Standard_DS3_v2");
    subnet["properties"]["properties"]["subnet"] = json!({"id": "/subnets/x"});
    assert_eq!(c.put(&cpu, subnet).status, 400);

    let mut body = workspace_body();
    body["properties"]["storageAccount"] = json!("/other/storage");
    let r = c.put(&ws("fraud"), body);
    assert_eq!((r.status, code(&r)), (400, "PropertyChangeNotAllowed"));
    let mut body = workspace_body();
    body["properties"]["hbiWorkspace"] = json!(true);
    assert_eq!(c.put(&ws("fraud"), body).status, 400);
    let mut body = workspace_body();
    body["location"] = json!("eastus");
    let r = c.put(&ws("fraud"), body);
    assert_eq!((r.status, code(&r)), (400, "InvalidResourceLocation"));

    // Isolation: on is allowed once the computes are gone; off again never.
    let mut isolated = workspace_body();
    isolated["properties"]["managedNetwork"] = json!({"isolationMode": "AllowInternetOutbound"});
    let r = c.put(&ws("fraud"), isolated.clone());
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    c.delete_done(&cpu, &[("underlyingResourceAction", "Delete")]);
    c.create(&ws("fraud"), isolated);
    let r = c.put(&ws("fraud"), workspace_body());
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    assert!(message(&r).contains("cannot be disabled"));

    // Online deployment instance type.
    let ep = format!("{}/onlineEndpoints/api", ws("fraud"));
    c.create(
        &ep,
        json!({"location": "westeurope", "properties": {"authMode": "Key"}}),
    );
    let dep = format!("{ep}/deployments/blue");
    let dep_body = |t: &str| json!({"location": "westeurope", "sku": {"name": "Default", "capacity": 1}, "properties": {"endpointComputeType": "Managed", "instanceType": t}});
    c.create(&dep, dep_body("Standard_DS3_v2"));
    assert_eq!(c.put(&dep, dep_body("Standard_F4s_v2")).status, 400);

    // Private endpoint target and vnet link network.
    let pe = format!("{}/providers/Microsoft.Network/privateEndpoints/pe", rg());
    let pe_body = |target: &str| {
        json!({"location": "westeurope", "properties": {
            "subnet": {"id": "/subnets/pe"},
            "privateLinkServiceConnections": [{"name": "ws", "properties": {"privateLinkServiceId": target, "groupIds": ["amlworkspace"]}}]}})
    };
    let created = c.create(&pe, pe_body(&ws("fraud")));
    assert_eq!(
        created["properties"]["privateLinkServiceConnections"][0]["properties"]["privateLinkServiceConnectionState"]
            ["status"],
        "Approved"
    );
    assert_eq!(c.put(&pe, pe_body(&ws("fraud"))).status, 200);
    assert_eq!(c.put(&pe, pe_body(&ws("other"))).status, 400);
}

#[test]
fn compute_networks_follow_the_workspace() {
    let mut c = Cloud::new();
    let mut body = workspace_body();
    body["properties"]["managedNetwork"] = json!({"isolationMode": "AllowInternetOutbound"});
    c.create(&ws("managed"), body);
    c.create(&ws("plain"), workspace_body());
    let private = |subnet: Option<&str>| {
        let mut body = compute_body("Standard_DS3_v2");
        body["properties"]["properties"]["enableNodePublicIp"] = json!(false);
        if let Some(id) = subnet {
            body["properties"]["properties"]["subnet"] = json!({ "id": id });
        }
        body
    };
    let subnet = format!(
        "{}/providers/Microsoft.Network/virtualNetworks/hub/subnets/aml",
        rg()
    );

    // A custom subnet under a managed network.
    let r = c.put(
        &format!("{}/computes/cpu", ws("managed")),
        private(Some(&subnet)),
    );
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    assert!(
        message(&r).contains("AllowInternetOutbound"),
        "{}",
        message(&r)
    );
    c.create(&format!("{}/computes/cpu", ws("managed")), private(None));

    // A workspace without a managed network takes one.
    c.create(
        &format!("{}/computes/cpu", ws("plain")),
        private(Some(&subnet)),
    );
}

#[test]
fn endpoints_and_deployments_stay_in_their_parents_region() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let batch = format!("{}/batchEndpoints/score", ws("fraud"));
    let r = c.put(
        &batch,
        json!({"location": "eastus", "properties": {"authMode": "AADToken"}}),
    );
    assert_eq!((r.status, code(&r)), (400, "InvalidLocation"));
    let ep = format!("{}/onlineEndpoints/api", ws("fraud"));
    let r = c.put(
        &ep,
        json!({"location": "eastus", "properties": {"authMode": "Key"}}),
    );
    assert_eq!((r.status, code(&r)), (400, "InvalidLocation"));
    // "West Europe" is the workspace's "westeurope".
    c.create(
        &ep,
        json!({"location": "West Europe", "properties": {"authMode": "Key"}}),
    );
    let dep = format!("{ep}/deployments/blue");
    let dep_body = |l: &str| json!({"location": l, "sku": {"name": "Default", "capacity": 1}, "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2"}});
    let r = c.put(&dep, dep_body("eastus"));
    assert_eq!((r.status, code(&r)), (400, "InvalidLocation"));
    c.create(&dep, dep_body("westeurope"));
}

#[test]
fn managed_deployments_scale_only_by_default_settings() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let ep = format!("{}/onlineEndpoints/api", ws("fraud"));
    c.create(
        &ep,
        json!({"location": "westeurope", "properties": {"authMode": "Key"}}),
    );
    let dep = format!("{ep}/deployments/blue");
    let body = |scale: Value| json!({"location": "westeurope", "sku": {"name": "Default", "capacity": 2}, "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2", "scaleSettings": scale}});
    let r = c.put(
        &dep,
        body(json!({"scaleType": "TargetUtilization", "minInstances": 1, "maxInstances": 3})),
    );
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    assert!(message(&r).contains("autoscalesettings"), "{}", message(&r));
    c.create(&dep, body(json!({"scaleType": "Default"})));
    // Autoscale is a resource of its own that targets the deployment.
    let autoscale = format!(
        "{}/providers/Microsoft.Insights/autoscalesettings/api-blue-autoscale",
        rg()
    );
    let r = c.put(
        &autoscale,
        json!({"location": "westeurope", "properties": {"enabled": true, "targetResourceUri": dep, "profiles": []}}),
    );
    assert!(r.status < 300, "{r:?}");
}

#[test]
fn a_deployments_data_collector_is_what_the_spec_allows() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let ep = format!("{}/onlineEndpoints/api", ws("fraud"));
    c.create(
        &ep,
        json!({"location": "westeurope", "properties": {"authMode": "Key"}}),
    );
    let dep = format!("{ep}/deployments/blue");
    let body = |collector: Value| json!({"location": "westeurope", "sku": {"name": "Default", "capacity": 1}, "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2", "scaleSettings": {"scaleType": "Default"}, "dataCollector": collector}});
    let refused = [
        // `collections` is required.
        (json!({"rollingRate": "Hour"}), "collections is required"),
        (json!({"collections": null}), "collections is required"),
        (
            json!({"collections": {}, "rollingRate": "Weekly"}),
            "rollingRate",
        ),
        (
            json!({"collections": {"model_inputs": {"dataCollectionMode": "On"}}}),
            "collections.model_inputs.dataCollectionMode",
        ),
        (
            json!({"collections": {"model_inputs": {"samplingRate": "half"}}}),
            "collections.model_inputs.samplingRate",
        ),
    ];
    for (collector, says) in refused {
        let r = c.put(&dep, body(collector.clone()));
        assert_eq!((r.status, code(&r)), (400, "UserError"), "{collector}");
        assert!(message(&r).contains(says), "{collector}: {}", message(&r));
    }
    c.create(
        &dep,
        body(json!({"collections": {"model_inputs": {"dataCollectionMode": "Enabled", "samplingRate": 0.5}, "model_outputs": {"dataCollectionMode": "Disabled"}}, "rollingRate": "Day", "requestLogging": {"captureHeaders": ["x-request-id"]}})),
    );
    // It changes in place (nothing in it is create-only), and null turns collection off.
    c.create(
        &dep,
        body(json!({"collections": {"model_inputs": {"dataCollectionMode": "Disabled"}}})),
    );
    c.create(&dep, body(Value::Null));
}

#[test]
fn a_batch_endpoints_default_deployment_must_exist() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let ep = format!("{}/batchEndpoints/score", ws("fraud"));
    let body = |default: Option<&str>| {
        let mut b = json!({"location": "westeurope", "properties": {"authMode": "AADToken"}});
        if let Some(name) = default {
            b["properties"]["defaults"] = json!({ "deploymentName": name });
        }
        b
    };
    let r = c.put(&ep, body(Some("nightly")));
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    assert!(message(&r).contains("nightly"), "{}", message(&r));
    c.create(&ep, body(None));
    c.create(
        &format!("{ep}/deployments/nightly"),
        json!({"location": "westeurope", "properties": {"compute": "cpu"}}),
    );
    c.create(&ep, body(Some("nightly")));
}

#[test]
fn role_assignments() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let role = |g: &str| {
        format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{g}")
    };
    let ra = |name: &str| {
        format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/{name}",
            ws("fraud")
        )
    };
    let body = |p: &str, r: &str| json!({"properties": {"roleDefinitionId": role(r), "principalId": p, "principalType": "ServicePrincipal"}});
    let a = shape::guid("ra-a");
    let r = c.put(&ra(&a), body("p1", "r1"));
    assert_eq!(r.status, 201);
    let b = r.body.unwrap();
    assert_eq!(b["type"], "Microsoft.Authorization/roleAssignments");
    assert_eq!(b["properties"]["scope"], ws("fraud"));
    assert!(b["properties"].get("provisioningState").is_none());
    assert_eq!(c.put(&ra(&a), body("p1", "r1")).status, 200);
    // Same triple under another name.
    let r = c.put(&ra(&shape::guid("ra-b")), body("P1", "R1"));
    assert_eq!((r.status, code(&r)), (409, "RoleAssignmentExists"));
    // ARM's wording, naming the existing assignment without hyphens.
    assert_eq!(
        message(&r),
        format!(
            "The role assignment already exists. The ID of the existing role assignment is {}.",
            a.replace('-', "")
        )
    );
    // Changing the principal or the role of an existing assignment.
    let r = c.put(&ra(&a), body("p2", "r1"));
    assert_eq!(
        (r.status, code(&r)),
        (400, "RoleAssignmentUpdateNotPermitted")
    );
    let r = c.put(&ra(&a), body("p1", "r2"));
    assert_eq!(
        (r.status, code(&r)),
        (400, "RoleAssignmentUpdateNotPermitted")
    );
    // A role definition ID without the subscription is stored with it.
    let r = c.put(
        &ra(&shape::guid("ra-c")),
        json!({"properties": {"roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/r3", "principalId": "p1"}}),
    );
    assert_eq!(
        r.body.unwrap()["properties"]["roleDefinitionId"],
        role("r3")
    );
    // Names must be GUIDs.
    let r = c.put(&ra("not-a-guid"), body("p9", "r9"));
    assert_eq!((r.status, code(&r)), (400, "InvalidRoleAssignmentId"));
    // Delete: 200 with the body, then 204.
    let r = c.delete(&ra(&a), &[]);
    assert_eq!(r.status, 200);
    assert!(r.body.is_some());
    assert_eq!(c.delete(&ra(&a), &[]).status, 204);
    // Role assignments go with the resource they are scoped to.
    c.delete_done(&ws("fraud"), &[("forceToPurge", "true")]);
    assert!(
        c.emu.resource_ids().is_empty(),
        "{:?}",
        c.emu.resource_ids()
    );
}

#[test]
fn asset_versions_are_immutable() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let v1 = format!("{}/environments/train/versions/1", ws("fraud"));
    let env = |image: &str, desc: &str| json!({"properties": {"image": image, "condaFile": "name: x\n", "description": desc, "tags": {}}});
    let r = c.put(&v1, env("mcr/img:1", "a"));
    assert_eq!(r.status, 201);
    assert!(r.header("azure-asyncoperation").is_none());
    let b = r.body.unwrap();
    assert_eq!(b["properties"]["provisioningState"], "Succeeded");
    assert_eq!(b["properties"]["environmentType"], "UserCreated");
    assert_eq!(c.put(&v1, env("mcr/img:1", "a")).status, 200);
    assert_eq!(c.put(&v1, env("mcr/img:1", "new description")).status, 200);
    let r = c.put(&v1, env("mcr/img:2", "a"));
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    assert_eq!(
        message(&r),
        "Environment train with version 1 is already registered and cannot be changed."
    );
    // Round-tripping what GET returned is not a change.
    let got = c.get(&v1).body.unwrap();
    assert_eq!(c.put(&v1, got).status, 200);

    let m = format!("{}/models/churn/versions/3", ws("fraud"));
    c.create(
        &m,
        json!({"properties": {"modelUri": "azureml://a", "modelType": "mlflow_model"}}),
    );
    let r = c.put(
        &m,
        json!({"properties": {"modelUri": "azureml://b", "modelType": "mlflow_model"}}),
    );
    assert!(message(&r).starts_with("Model churn with version 3"));
    // A version of a missing workspace.
    let r = c.put(
        &format!("{}/data/d/versions/1", ws("nope")),
        json!({"properties": {"dataType": "uri_file", "dataUri": "https://x"}}),
    );
    assert_eq!(r.status, 404);
}

#[test]
fn code_is_uploaded_before_its_version_and_deployments_run_it() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let ep = format!("{}/onlineEndpoints/api", ws("fraud"));
    c.create(
        &ep,
        json!({"location": "westeurope", "properties": {"authMode": "Key"}}),
    );
    let version = format!("{}/codes/api-blue/versions/abc", ws("fraud"));
    let dep = format!("{ep}/deployments/blue");
    let deployment = |code: Value| json!({"location": "westeurope", "sku": {"name": "Default", "capacity": 1}, "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2", "codeConfiguration": code}});
    // A scoring script with no code version to run it from (what amlplan used to send).
    let r = c.put(&dep, deployment(json!({"scoringScript": "score.py"})));
    assert_eq!((r.status, code(&r)), (400, "UserError"), "{:?}", r.body);
    // A code version that names no code.
    let r = c.put(
        &dep,
        deployment(json!({"scoringScript": "score.py", "codeId": version})),
    );
    assert_eq!(r.status, 404, "{:?}", r.body);

    // The upload URL is handed out before the version exists (create or get).
    let r = c.send(
        Method::Post,
        &format!("{version}/startPendingUpload"),
        &[],
        Some(json!({"pendingUploadId": "abc", "pendingUploadType": "TemporaryBlobReference"})),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let answer = r.body.unwrap();
    let blob_uri = answer["blobReferenceForConsumption"]["blobUri"]
        .as_str()
        .unwrap()
        .to_string();
    let sas = answer["blobReferenceForConsumption"]["credential"]["sasUri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(sas.starts_with(&format!("{blob_uri}?")), "{sas}");
    // Registering the version before its files are there is refused.
    let r = c.put(&version, json!({"properties": {"codeUri": blob_uri}}));
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    // A blob without the SAS signature is refused; with it, stored.
    let (_, query) = sas.split_once('?').unwrap();
    let forged = c.emu.put_blob(&crate::provider::BlobRequest {
        url: format!("{blob_uri}/score.py?sv=2024-11-04&sig=forged"),
        body: b"x".to_vec(),
    });
    assert_eq!(forged.status, 403);
    let put = c.emu.put_blob(&crate::provider::BlobRequest {
        url: format!("{blob_uri}/score.py?{query}"),
        body: b"def run(x): return x".to_vec(),
    });
    assert_eq!(put.status, 201);
    assert_eq!(
        c.emu.blobs_under(&blob_uri),
        [(format!("{blob_uri}/score.py"), 20)]
    );
    c.create(
        &version,
        json!({"properties": {"codeUri": blob_uri, "isAnonymous": false}}),
    );
    c.create(
        &dep,
        deployment(json!({"scoringScript": "score.py", "codeId": version})),
    );
    // The files are kept with the cloud.
    let saved: Value = serde_json::from_slice(&c.emu.to_json()).unwrap();
    assert!(saved["blobs"].as_object().is_some_and(|b| b.len() == 1));
}

#[test]
fn archived_asset_versions_are_listed_only_when_asked_for() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    c.create(
        &format!("{}/models/m", ws("fraud")),
        json!({"properties": {}}),
    );
    let versions = format!("{}/models/m/versions", ws("fraud"));
    let body =
        |archived: bool| json!({"properties": {"modelUri": "azureml://a", "isArchived": archived}});
    c.create(&format!("{versions}/1"), body(false));
    c.create(&format!("{versions}/2"), body(false));
    // Archiving is an in-place change of a registered version.
    assert_eq!(c.put(&format!("{versions}/1"), body(true)).status, 200);
    let names = |c: &mut Cloud, query: &[(&str, &str)]| -> Vec<String> {
        let r = c.send(Method::Get, &versions, query, None);
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body.unwrap()["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&mut c, &[]), ["2"]);
    assert_eq!(names(&mut c, &[("listViewType", "ArchivedOnly")]), ["1"]);
    assert_eq!(names(&mut c, &[("listViewType", "All")]), ["1", "2"]);
    // An archived version is still registered: other content is refused.
    let r = c.put(
        &format!("{versions}/1"),
        json!({"properties": {"modelUri": "azureml://b", "isArchived": true}}),
    );
    assert_eq!((r.status, code(&r)), (400, "UserError"));
}

#[test]
fn endpoint_traffic_rules() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let ep = format!("{}/onlineEndpoints/api", ws("fraud"));
    let ep_body = |traffic: Value| json!({"location": "westeurope", "properties": {"authMode": "Key", "traffic": traffic}});
    // Traffic naming a deployment that does not exist yet.
    let r = c.put(&ep, ep_body(json!({"blue": 100})));
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    assert!(message(&r).contains("'blue'"));
    assert!(c.emu.resource_ids().len() == 1);

    let created = c.create(&ep, ep_body(json!({})));
    assert_eq!(
        created["properties"]["scoringUri"],
        "https://api.westeurope.inference.ml.azure.com/score"
    );
    assert_eq!(
        created["properties"]["swaggerUri"],
        "https://api.westeurope.inference.ml.azure.com/swagger.json"
    );
    let dep = |n: &str| format!("{ep}/deployments/{n}");
    let dep_body = json!({"location": "westeurope", "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2"}});
    c.create(&dep("blue"), dep_body.clone());
    c.create(&dep("green"), dep_body);

    assert_eq!(c.put(&ep, ep_body(json!({"blue": 50}))).status, 400);
    assert_eq!(
        c.put(&ep, ep_body(json!({"blue": 50, "gray": 50}))).status,
        400
    );
    let r = c.put(&ep, ep_body(json!({"BLUE": 60, "green": 40})));
    assert_eq!(r.status, 200);
    c.finish(&r);
    let r = c.put(
        &ep,
        json!({"location": "westeurope", "properties": {"authMode": "Key", "traffic": {"blue": 100}, "mirrorTraffic": {"green": 60}}}),
    );
    assert_eq!(r.status, 400);

    // A deployment with traffic cannot be deleted; once its traffic is 0 it can.
    let r = c.delete(&dep("green"), &[]);
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    assert!(message(&r).contains("40%"));
    let r = c.put(&ep, ep_body(json!({"blue": 100, "green": 0})));
    c.finish(&r);
    let r = c.delete(&dep("green"), &[]);
    assert_eq!(r.status, 202);
    assert_eq!(
        c.get(&dep("green")).body.unwrap()["properties"]["provisioningState"],
        "Deleting"
    );
    assert_eq!(c.finish(&r).status, 204);
    assert_eq!(c.get(&dep("green")).status, 404);
    assert_eq!(
        c.get(&ep).body.unwrap()["properties"]["traffic"],
        json!({"blue": 100})
    );
    // Deleting the endpoint deletes its deployments.
    c.delete_done(&ep, &[]);
    assert_eq!(c.emu.resource_ids(), vec![ws("fraud")]);
    // Keys are write-only.
    let mut with_keys = ep_body(json!({}));
    with_keys["properties"]["keys"] = json!({"primaryKey": "secret"});
    let got = c.create(&ep, with_keys);
    assert!(got["properties"].get("keys").is_none());
    assert!(
        !String::from_utf8(c.emu.to_json())
            .unwrap()
            .contains("secret")
    );
}

#[test]
fn deleting_a_workspace_soft_deletes_it() {
    let mut c = Cloud::new();
    c.create(&ws("fraud"), workspace_body());
    let cpu = format!("{}/computes/cpu", ws("fraud"));
    c.create(&cpu, compute_body("Standard_DS3_v2"));
    // Computes need underlyingResourceAction.
    let r = c.delete(&cpu, &[]);
    assert_eq!((r.status, code(&r)), (400, "BadRequest"));

    let r = c.delete(&ws("fraud"), &[]);
    assert_eq!(r.status, 202);
    assert!(r.header("location").is_some());
    assert_eq!(c.finish(&r).status, 204);
    assert_eq!(c.get(&ws("fraud")).status, 404);
    assert_eq!(c.get(&cpu).status, 404);
    assert!(c.emu.resource_ids().is_empty());
    assert_eq!(c.emu.soft_deleted_ids(), vec![ws("fraud")]);

    let r = c.put(&ws("FRAUD"), workspace_body());
    assert_eq!((r.status, code(&r)), (409, "SoftDeletedWorkspaceExists"));
    // Deleting again without purge: already gone.
    assert_eq!(c.delete(&ws("fraud"), &[]).status, 204);
    // Purging frees the name.
    c.delete_done(&ws("fraud"), &[("forceToPurge", "true")]);
    assert!(c.emu.soft_deleted_ids().is_empty());
    c.create(&ws("fraud"), workspace_body());

    // A purge at deletion time never leaves it soft-deleted.
    c.delete_done(&ws("fraud"), &[("forceToPurge", "true")]);
    assert!(c.emu.soft_deleted_ids().is_empty());
    c.create(&ws("fraud"), workspace_body());
    // Deleting something missing is a 204.
    assert_eq!(
        c.delete(&cpu, &[("underlyingResourceAction", "Delete")])
            .status,
        204
    );
}

#[test]
fn isolated_workspaces_get_required_outbound_rules() {
    let mut c = Cloud::new();
    let mut body = workspace_body();
    body["properties"]["managedNetwork"] = json!({"isolationMode": "AllowOnlyApprovedOutbound"});
    c.create(&ws("fraud"), body);
    let rule = format!("{}/outboundRules/pypi", ws("fraud"));
    let r = c.put(
        &rule,
        json!({"properties": {"type": "FQDN", "category": "UserDefined", "destination": "pypi.org"}}),
    );
    assert_eq!(r.status, 202);
    c.finish(&r);

    let w = c.get(&ws("fraud")).body.unwrap();
    let rules = w["properties"]["managedNetwork"]["outboundRules"]
        .as_object()
        .unwrap();
    assert_eq!(rules["pypi"]["category"], "UserDefined");
    assert_eq!(rules["pypi"]["destination"], "pypi.org");
    let required: Vec<&String> = rules
        .iter()
        .filter(|(_, r)| r["category"] == "Required")
        .map(|(n, _)| n)
        .collect();
    assert!(required.len() >= 9, "{required:?}");
    let aml = &rules["__SYS_ST_AzureMachineLearning"];
    assert_eq!(aml["type"], "ServiceTag");
    assert_eq!(aml["destination"]["serviceTag"], "AzureMachineLearning");
    assert!(rules.contains_key("__SYS_ST_BatchNodeManagement_westeurope"));
    assert_eq!(
        rules["__SYS_PE_stfraud_blob"]["destination"]["subresourceTarget"],
        "blob"
    );
    assert_eq!(
        w["properties"]["managedNetwork"]["status"]["status"],
        "Inactive"
    );

    let list = c
        .get(&format!("{}/outboundRules", ws("fraud")))
        .body
        .unwrap();
    let names: Vec<&str> = list["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"pypi") && names.contains(&"__SYS_ST_AzureFrontDoor"),
        "{names:?}"
    );
    // Readable one by one, not deletable, not among the resources the user made.
    let sys = format!("{}/outboundRules/__SYS_ST_AzureMonitor", ws("fraud"));
    assert_eq!(
        c.get(&sys).body.unwrap()["properties"]["category"],
        "Required"
    );
    let r = c.delete(&sys, &[]);
    assert_eq!((r.status, code(&r)), (400, "UserError"));
    assert_eq!(c.emu.resource_ids(), vec![ws("fraud"), rule.clone()]);

    // Provisioning the managed network makes it and its rules active.
    let r = c.send(
        Method::Post,
        &format!("{}/provisionManagedNetwork", ws("fraud")),
        &[],
        Some(json!({"includeSpark": false})),
    );
    assert_eq!(r.status, 202);
    let done = c.finish(&r);
    assert_eq!(done.body.unwrap()["status"], "Active");
    let w = c.get(&ws("fraud")).body.unwrap();
    assert_eq!(
        w["properties"]["managedNetwork"]["status"]["status"],
        "Active"
    );
    assert_eq!(c.get(&rule).body.unwrap()["properties"]["status"], "Active");

    // Deleting the workspace deletes its rules.
    c.delete_done(&ws("fraud"), &[("forceToPurge", "true")]);
    assert!(c.emu.resource_ids().is_empty());
    assert_eq!(c.get(&rule).status, 404);
}

#[test]
fn inline_outbound_rules_are_the_whole_set() {
    let mut c = Cloud::new();
    let mut body = workspace_body();
    body["properties"]["managedNetwork"] = json!({"isolationMode": "AllowInternetOutbound", "outboundRules": {
        "a": {"type": "FQDN", "destination": "a.org"},
        "b": {"type": "FQDN", "destination": "b.org"}}});
    c.create(&ws("fraud"), body.clone());
    assert_eq!(c.emu.resource_ids().len(), 3);
    // Without the map: rules kept. With a map: exactly those user rules.
    let mut plain = body.clone();
    plain["properties"]["managedNetwork"]
        .as_object_mut()
        .unwrap()
        .remove("outboundRules");
    c.create(&ws("fraud"), plain);
    assert_eq!(c.emu.resource_ids().len(), 3);
    let mut got = c.get(&ws("fraud")).body.unwrap();
    got["properties"]["managedNetwork"]["outboundRules"]
        .as_object_mut()
        .unwrap()
        .remove("a");
    c.create(&ws("fraud"), got);
    let ids = c.emu.resource_ids();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids[1].ends_with("/outboundRules/b"));
}

#[test]
fn private_dns_zones() {
    let mut c = Cloud::new();
    let zone = format!(
        "{}/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms",
        rg()
    );
    // 202 with both status headers (issue 7, item 9).
    let r = c.put(&zone, json!({"location": "global"}));
    assert_eq!(r.status, 202);
    assert!(
        r.header("azure-asyncoperation")
            .unwrap()
            .contains("/privateDnsOperationStatuses/")
    );
    assert!(
        r.header("location")
            .unwrap()
            .contains("/privateDnsOperationResults/")
    );
    c.finish(&r);
    let link = format!("{zone}/virtualNetworkLinks/hub");
    c.create(
        &link,
        json!({"location": "global", "properties": {"virtualNetwork": {"id": "/vnets/hub"}, "registrationEnabled": false}}),
    );
    let rec = format!("{zone}/A/ws");
    let r = c.put(
        &rec,
        json!({"properties": {"ttl": 10, "aRecords": [{"ipv4Address": "10.0.0.4"}]}}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(
        r.body.unwrap()["properties"]["fqdn"],
        "ws.privatelink.api.azureml.ms."
    );
    let z = c.get(&zone).body.unwrap();
    assert_eq!(z["properties"]["numberOfRecordSets"], 2);
    assert_eq!(z["properties"]["numberOfVirtualNetworkLinks"], 1);
    assert!(z["etag"].is_string());
    assert_eq!(
        c.put(
            &link,
            json!({"location": "global", "properties": {"virtualNetwork": {"id": "/vnets/other"}}})
        )
        .status,
        400
    );
    // A zone with links cannot be deleted.
    let r = c.delete(&zone, &[]);
    assert_eq!((r.status, code(&r)), (409, "Conflict"));
    c.delete_done(&link, &[]);
    c.delete_done(&zone, &[]);
    assert!(c.emu.resource_ids().is_empty());
}

#[test]
fn a_key_vault_put_is_polled_through_the_vault_itself() {
    let mut c = Cloud::new();
    let kv = format!("{}/providers/Microsoft.KeyVault/vaults/kv-fraud", rg());
    let r = c.put(
        &kv,
        json!({"location": "westeurope", "properties": {"tenantId": "t", "sku": {"family": "A", "name": "standard"}}}),
    );
    assert_eq!(r.status, 201);
    assert!(r.header("azure-asyncoperation").is_none() && r.header("location").is_none());
    let state =
        |r: &ArmResponse| r.body.as_ref().unwrap()["properties"]["provisioningState"].clone();
    assert_eq!(state(&r), "Creating");
    // Each read is a poll; the default two finish it.
    assert_eq!(state(&c.get(&kv)), "Creating");
    assert_eq!(state(&c.get(&kv)), "Succeeded");
}

#[test]
fn a_deleted_purge_protected_vault_keeps_its_name_until_recovered() {
    let mut c = Cloud::new();
    let kv = format!("{}/providers/Microsoft.KeyVault/vaults/kv-fraud", rg());
    let body = json!({"location": "westeurope", "properties": {"tenantId": "t", "sku": {"family": "A", "name": "standard"}, "enableSoftDelete": true, "enablePurgeProtection": true}});
    c.create(&kv, body.clone());
    assert_eq!(c.delete(&kv, &[]).status, 200);
    let deleted = format!(
        "/subscriptions/{SUB}/providers/Microsoft.KeyVault/locations/westeurope/deletedVaults/kv-fraud"
    );
    let r = c.get(&deleted);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body.unwrap()["properties"]["purgeProtectionEnabled"],
        true
    );
    // The name is taken: a create is refused, a recovery elsewhere too.
    let r = c.put(&kv, body.clone());
    assert_eq!((r.status, code(&r)), (409, "ConflictError"));
    let mut recover = body.clone();
    recover["properties"]["createMode"] = json!("recover");
    let mut elsewhere = recover.clone();
    elsewhere["location"] = json!("eastus");
    assert_eq!(c.put(&kv, elsewhere).status, 400);
    c.create(&kv, recover.clone());
    assert_eq!(c.get(&deleted).status, 404);
    assert!(
        c.get(&kv).body.unwrap()["properties"]
            .get("createMode")
            .is_none()
    );
    // Recovering what is not deleted is refused.
    let other = format!("{}/providers/Microsoft.KeyVault/vaults/kv-other", rg());
    assert_eq!(c.put(&other, recover).status, 404);
}

#[test]
fn a_new_write_finishes_the_operation_in_flight() {
    let mut c = Cloud::new();
    let r = c.put(&ws("fraud"), workspace_body());
    assert_eq!(c.emu.operations_in_flight(), 1);
    // The client died before polling; the next write to the resource waits for it.
    let r2 = c.put(&ws("fraud"), workspace_body());
    assert_eq!(r2.status, 202);
    assert_eq!(c.emu.operations_in_flight(), 1);
    let first = c.poll(r.header("location").unwrap());
    assert_eq!(first.status, 200);
    // A PUT during a (soft) delete waits for it, and then finds the name taken.
    let del = c.delete(&ws("fraud"), &[]);
    assert_eq!(del.status, 202);
    let r = c.put(&ws("fraud"), workspace_body());
    assert_eq!((r.status, code(&r)), (409, "SoftDeletedWorkspaceExists"));
    assert_eq!(c.poll(del.header("location").unwrap()).status, 204);
    c.delete_done(&ws("fraud"), &[("forceToPurge", "true")]);
    c.put(&ws("fraud"), workspace_body());
    let del = c.delete(&ws("fraud"), &[("forceToPurge", "true")]);
    assert_eq!(del.status, 202);
    c.emu.settle_all(c.now);
    assert_eq!(c.emu.operations_in_flight(), 0);
    assert!(c.emu.resource_ids().is_empty());
}

#[test]
fn injected_faults() {
    let mut opts = EmulatorOptions::default();
    opts.fail_next.push((
        Method::Put,
        "/computes/".into(),
        429,
        "TooManyRequests".into(),
    ));
    opts.fail_operations
        .push(("/computes/gpu".into(), "QuotaExceeded".into()));
    let mut c = Cloud::with(opts);
    c.create(&ws("fraud"), workspace_body());
    c.emu.options_mut().fail_next.push((
        Method::Get,
        "WORKSPACES/FRAUD".into(),
        500,
        "InternalServerError".into(),
    ));
    let r = c.get(&ws("fraud"));
    assert_eq!((r.status, code(&r)), (500, "InternalServerError"));
    assert_eq!(c.get(&ws("fraud")).status, 200, "once only");

    let cpu = format!("{}/computes/cpu", ws("fraud"));
    let r = c.put(&cpu, compute_body("Standard_DS3_v2"));
    assert_eq!((r.status, code(&r)), (429, "TooManyRequests"));
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(c.get(&cpu).status, 404, "a refused request changes nothing");
    c.create(&cpu, compute_body("Standard_DS3_v2"));

    let gpu = format!("{}/computes/gpu", ws("fraud"));
    let r = c.put(&gpu, compute_body("Standard_NC6s_v3"));
    assert_eq!(r.status, 201);
    let done = c.finish(&r).body.unwrap();
    assert_eq!(done["status"], "Failed");
    assert_eq!(done["error"]["code"], "QuotaExceeded");
    assert_eq!(
        c.get(&gpu).body.unwrap()["properties"]["provisioningState"],
        "Failed"
    );
    // A failed Location-style operation answers with the error.
    let mut opts = EmulatorOptions::default();
    opts.fail_operations
        .push(("workspaces/ws-two".into(), "InternalError".into()));
    let mut c = Cloud::with(opts);
    let r = c.put(&ws("ws-two"), workspace_body());
    let done = c.finish(&r);
    assert_eq!((done.status, code(&done)), (400, "InternalError"));
}

#[test]
fn fault_schedule_is_deterministic() {
    let run = |seed: u64| {
        let opts = EmulatorOptions {
            faults: FaultPlan {
                seed,
                rate_429: 0.2,
                rate_500: 0.1,
                rate_lro_failed: 0.3,
            },
            polls_until_done: 1,
            ..EmulatorOptions::default()
        };
        let mut c = Cloud::with(opts);
        let mut trace = Vec::new();
        for i in 0..40 {
            let path = ws(&format!("ws-{}", i % 5));
            let r = c.put(&path, workspace_body());
            trace.push((r.status, code(&r).to_string()));
            if let Some(l) = r.header("location") {
                let l = l.to_string();
                let p = c.poll(&l);
                trace.push((p.status, code(&p).to_string()));
            }
            let g = c.get(&path);
            trace.push((g.status, code(&g).to_string()));
        }
        trace
    };
    let a = run(42);
    assert_eq!(a, run(42));
    assert_ne!(a, run(43));
    for code in [
        "SubscriptionRequestsThrottled",
        "InternalServerError",
        "ResourceOperationFailure",
    ] {
        assert!(a.iter().any(|(_, c)| c == code), "no {code} in {a:?}");
    }
}

#[test]
fn requests_arm_rejects() {
    let mut c = Cloud::new();
    let mut bad_api = ArmRequest {
        method: Method::Get,
        path: ws("fraud"),
        api_version: String::new(),
        query: Vec::new(),
        body: None,
    };
    let r = c.emu.handle(&bad_api, 1);
    assert_eq!(code(&r), "MissingApiVersionParameter");
    bad_api.api_version = "latest".into();
    assert_eq!(
        code(&c.emu.handle(&bad_api, 2)),
        "InvalidApiVersionParameter"
    );
    let r = c.put(&ws("x"), workspace_body());
    assert_eq!(code(&r), "InvalidResourceName");
    c.create(&ws("fraud"), workspace_body());
    let r = c.put(
        &format!("{}/computes/cpu-1", ws("fraud")),
        compute_body("Standard_DS3_v2"),
    );
    assert_eq!(code(&r), "InvalidResourceName");
    let r = c.put(
        &format!("{}/computes/cpu", ws("fraud")),
        json!({"properties": {"computeType": "AmlCompute"}}),
    );
    assert_eq!(code(&r), "LocationRequired");
    let r = c.send(Method::Put, &ws("fraud"), &[], None);
    assert_eq!(code(&r), "InvalidRequestContent");
    let r = c.send(
        Method::Post,
        &format!("{}/frobnicate", ws("fraud")),
        &[],
        None,
    );
    assert_eq!(code(&r), "UnsupportedAction");
    let r = c.send(
        Method::Post,
        &format!("{}/onlineEndpoints/x/listKeys", ws("fraud")),
        &[],
        None,
    );
    assert_eq!(r.status, 404);
    // PATCH merges into the stored resource.
    let r = c.send(
        Method::Patch,
        &ws("fraud"),
        &[],
        Some(json!({"tags": {"team": "risk"}, "properties": {"friendlyName": "Patched"}})),
    );
    assert_eq!(r.status, 202);
    c.finish(&r);
    let w = c.get(&ws("fraud")).body.unwrap();
    assert_eq!(w["tags"]["team"], "risk");
    assert_eq!(w["properties"]["friendlyName"], "Patched");
    assert_eq!(
        w["properties"]["keyVault"],
        workspace_body()["properties"]["keyVault"]
    );
}

#[test]
fn polls_until_done_zero_finishes_at_once() {
    let mut c = Cloud::with(EmulatorOptions {
        polls_until_done: 0,
        ..EmulatorOptions::default()
    });
    let r = c.put(&ws("fraud"), workspace_body());
    assert_eq!(r.status, 202);
    assert_eq!(
        c.get(&ws("fraud")).body.unwrap()["properties"]["provisioningState"],
        "Succeeded"
    );
    assert_eq!(c.poll(r.header("location").unwrap()).status, 200);
}

fn temp_file(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".amlplan").join(name);
    (dir, path)
}

#[tokio::test]
async fn persistence_round_trip() {
    let (_dir, path) = temp_file("mock-cloud.json");
    let cloud = MockCloud::open(&path, EmulatorOptions::default()).unwrap();
    assert!(!path.exists(), "nothing written before the first change");
    let put = |p: &str, body: Value| ArmRequest {
        method: Method::Put,
        path: p.to_string(),
        api_version: API.into(),
        query: Vec::new(),
        body: Some(body),
    };
    let r = cloud
        .send(put(&ws("fraud"), workspace_body()))
        .await
        .unwrap();
    assert_eq!(r.status, 202);
    assert!(path.exists());
    let rule = format!("{}/outboundRules/pypi", ws("fraud"));
    cloud
        .send(put(
            &rule,
            json!({"properties": {"type": "FQDN", "destination": "pypi.org"}}),
        ))
        .await
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format_version"], 1);
    assert!(file["clock"].as_u64().unwrap() > 0);
    assert_eq!(file["resources"].as_object().unwrap().len(), 2);
    assert_eq!(file["operations"].as_object().unwrap().len(), 2);
    assert!(file["soft_deleted"].is_object());

    // Reopened, the cloud is the same, operations in flight included.
    let again = MockCloud::open(&path, EmulatorOptions::default()).unwrap();
    assert_eq!(again.resource_ids(), cloud.resource_ids());
    assert_eq!(again.lock().operations_in_flight(), 2);
    assert_eq!(
        again.lock().resource(&ws("fraud")),
        cloud.lock().resource(&ws("fraud"))
    );
    // Deterministic: saving the same state writes the same bytes.
    again.save().unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let op_url = r.header("location").unwrap().to_string();
    let poll = crate::provider::client::request_for_url(&op_url, API);
    again.send(poll.clone()).await.unwrap();
    assert_eq!(again.send(poll).await.unwrap().status, 200);
    let reloaded = MockCloud::open(&path, EmulatorOptions::default()).unwrap();
    assert_eq!(
        reloaded.lock().resource(&ws("fraud")).unwrap()["properties"]["provisioningState"],
        "Succeeded"
    );
    // No temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["mock-cloud.json".to_string()]);
}

#[test]
fn corrupt_or_unknown_files_are_errors_and_left_alone() {
    let (_dir, path) = temp_file("mock-cloud.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    for content in [
        "{not json",
        "",
        r#"{"format_version": 2, "clock": 0}"#,
        r#"{"resources": {}}"#,
        r#"{"format_version": 1, "clock": "soon"}"#,
    ] {
        std::fs::write(&path, content).unwrap();
        let e = MockCloud::open(&path, EmulatorOptions::default()).unwrap_err();
        assert_eq!(e.path, path);
        assert!(e.to_string().contains("left untouched"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    }
    let e = MockCloud::open(&path, EmulatorOptions::default()).unwrap_err();
    assert!(e.to_string().contains("mock cloud file"));
}

#[tokio::test]
async fn latency_advances_the_logical_clock() {
    let cloud = MockCloud::new(EmulatorOptions {
        latency: Latency {
            default_ms: 0,
            per_method: vec![(Method::Get, 2)],
        },
        ..EmulatorOptions::default()
    });
    let get = ArmRequest {
        method: Method::Get,
        path: ws("x"),
        api_version: API.into(),
        query: Vec::new(),
        body: None,
    };
    let started = std::time::Instant::now();
    cloud.send(get.clone()).await.unwrap();
    cloud.send(get).await.unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(4));
    assert_eq!(cloud.lock().clock(), 4);
}

/// ARM cannot deserialize a Kubernetes quantity that is not a string (the wire check found
/// amlplan sending a GPU count as a number): the emulator refuses it as ARM does.
#[test]
fn a_kubernetes_instance_types_resources_must_be_strings() {
    let mut c = Cloud::new();
    c.create(&ws("wk8"), workspace_body());
    let aks = format!("{}/computes/aks", ws("wk8"));
    let body = |gpu: Value| {
        json!({"location": "eastus", "properties": {
            "computeType": "Kubernetes",
            "resourceId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/aks/providers/Microsoft.ContainerService/managedClusters/aks1",
            "properties": {"namespace": "azureml", "instanceTypes": {"gpu": {"resources": {
                "requests": {"cpu": "4"},
                "limits": {"cpu": "4", "nvidia.com/gpu": gpu},
            }}}},
        }})
    };
    let refused = c.put(&aks, body(json!(1)));
    assert_eq!(
        (refused.status, code(&refused)),
        (400, "InvalidRequestContent")
    );
    let text = refused.body.clone().unwrap_or_default().to_string();
    assert!(text.contains("nvidia.com/gpu"), "{text}");
    c.create(&aks, body(json!("1")));
}
