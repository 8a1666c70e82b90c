//! What ARM does to a body: the request normalised as the service stores it (defaults,
//! locations lower-cased, write-only and read-only fields dropped), then merged with the
//! fields the service populates (`id`, `name`, `type`, `systemData`, `provisioningState`,
//! identity principal IDs, scoring URIs, ...). Everything is deterministic: GUIDs are UUID v5
//! of the resource ID, times come from the logical clock.

use serde_json::{Map, Value, json};

use super::kinds::{Kind, canonical_type};
use super::path::ArmPath;
use super::rules::{isolation_enabled, isolation_mode};
use super::store::StoredResource;

/// Unix time (seconds) of logical time 0: 2025-01-01T00:00:00Z.
const EPOCH_UNIX_S: u64 = 1_735_689_600;

/// Who the mock cloud says made every change.
pub(crate) const ACTOR: &str = "amlplan-mock@example.com";

/// ISO 8601 UTC time of a logical-clock instant.
pub(crate) fn iso_time(ms: u64) -> String {
    let secs = EPOCH_UNIX_S + ms / 1000;
    let millis = ms % 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// A deterministic GUID for `seed`.
pub(crate) fn guid(seed: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("amlplan-mock:{seed}").as_bytes(),
    )
    .to_string()
}

/// The tenant every identity of the mock cloud lives in.
pub(crate) fn tenant_id() -> String {
    guid("tenant")
}

/// ARM's normalised location: lower case, no spaces (`West Europe` → `westeurope`).
pub(crate) fn normalise_location(loc: &str) -> String {
    loc.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn props_mut(body: &mut Value) -> &mut Map<String, Value> {
    let obj = body.as_object_mut().expect("bodies are objects");
    let props = obj
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if !props.is_object() {
        *props = Value::Object(Map::new());
    }
    props.as_object_mut().expect("just made an object")
}

fn set_default(map: &mut Map<String, Value>, key: &str, value: Value) {
    if map.get(key).is_none_or(Value::is_null) {
        map.insert(key.to_string(), value);
    }
}

fn remove_all(map: &mut Map<String, Value>, keys: &[&str]) {
    for k in keys {
        map.remove(*k);
    }
}

/// The request as the service stores it: what create-only and asset rules compare.
pub(crate) fn normalise_request(kind: Kind, path: &ArmPath, mut body: Value) -> Value {
    let obj = body.as_object_mut().expect("bodies are objects");
    remove_all(obj, &["id", "name", "type", "systemData", "etag"]);
    if let Some(Value::String(loc)) = obj.get("location") {
        let l = normalise_location(loc);
        obj.insert("location".into(), Value::String(l));
    }
    if let Some(identity) = obj.get_mut("identity").and_then(Value::as_object_mut) {
        remove_all(identity, &["principalId", "tenantId"]);
    }
    let has_props = obj.contains_key("properties");
    if !has_props && !matches!(kind, Kind::DnsZone | Kind::ResourceGroup | Kind::Other) {
        obj.insert("properties".into(), Value::Object(Map::new()));
    }
    if let Some(p) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        p.remove("provisioningState");
    }
    match kind {
        Kind::Workspace => {
            set_default(obj, "kind", json!("Default"));
            set_default(obj, "sku", json!({"name": "Basic", "tier": "Basic"}));
            let p = props_mut(&mut body);
            remove_all(
                p,
                &[
                    "workspaceId",
                    "discoveryUrl",
                    "mlFlowTrackingUri",
                    "tenantId",
                    "storageHnsEnabled",
                    "privateLinkCount",
                    "privateEndpointConnections",
                    "serviceProvisionedResourceGroup",
                    "notebookInfo",
                ],
            );
            set_default(p, "hbiWorkspace", json!(false));
            set_default(p, "publicNetworkAccess", json!("Enabled"));
            set_default(p, "v1LegacyMode", json!(false));
            let mn = p
                .entry("managedNetwork")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(mn) = mn.as_object_mut() {
                // Rules live as child resources and the status belongs to the service.
                remove_all(mn, &["outboundRules", "status", "networkId"]);
                set_default(mn, "isolationMode", json!("Disabled"));
            }
        }
        Kind::OutboundRule => {
            let p = props_mut(&mut body);
            p.insert("category".into(), json!("UserDefined"));
            remove_all(p, &["status", "errorInformation", "parentRuleNames"]);
        }
        Kind::Compute => {
            let p = props_mut(&mut body);
            remove_all(
                p,
                &[
                    "createdOn",
                    "modifiedOn",
                    "isAttachedCompute",
                    "provisioningErrors",
                ],
            );
            let is_aml = p
                .get("computeType")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("AmlCompute"));
            if let Some(inner) = p.get_mut("properties").and_then(Value::as_object_mut) {
                remove_all(
                    inner,
                    &[
                        "allocationState",
                        "allocationStateTransitionTime",
                        "currentNodeCount",
                        "targetNodeCount",
                        "nodeStateCounts",
                        "errors",
                        "state",
                    ],
                );
                if let Some(creds) = inner
                    .get_mut("userAccountCredentials")
                    .and_then(Value::as_object_mut)
                {
                    creds.remove("adminUserPassword");
                }
                if is_aml && let Some(Value::String(size)) = inner.get("vmSize") {
                    let upper = size.to_ascii_uppercase();
                    inner.insert("vmSize".into(), Value::String(upper));
                }
            }
        }
        Kind::OnlineEndpoint | Kind::BatchEndpoint => {
            let online = kind == Kind::OnlineEndpoint;
            let p = props_mut(&mut body);
            // Write-only: never stored, never returned (use listKeys).
            remove_all(p, &["keys", "scoringUri", "swaggerUri"]);
            if online {
                set_default(p, "traffic", json!({}));
                set_default(p, "mirrorTraffic", json!({}));
                set_default(p, "publicNetworkAccess", json!("Enabled"));
            }
        }
        Kind::AssetVersion => {
            props_mut(&mut body).remove("environmentType");
        }
        Kind::PrivateEndpoint => {
            props_mut(&mut body).remove("networkInterfaces");
        }
        Kind::DnsZone => {
            if let Some(p) = obj.get_mut("properties").and_then(Value::as_object_mut) {
                p.clear();
            }
        }
        Kind::VnetLink => {
            props_mut(&mut body).remove("virtualNetworkLinkState");
        }
        Kind::DnsRecord => {
            remove_all(props_mut(&mut body), &["fqdn", "isAutoRegistered"]);
        }
        Kind::RoleAssignment => {
            let sub = path.subscription().map(str::to_string);
            let p = props_mut(&mut body);
            remove_all(
                p,
                &["scope", "createdOn", "updatedOn", "createdBy", "updatedBy"],
            );
            if let (Some(sub), Some(Value::String(role))) = (sub, p.get("roleDefinitionId"))
                && role
                    .to_ascii_lowercase()
                    .starts_with("/providers/microsoft.authorization/roledefinitions/")
            {
                let full = format!("/subscriptions/{sub}{role}");
                p.insert("roleDefinitionId".into(), Value::String(full));
            }
        }
        _ => {}
    }
    body
}

