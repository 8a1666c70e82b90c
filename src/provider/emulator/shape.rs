//! What ARM does to a body: the request normalised as the service stores it (defaults,
//! locations lower-cased, the type's read-only fields dropped), then merged with the fields
//! the service populates (`id`, `name`, `type`, `systemData`, `provisioningState`, identity
//! principal IDs, and what the type's family adds: scoring URIs, ...); on read, the type's
//! secrets are left out. The generic part is here, driven by the type's
//! [`ArmSemantics`](crate::schema::ArmSemantics); each family's part is in `families/`.
//! Everything is deterministic: GUIDs are UUID v5 of the resource ID, times come from the
//! logical clock.

use serde_json::{Map, Value, json};

use super::families;
use super::path::ArmPath;
use super::store::StoredResource;
use super::types::{canonical_type, family, semantics};
use crate::schema::semantics::ENVELOPE_READ_ONLY;

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

pub(crate) fn props_mut(body: &mut Value) -> &mut Map<String, Value> {
    let obj = body.as_object_mut().expect("bodies are objects");
    let props = obj
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if !props.is_object() {
        *props = Value::Object(Map::new());
    }
    props.as_object_mut().expect("just made an object")
}

pub(crate) fn set_default(map: &mut Map<String, Value>, key: &str, value: Value) {
    if map.get(key).is_none_or(Value::is_null) {
        map.insert(key.to_string(), value);
    }
}

/// The request as the service stores it: what create-only and asset rules compare. The
/// type's read-only properties are dropped (ARM ignores them); its secrets are kept as a
/// digest, so a changed one is still a change but the mock cloud file never holds one (ARM
/// keeps them and never returns them).
pub(crate) fn normalise_request(path: &ArmPath, api_version: &str, mut body: Value) -> Value {
    let semantics = semantics(path);
    let family = family(path);
    let Some(obj) = body.as_object_mut() else {
        return body;
    };
    if let Some(Value::String(loc)) = obj.get("location") {
        let l = normalise_location(loc);
        obj.insert("location".into(), Value::String(l));
    }
    if semantics.is_some() && families::has_properties(family) && !obj.contains_key("properties") {
        obj.insert("properties".into(), Value::Object(Map::new()));
    }
    // A user-assigned identity's principal and client IDs are the service's (keyed by the
    // identity's ID, which a dotted path cannot name).
    if let Some(uais) = obj
        .get_mut("identity")
        .and_then(|i| i.get_mut("userAssignedIdentities"))
        .and_then(Value::as_object_mut)
    {
        for v in uais.values_mut() {
            if let Some(o) = v.as_object_mut() {
                o.remove("principalId");
                o.remove("clientId");
            }
        }
    }
    let read_only = semantics.map_or_else(Vec::new, |s| s.read_only_at(api_version));
    for p in ENVELOPE_READ_ONLY.iter().chain(&read_only) {
        crate::json_path::remove(&mut body, p);
    }
    let key = path.key();
    for p in semantics.map_or(&[][..], |s| s.secrets) {
        if let Some(value) = crate::json_path::get_mut(&mut body, p) {
            let already = value.as_str().is_some_and(|v| v.starts_with(SECRET_DIGEST));
            if !already && !value.is_null() {
                *value = Value::String(secret_digest(&key, p, value));
            }
        }
    }
    families::normalise(family, path, &mut body);
    body
}

/// How a stored secret starts: the rest is a digest of the resource, the path and the value.
const SECRET_DIGEST: &str = "(write-only) sha256:";

fn secret_digest(key: &str, path: &str, value: &Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{key}#{path}#{value}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{SECRET_DIGEST}{hex}")
}

/// What GET shows of a stored body: everything but the type's secrets.
pub(crate) fn without_secrets(path: &ArmPath, mut body: Value) -> Value {
    for p in semantics(path).map_or(&[][..], |s| s.secrets) {
        crate::json_path::remove(&mut body, p);
    }
    body
}

/// What the service adds to every body it stores, whatever the family.
pub(crate) struct Materialise<'a> {
    pub path: &'a ArmPath,
    /// The resource's ID with the casing it was created with, and its name.
    pub id: String,
    pub name: String,
    pub location: String,
    pub old: Option<&'a Value>,
    pub created_ms: u64,
    pub now: u64,
}

/// Everything the service keeps about a resource after a write: `normalised` plus the
/// service-populated fields. `existing` is the resource before the write (for creation
/// time and server-owned state).
pub(crate) fn materialise(
    path: &ArmPath,
    normalised: Value,
    existing: Option<&StoredResource>,
    provisioning_state: &str,
    now: u64,
) -> Value {
    let key = path.key();
    let semantics = semantics(path);
    let family = family(path);
    let id = existing.map_or_else(|| path.path.clone(), |e| e.id.clone());
    let name = id.rsplit('/').next().unwrap_or_default().to_string();
    let created_ms = existing.map_or(now, |e| e.created_ms);
    let Value::Object(fields) = normalised else {
        return normalised;
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

    let reports_state = semantics.is_none_or(|s| s.provisioning_state);
    if reports_state && body.get("properties").is_some_and(Value::is_object)
        || families::always_reports_state(family)
    {
        props_mut(&mut body).insert("provisioningState".into(), json!(provisioning_state));
    }

    let service = Materialise {
        path,
        id,
        name,
        location,
        old: existing.map(|e| &e.body),
        created_ms,
        now,
    };
    families::materialise(family, &service, &mut body);
    if semantics.is_some_and(|s| s.etag)
        && let Some(o) = body.as_object_mut()
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

/// Sets `properties.provisioningState` where the body reports one.
pub(crate) fn set_provisioning_state(body: &mut Value, state: &str) {
    if let Some(p) = body.get_mut("properties").and_then(Value::as_object_mut)
        && p.contains_key("provisioningState")
    {
        p.insert("provisioningState".into(), json!(state));
    }
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
