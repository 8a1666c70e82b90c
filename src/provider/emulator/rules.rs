//! The rules ARM enforces on an update, in one place: create-only properties per kind,
//! one-way transitions, and the immutability of asset versions.
//!
//! Bodies compared here are normalised request bodies (defaults applied, see
//! `shape::normalise_request`), the stored one against the incoming one. Strings compare
//! case-insensitively (ARM IDs, VM sizes and enum values all do), and an absent property
//! equals `null`.

use serde_json::Value;

use super::kinds::Kind;
use crate::provider::ArmError;

/// The dotted paths of `kind`'s create-only properties. `[]` selects every element of an
/// array; the projection keeps only the listed fields of each element.
pub(crate) fn create_only_paths(kind: Kind, body: &Value) -> &'static [&'static str] {
    match kind {
        Kind::Workspace => &[
            "properties.storageAccount",
            "properties.keyVault",
            "properties.hbiWorkspace",
            "properties.enableServiceSideCMKEncryption",
        ],
        Kind::Compute => &[
            "properties.computeType",
            "properties.disableLocalAuth",
            "properties.properties.vmSize",
            "properties.properties.vmPriority",
            "properties.properties.subnet.id",
            "properties.properties.enableNodePublicIp",
            "properties.properties.remoteLoginPortPublicAccess",
        ],
        Kind::OnlineDeployment => &["properties.endpointComputeType", "properties.instanceType"],
        Kind::RoleAssignment => &[
            "properties.roleDefinitionId",
            "properties.principalId",
            "properties.delegatedManagedIdentityResourceId",
        ],
        Kind::PrivateEndpoint => &[
            "properties.subnet.id",
            "properties.customNetworkInterfaceName",
            "properties.privateLinkServiceConnections[].name",
            "properties.privateLinkServiceConnections[].properties.privateLinkServiceId",
            "properties.privateLinkServiceConnections[].properties.groupIds",
            "properties.manualPrivateLinkServiceConnections[].name",
            "properties.manualPrivateLinkServiceConnections[].properties.privateLinkServiceId",
            "properties.manualPrivateLinkServiceConnections[].properties.groupIds",
        ],
        Kind::VnetLink => &["properties.virtualNetwork.id"],
        Kind::OutboundRule => {
            let is_pe = body
                .pointer("/properties/type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("PrivateEndpoint"));
            if is_pe {
                &[
                    "properties.type",
                    "properties.destination.serviceResourceId",
                    "properties.destination.subresourceTarget",
                    "properties.destination.sparkEnabled",
                ]
            } else {
                &["properties.type"]
            }
        }
        Kind::AssetContainer => &["properties.dataType"],
        _ => &[],
    }
}

/// The first rule an update from `old` to `new` breaks, as ARM's error.
pub(crate) fn update_violation(kind: Kind, old: &Value, new: &Value) -> Option<ArmError> {
    let old_loc = old.get("location").and_then(Value::as_str);
    let new_loc = new.get("location").and_then(Value::as_str);
    if let (Some(a), Some(b)) = (old_loc, new_loc)
        && !a.eq_ignore_ascii_case(b)
    {
        return Some(ArmError {
            status: 400,
            code: "InvalidResourceLocation".into(),
            message: format!(
                "The resource already exists in location '{a}'. A resource with the same name cannot be created in location '{b}'."
            ),
        });
    }
    for path in create_only_paths(kind, old) {
        if !loosely_equal(&select(old, path), &select(new, path)) {
            let (code, message) = match kind {
                Kind::RoleAssignment => (
                    "RoleAssignmentUpdateNotPermitted",
                    "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.".to_string(),
                ),
                _ => (
                    "PropertyChangeNotAllowed",
                    format!("Changing property '{path}' is not allowed."),
                ),
            };
            return Some(ArmError {
                status: 400,
                code: code.into(),
                message,
            });
        }
    }
    match kind {
        Kind::Workspace => workspace_transition(old, new),
        Kind::AssetVersion => None, // needs the asset's name: see `asset_version_change`
        _ => None,
    }
}

/// Workspace changes that are not plain create-only properties: customer-managed-key
/// encryption (only the key may rotate), the managed network's isolation mode (no way back
/// to `Disabled`) and kind (no way back from `V2` to `V1`).
fn workspace_transition(old: &Value, new: &Value) -> Option<ArmError> {
    let strip_key = |v: &Value| {
        let mut e = v
            .pointer("/properties/encryption")
            .cloned()
            .unwrap_or(Value::Null);
        if let Some(kv) = e
            .get_mut("keyVaultProperties")
            .and_then(Value::as_object_mut)
        {
            kv.remove("keyIdentifier");
        }
        e
    };
    if !loosely_equal(&strip_key(old), &strip_key(new)) {
        return Some(bad(
            "PropertyChangeNotAllowed",
            "Changing property 'properties.encryption' is not allowed; only keyVaultProperties.keyIdentifier can be rotated.",
        ));
    }
    if isolation_enabled(old) && !isolation_enabled(new) {
        return Some(bad(
            "UserError",
            "Managed network isolation cannot be disabled once it has been enabled (properties.managedNetwork.isolationMode).",
        ));
    }
    let kind_of = |v: &Value| {
        v.pointer("/properties/managedNetwork/managedNetworkKind")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    if kind_of(old).as_deref() == Some("v2") && kind_of(new).as_deref() == Some("v1") {
        return Some(bad(
            "UserError",
            "properties.managedNetwork.managedNetworkKind cannot be switched back from V2 to V1.",
        ));
    }
    None
}

/// Whether the workspace body has managed-network isolation on.
pub(crate) fn isolation_enabled(body: &Value) -> bool {
    isolation_mode(body).is_some_and(|m| !m.eq_ignore_ascii_case("Disabled"))
}

pub(crate) fn isolation_mode(body: &Value) -> Option<&str> {
    body.pointer("/properties/managedNetwork/isolationMode")
        .and_then(Value::as_str)
}

/// Properties of an asset version that may change in place (`properties` may only gain
/// keys).
const ASSET_MUTABLE: [&str; 6] = [
    "description",
    "tags",
    "stage",
    "isArchived",
    "properties",
    "provisioningState",
];

/// The error ARM gives when an existing asset version is PUT with other content.
pub(crate) fn asset_version_change(
    asset_type: &str,
    name: &str,
    version: &str,
    old: &Value,
    new: &Value,
) -> Option<ArmError> {
    let content = |v: &Value| {
        let mut props = v.get("properties").cloned().unwrap_or(Value::Null);
        if let Some(o) = props.as_object_mut() {
            for k in ASSET_MUTABLE {
                o.remove(k);
            }
            // Read-only fields the service adds.
            o.remove("environmentType");
        }
        props
    };
    let old_props = old.pointer("/properties/properties");
    let new_props = new.pointer("/properties/properties");
    let props_ok = match (old_props.and_then(Value::as_object), new_props) {
        (Some(o), Some(n)) => o.iter().all(|(k, v)| n.get(k) == Some(v)),
        (Some(o), None) => o.is_empty(),
        (None, _) => true,
    };
    if loosely_equal_exact(&content(old), &content(new)) && props_ok {
        return None;
    }
    let label = match asset_type {
        "environments" => "Environment",
        "data" => "Data",
        "models" => "Model",
        "codes" => "Code",
        "components" => "Component",
        _ => "Asset",
    };
    Some(bad(
        "UserError",
        &format!(
            "{label} {name} with version {version} is already registered and cannot be changed."
        ),
    ))
}

fn bad(code: &str, message: &str) -> ArmError {
    ArmError {
        status: 400,
        code: code.into(),
        message: message.into(),
    }
}

/// The value at a dotted path; `a[].b` maps over the array at `a`.
pub(crate) fn select(v: &Value, path: &str) -> Value {
    if let Some((head, tail)) = path.split_once("[].") {
        return match select(v, head) {
            Value::Array(items) => Value::Array(items.iter().map(|i| select(i, tail)).collect()),
            _ => Value::Null,
        };
    }
    crate::json_path::get(v, path)
        .cloned()
        .unwrap_or(Value::Null)
}

/// JSON equality where strings compare case-insensitively and absent equals `null`.
pub(crate) fn loosely_equal(a: &Value, b: &Value) -> bool {
    equal(a, b, true)
}

/// JSON equality where absent equals `null` (strings exact: asset content is case-sensitive).
fn loosely_equal_exact(a: &Value, b: &Value) -> bool {
    equal(a, b, false)
}

fn equal(a: &Value, b: &Value, fold_case: bool) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            if fold_case {
                x.eq_ignore_ascii_case(y)
            } else {
                x == y
            }
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q, fold_case))
        }
        (Value::Object(x), Value::Object(y)) => {
            let null = Value::Null;
            x.keys().chain(y.keys()).all(|k| {
                equal(
                    x.get(k).unwrap_or(&null),
                    y.get(k).unwrap_or(&null),
                    fold_case,
                )
            })
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compute_vm_size_is_create_only_but_case_insensitive() {
        let old = json!({"properties":{"computeType":"AmlCompute","properties":{"vmSize":"STANDARD_DS3_V2"}}});
        let same = json!({"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS3_v2"}}});
        let other = json!({"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS4_v2"}}});
        assert!(update_violation(Kind::Compute, &old, &same).is_none());
        let e = update_violation(Kind::Compute, &old, &other).unwrap();
        assert_eq!(e.code, "PropertyChangeNotAllowed");
        assert!(e.message.contains("vmSize"), "{}", e.message);
    }

    #[test]
    fn private_endpoint_connections_projection() {
        let old = json!({"properties":{"subnet":{"id":"/s/1"},"privateLinkServiceConnections":[{"name":"c","properties":{"privateLinkServiceId":"/ws","groupIds":["amlworkspace"],"privateLinkServiceConnectionState":{"status":"Approved"}}}]}});
        let same = json!({"properties":{"subnet":{"id":"/S/1"},"privateLinkServiceConnections":[{"name":"c","properties":{"privateLinkServiceId":"/ws","groupIds":["amlworkspace"]}}]}});
        let other = json!({"properties":{"subnet":{"id":"/s/1"},"privateLinkServiceConnections":[{"name":"c","properties":{"privateLinkServiceId":"/ws2","groupIds":["amlworkspace"]}}]}});
        assert!(update_violation(Kind::PrivateEndpoint, &old, &same).is_none());
        assert!(update_violation(Kind::PrivateEndpoint, &old, &other).is_some());
    }

    #[test]
    fn workspace_encryption_key_may_rotate() {
        let enc = |key: &str| json!({"properties":{"encryption":{"status":"Enabled","keyVaultProperties":{"keyVaultArmId":"/kv","keyIdentifier":key}}}});
        assert!(update_violation(Kind::Workspace, &enc("k1"), &enc("k2")).is_none());
        let off = json!({"properties":{}});
        assert!(update_violation(Kind::Workspace, &enc("k1"), &off).is_some());
    }

    #[test]
    fn asset_versions() {
        let v = |image: &str, desc: &str, props: Value| json!({"properties":{"image":image,"description":desc,"properties":props}});
        let old = v("img:1", "a", json!({"k":"v"}));
        assert!(
            asset_version_change(
                "environments",
                "e",
                "1",
                &old,
                &v("img:1", "b", json!({"k":"v","k2":"x"}))
            )
            .is_none()
        );
        let e = asset_version_change(
            "environments",
            "e",
            "1",
            &old,
            &v("img:2", "a", json!({"k":"v"})),
        )
        .unwrap();
        assert_eq!(e.code, "UserError");
        assert!(
            e.message
                .contains("version 1 is already registered and cannot be changed")
        );
        assert!(
            asset_version_change(
                "environments",
                "e",
                "1",
                &old,
                &v("img:1", "a", json!({"k":"w"}))
            )
            .is_some()
        );
    }
}