/// Everything the service keeps about a resource after a write: `normalised` plus the
/// service-populated fields. `existing` is the resource before the write (for creation
/// time and server-owned state).
pub(crate) fn materialise(
    kind: Kind,
    path: &ArmPath,
    normalised: Value,
    existing: Option<&StoredResource>,
    provisioning_state: &str,
    now: u64,
) -> Value {
    let key = path.key();
    let id = existing.map_or_else(|| path.path.clone(), |e| e.id.clone());
    let name = id.rsplit('/').next().unwrap_or_default().to_string();
    let created_ms = existing.map_or(now, |e| e.created_ms);
    let Value::Object(fields) = normalised else {
        unreachable!("bodies are objects")
    };
    let mut out = Map::new();
    out.insert("id".into(), Value::String(id.clone()));
    out.insert("name".into(), Value::String(name.clone()));
    out.insert("type".into(), Value::String(canonical_type(path)));
    out.extend(fields);
    let mut body = Value::Object(out);
    let location = body
        .get("location")
        .and_then(Value::as_str)
        .unwrap_or("global")
        .to_string();

    if let Some(identity) = body.get_mut("identity").and_then(Value::as_object_mut) {
        let ty = identity
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        if ty.contains("systemassigned") {
            identity.insert(
                "principalId".into(),
                Value::String(guid(&format!("{key}#principal"))),
            );
            identity.insert("tenantId".into(), Value::String(tenant_id()));
        }
        if let Some(uais) = identity
            .get_mut("userAssignedIdentities")
            .and_then(Value::as_object_mut)
        {
            for (uai, v) in uais.iter_mut() {
                let k = uai.to_ascii_lowercase();
                *v = json!({
                    "principalId": guid(&format!("{k}#principal")),
                    "clientId": guid(&format!("{k}#client")),
                });
            }
        }
    }

    if kind.has_provisioning_state() && body.get("properties").is_some_and(Value::is_object)
        || matches!(kind, Kind::DnsZone)
    {
        props_mut(&mut body).insert("provisioningState".into(), json!(provisioning_state));
    }

    let old = existing.map(|e| &e.body);
    match kind {
        Kind::Workspace => {
            let status = old
                .and_then(|o| o.pointer("/properties/managedNetwork/status"))
                .cloned()
                .unwrap_or_else(|| json!({"status": "Inactive", "sparkReady": false}));
            let enabled = isolation_enabled(&body);
            let p = props_mut(&mut body);
            p.insert(
                "workspaceId".into(),
                json!(guid(&format!("{key}#workspace"))),
            );
            p.insert(
                "discoveryUrl".into(),
                json!(format!("https://{location}.api.azureml.ms/discovery")),
            );
            p.insert(
                "mlFlowTrackingUri".into(),
                json!(format!(
                    "azureml://{location}.api.azureml.ms/mlflow/v1.0{id}"
                )),
            );
            p.insert("tenantId".into(), json!(tenant_id()));
            p.insert("storageHnsEnabled".into(), json!(false));
            p.insert("privateLinkCount".into(), json!(0));
            if let Some(mn) = p.get_mut("managedNetwork").and_then(Value::as_object_mut) {
                let status = if enabled {
                    status
                } else {
                    json!({"status": "Inactive", "sparkReady": false})
                };
                mn.insert("status".into(), status);
                if enabled {
                    mn.insert("networkId".into(), json!(guid(&format!("{key}#network"))));
                }
            }
        }
        Kind::Compute => {
            let created_on = old
                .and_then(|o| o.pointer("/properties/createdOn"))
                .cloned()
                .unwrap_or_else(|| json!(iso_time(created_ms)));
            let state = old
                .and_then(|o| o.pointer("/properties/properties/state"))
                .cloned()
                .unwrap_or_else(|| json!("Running"));
            let p = props_mut(&mut body);
            p.insert("createdOn".into(), created_on);
            p.insert("modifiedOn".into(), json!(iso_time(now)));
            p.insert("isAttachedCompute".into(), json!(false));
            set_default(p, "computeLocation", json!(location));
            let compute_type = p
                .get("computeType")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let inner = p
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(inner) = inner.as_object_mut() {
                match compute_type.as_str() {
                    "amlcompute" => {
                        let min = inner
                            .get("scaleSettings")
                            .and_then(|s| s.get("minNodeCount"))
                            .and_then(Value::as_u64)
                            .unwrap_or(0);
                        inner.insert("allocationState".into(), json!("Steady"));
                        inner.insert("allocationStateTransitionTime".into(), json!(iso_time(now)));
                        inner.insert("currentNodeCount".into(), json!(min));
                        inner.insert("targetNodeCount".into(), json!(min));
                        inner.insert(
                            "nodeStateCounts".into(),
                            json!({"idleNodeCount": min, "runningNodeCount": 0, "preparingNodeCount": 0,
                                   "unusableNodeCount": 0, "leavingNodeCount": 0, "preemptedNodeCount": 0}),
                        );
                    }
                    "computeinstance" => {
                        inner.insert("state".into(), state);
                    }
                    _ => {}
                }
            }
        }
        Kind::OnlineEndpoint | Kind::BatchEndpoint => {
            let host = format!("https://{name}.{location}.inference.ml.azure.com");
            let p = props_mut(&mut body);
            if kind == Kind::OnlineEndpoint {
                p.insert("scoringUri".into(), json!(format!("{host}/score")));
                p.insert("swaggerUri".into(), json!(format!("{host}/swagger.json")));
            } else {
                p.insert("scoringUri".into(), json!(format!("{host}/jobs")));
            }
        }
        Kind::AssetVersion
            if path
                .types
                .get(1)
                .is_some_and(|t| t.eq_ignore_ascii_case("environments")) =>
        {
            props_mut(&mut body).insert("environmentType".into(), json!("UserCreated"));
        }
        Kind::PrivateEndpoint => {
            let sub = path.subscription().unwrap_or_default().to_string();
            let rg = path.resource_group().unwrap_or_default().to_string();
            let p = props_mut(&mut body);
            p.insert(
                "networkInterfaces".into(),
                json!([{"id": format!(
                    "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/{name}.nic.{}",
                    guid(&format!("{key}#nic"))
                )}]),
            );
            for list in [
                "privateLinkServiceConnections",
                "manualPrivateLinkServiceConnections",
            ] {
                let manual = list.starts_with("manual");
                if let Some(conns) = p.get_mut(list).and_then(Value::as_array_mut) {
                    for c in conns {
                        if let Some(cp) = c.get_mut("properties").and_then(Value::as_object_mut) {
                            cp.insert(
                                "privateLinkServiceConnectionState".into(),
                                if manual {
                                    json!({"status": "Pending", "description": "Awaiting approval", "actionsRequired": "None"})
                                } else {
                                    json!({"status": "Approved", "description": "Auto-Approved", "actionsRequired": "None"})
                                },
                            );
                        }
                    }
                }
            }
        }
        Kind::DnsZone => {
            let p = props_mut(&mut body);
            p.insert("maxNumberOfRecordSets".into(), json!(25_000));
            p.insert("maxNumberOfVirtualNetworkLinks".into(), json!(1_000));
            p.insert(
                "maxNumberOfVirtualNetworkLinksWithRegistration".into(),
                json!(100),
            );
            p.insert("internalId".into(), json!(guid(&format!("{key}#internal"))));
        }
        Kind::VnetLink => {
            props_mut(&mut body).insert("virtualNetworkLinkState".into(), json!("Completed"));
        }
        Kind::DnsRecord => {
            let zone = path.names.first().cloned().unwrap_or_default();
            let p = props_mut(&mut body);
            let fqdn = if name == "@" {
                format!("{zone}.")
            } else {
                format!("{name}.{zone}.")
            };
            p.insert("fqdn".into(), json!(fqdn));
            p.insert("isAutoRegistered".into(), json!(false));
        }
        Kind::RoleAssignment => {
            let created_on = old
                .and_then(|o| o.pointer("/properties/createdOn"))
                .cloned()
                .unwrap_or_else(|| json!(iso_time(created_ms)));
            let p = props_mut(&mut body);
            p.insert("scope".into(), json!(path.scope));
            p.insert("createdOn".into(), created_on);
            p.insert("updatedOn".into(), json!(iso_time(now)));
            p.insert("createdBy".into(), json!(guid("actor")));
            p.insert("updatedBy".into(), json!(guid("actor")));
        }
        _ => {}
    }
    if matches!(
        kind,
        Kind::PrivateEndpoint | Kind::DnsZone | Kind::VnetLink | Kind::DnsRecord | Kind::Network
    ) && let Some(o) = body.as_object_mut()
    {
        o.insert(
            "etag".into(),
            json!(format!("W/\"{}\"", guid(&format!("{key}#{now}")))),
        );
    }
    if let Some(o) = body.as_object_mut() {
        o.insert(
            "systemData".into(),
            json!({
                "createdBy": ACTOR,
                "createdByType": "User",
                "createdAt": iso_time(created_ms),
                "lastModifiedBy": ACTOR,
                "lastModifiedByType": "User",
                "lastModifiedAt": iso_time(now),
            }),
        );
    }
    body
}

