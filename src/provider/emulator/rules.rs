//! The rules ARM enforces on an update of any type: the location cannot change, nor can a
//! create-only property (the type's list and its descriptors' `create_only` attributes, from
//! `schema::create_only_paths`); the type's family adds its own (one-way transitions,
//! immutable asset versions).
//!
//! Bodies compared here are normalised request bodies (defaults applied, see
//! `shape::normalise_request`), the stored one against the incoming one. Strings compare
//! case-insensitively (ARM IDs, VM sizes and enum values all do), and an absent property
//! equals `null`.

use serde_json::Value;

use super::families;
use super::path::ArmPath;
use super::types::{family, semantics};
use crate::provider::ArmError;

/// The first rule an update from `old` to `new` of the resource at `path` breaks, as ARM's
/// error.
pub(crate) fn update_violation(path: &ArmPath, old: &Value, new: &Value) -> Option<ArmError> {
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
    // The family's own rule first: where it applies it is what ARM answers (an asset
    // version's content is immutable as a whole).
    if let Some(e) = families::transition(family(path), path, old, new) {
        return Some(e);
    }
    let semantics = semantics(path);
    for a in crate::schema::semantics::update_actions(&path.resource_type(), old) {
        if !loosely_equal(&select(old, a.path), &select(new, a.path)) {
            return Some(ArmError {
                status: 400,
                code: semantics
                    .map_or("PropertyChangeNotAllowed", |s| s.create_only_code)
                    .into(),
                message: format!(
                    "Changing property '{}' is not allowed in an update; use the '{}' action.",
                    a.path, a.action
                ),
            });
        }
    }
    for p in crate::schema::create_only_paths(&path.resource_type(), old) {
        if !loosely_equal(&select(old, &p), &select(new, &p)) {
            let code = semantics.map_or("PropertyChangeNotAllowed", |s| s.create_only_code);
            let message = match semantics.map(|s| s.create_only_message) {
                Some(m) if !m.is_empty() => m.to_string(),
                _ => format!("Changing property '{p}' is not allowed."),
            };
            return Some(ArmError {
                status: 400,
                code: code.into(),
                message,
            });
        }
    }
    None
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
pub(crate) fn loosely_equal_exact(a: &Value, b: &Value) -> bool {
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

    const WS: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w";

    fn path(p: &str) -> ArmPath {
        ArmPath::parse(p).unwrap()
    }

    #[test]
    fn compute_vm_size_is_create_only_but_case_insensitive() {
        let c = path(&format!("{WS}/computes/c"));
        let old = json!({"properties":{"computeType":"AmlCompute","properties":{"vmSize":"STANDARD_DS3_V2"}}});
        let same = json!({"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS3_v2"}}});
        let other = json!({"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS4_v2"}}});
        assert!(update_violation(&c, &old, &same).is_none());
        let e = update_violation(&c, &old, &other).unwrap();
        assert_eq!(e.code, "PropertyChangeNotAllowed");
        assert!(e.message.contains("vmSize"), "{}", e.message);
    }

    #[test]
    fn an_instance_resizes_by_action_not_by_put() {
        let c = path(&format!("{WS}/computes/dev"));
        let body = |ty: &str, size: &str, idle: &str| json!({"properties":{"computeType":ty,"properties":{"vmSize":size,"idleTimeBeforeShutdown":idle}}});
        let e = update_violation(
            &c,
            &body("ComputeInstance", "Standard_DS3_v2", "PT30M"),
            &body("ComputeInstance", "Standard_DS4_v2", "PT30M"),
        )
        .unwrap();
        assert!(e.message.contains("'resize'"), "{}", e.message);
        let e = update_violation(
            &c,
            &body("ComputeInstance", "Standard_DS3_v2", "PT30M"),
            &body("ComputeInstance", "Standard_DS3_v2", "PT1H"),
        )
        .unwrap();
        assert!(
            e.message.contains("'updateIdleShutdownSetting'"),
            "{}",
            e.message
        );
        // A cluster's size is create-only instead (through its attribute).
        let e = update_violation(
            &c,
            &body("AmlCompute", "Standard_DS3_v2", ""),
            &body("AmlCompute", "Standard_DS4_v2", ""),
        )
        .unwrap();
        assert!(!e.message.contains("action"), "{}", e.message);
    }

    #[test]
    fn private_endpoint_connections_projection() {
        let pe = path(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe",
        );
        let old = json!({"properties":{"subnet":{"id":"/s/1"},"privateLinkServiceConnections":[{"name":"c","properties":{"privateLinkServiceId":"/ws","groupIds":["amlworkspace"],"privateLinkServiceConnectionState":{"status":"Approved"}}}]}});
        let same = json!({"properties":{"subnet":{"id":"/S/1"},"privateLinkServiceConnections":[{"name":"c","properties":{"privateLinkServiceId":"/ws","groupIds":["amlworkspace"]}}]}});
        let other = json!({"properties":{"subnet":{"id":"/s/1"},"privateLinkServiceConnections":[{"name":"c","properties":{"privateLinkServiceId":"/ws2","groupIds":["amlworkspace"]}}]}});
        assert!(update_violation(&pe, &old, &same).is_none());
        assert!(update_violation(&pe, &old, &other).is_some());
    }

    #[test]
    fn workspace_encryption_key_may_rotate() {
        let ws = path(WS);
        let enc = |key: &str| json!({"properties":{"encryption":{"status":"Enabled","keyVaultProperties":{"keyVaultArmId":"/kv","keyIdentifier":key}}}});
        assert!(update_violation(&ws, &enc("k1"), &enc("k2")).is_none());
        let off = json!({"properties":{}});
        assert!(update_violation(&ws, &enc("k1"), &off).is_some());
    }

    #[test]
    fn role_assignments_answer_with_their_own_code() {
        let ra = path(&format!(
            "{WS}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-000000000001"
        ));
        let body = |p: &str| json!({"properties":{"principalId":p,"roleDefinitionId":"/r"}});
        let e = update_violation(&ra, &body("a"), &body("b")).unwrap();
        assert_eq!(e.code, "RoleAssignmentUpdateNotPermitted");
    }
}