/// The outbound rules the service adds by itself to a workspace with managed-network
/// isolation on (`category: Required`): private-endpoint rules to its storage account, key
/// vault and container registry, and, in `AllowOnlyApprovedOutbound` mode, the service tags
/// the workspace needs.
pub(crate) fn required_outbound_rules(workspace: &Value) -> Vec<(String, Value)> {
    if !isolation_enabled(workspace) {
        return Vec::new();
    }
    let active = workspace
        .pointer("/properties/managedNetwork/status/status")
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("Active"));
    let status = if active { "Active" } else { "Inactive" };
    let location = workspace
        .get("location")
        .and_then(Value::as_str)
        .unwrap_or("global");
    let mut rules = Vec::new();
    let targets: [(&str, &[&str]); 3] = [
        ("storageAccount", &["blob", "file"]),
        ("keyVault", &["vault"]),
        ("containerRegistry", &["registry"]),
    ];
    for (prop, subresources) in targets {
        let Some(target) = workspace
            .pointer(&format!("/properties/{prop}"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let target_name = target.rsplit('/').next().unwrap_or(target);
        for sub in subresources {
            rules.push((
                format!("__SYS_PE_{target_name}_{sub}"),
                json!({
                    "type": "PrivateEndpoint",
                    "category": "Required",
                    "status": status,
                    "destination": {
                        "serviceResourceId": target,
                        "subresourceTarget": sub,
                        "sparkEnabled": false,
                        "sparkStatus": "Inactive",
                    },
                }),
            ));
        }
    }
    if isolation_mode(workspace)
        .is_some_and(|m| m.eq_ignore_ascii_case("AllowOnlyApprovedOutbound"))
    {
        let batch = format!("BatchNodeManagement.{location}");
        let tags = [
            "AzureActiveDirectory",
            "AzureMachineLearning",
            batch.as_str(),
            "AzureResourceManager",
            "AzureFrontDoor",
            "MicrosoftContainerRegistry",
            "AzureMonitor",
        ];
        for tag in tags {
            rules.push((
                format!("__SYS_ST_{}", tag.replace('.', "_")),
                json!({
                    "type": "ServiceTag",
                    "category": "Required",
                    "status": status,
                    "destination": {
                        "serviceTag": tag,
                        "protocol": "TCP",
                        "portRanges": "443",
                        "action": "Allow",
                    },
                }),
            ));
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times() {
        assert_eq!(iso_time(0), "2025-01-01T00:00:00.000Z");
        assert_eq!(
            iso_time(86_400_000 * 59 + 3_723_004),
            "2025-03-01T01:02:03.004Z"
        );
        assert_eq!(iso_time(86_400_000 * 365), "2026-01-01T00:00:00.000Z");
    }

    #[test]
    fn locations_normalise() {
        assert_eq!(normalise_location("West Europe"), "westeurope");
    }
}
