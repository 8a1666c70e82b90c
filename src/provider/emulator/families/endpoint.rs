//! Online and batch endpoints and their deployments: traffic may only name existing
//! deployments and must add up, a deployment with traffic cannot be deleted (and takes its
//! zero-traffic entries with it), scoring URIs, keys and tokens.

use serde_json::{Value, json};

use super::super::Emulator;
use super::super::Outcome;
use super::super::path::ArmPath;
use super::super::response::{err, respond};
use super::super::shape::{Materialise, normalise_location, props_mut, set_default};
use crate::provider::ArmError;

const TRAFFIC_FIELDS: [&str; 2] = ["traffic", "mirrorTraffic"];

pub(super) fn normalise_online(body: &mut Value) {
    let p = props_mut(body);
    set_default(p, "traffic", json!({}));
    set_default(p, "mirrorTraffic", json!({}));
    set_default(p, "publicNetworkAccess", json!("Enabled"));
}

pub(super) fn materialise(m: &Materialise<'_>, body: &mut Value, online: bool) {
    let host = format!("https://{}.{}.inference.ml.azure.com", m.name, m.location);
    let p = props_mut(body);
    if online {
        p.insert("scoringUri".into(), json!(format!("{host}/score")));
        p.insert("swaggerUri".into(), json!(format!("{host}/swagger.json")));
    } else {
        p.insert("scoringUri".into(), json!(format!("{host}/jobs")));
    }
}

/// A deterministic secret-looking string.
fn secret(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(seed.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A managed online deployment scales only by `scaleType: Default` (its `sku.capacity`, which
/// an autoscale setting may change); `TargetUtilization` is for Kubernetes deployments
/// (mfe.json 2025-09-01 `OnlineScaleSettings`; azure-ai-ml refuses it for managed ones).
pub(super) fn validate_deployment(body: &Value) -> Result<(), ArmError> {
    let text = |p: &str| {
        body.pointer(p)
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    let managed = text("/properties/endpointComputeType").as_deref() == Some("managed");
    match text("/properties/scaleSettings/scaleType") {
        Some(t) if managed && t != "default" => Err(err(
            400,
            "UserError",
            "Managed online deployments support only scaleSettings.scaleType 'Default'; autoscale them with a Microsoft.Insights/autoscalesettings resource targeting the deployment.",
        )),
        _ => validate_data_collector(body),
    }
}

/// A deployment's data collector (mfe.json 2025-12-01 `DataCollector`): `collections` is
/// required (a map of name to `Collection`), `rollingRate` one of `RollingRateType`, each
/// collection's `dataCollectionMode` one of `DataCollectionMode` and its `samplingRate` a
/// number. A null collector turns collection off. Refusals are `400 UserError`, the service's
/// code for an invalid body.
fn validate_data_collector(body: &Value) -> Result<(), ArmError> {
    const AT: &str = "properties.dataCollector";
    let bad = |message: String| Err(err(400, "UserError", &message));
    let Some(collector) = body
        .pointer("/properties/dataCollector")
        .filter(|v| !v.is_null())
    else {
        return Ok(());
    };
    let one_of = |v: &Value, allowed: &[&str]| {
        v.as_str()
            .is_some_and(|s| allowed.iter().any(|a| a.eq_ignore_ascii_case(s)))
    };
    let Some(collections) = collector
        .get("collections")
        .filter(|v| !v.is_null())
        .and_then(Value::as_object)
    else {
        return bad(format!("{AT}.collections is required."));
    };
    if let Some(rate) = collector.get("rollingRate").filter(|v| !v.is_null())
        && !one_of(rate, &["Minute", "Hour", "Day", "Month", "Year"])
    {
        return bad(format!(
            "{AT}.rollingRate {rate} is not one of Minute, Hour, Day, Month, Year."
        ));
    }
    for (name, collection) in collections {
        let at = format!("{AT}.collections.{name}");
        if let Some(mode) = collection
            .get("dataCollectionMode")
            .filter(|v| !v.is_null())
            && !one_of(mode, &["Enabled", "Disabled"])
        {
            return bad(format!(
                "{at}.dataCollectionMode {mode} is not one of Enabled, Disabled."
            ));
        }
        if let Some(rate) = collection.get("samplingRate").filter(|v| !v.is_null())
            && !rate.is_number()
        {
            return bad(format!("{at}.samplingRate {rate} is not a number."));
        }
    }
    Ok(())
}

impl Emulator {
    /// Traffic names existing deployments only, adds up to 100 (or 0); mirrored traffic
    /// adds up to at most 50.
    pub(super) fn check_traffic(&self, endpoint: &ArmPath, body: &Value) -> Result<(), ArmError> {
        let key = endpoint.key();
        for (field, limit) in [("traffic", 100i64), ("mirrorTraffic", 50)] {
            let Some(map) = body
                .get("properties")
                .and_then(|p| p.get(field))
                .filter(|v| !v.is_null())
            else {
                continue;
            };
            let Some(map) = map.as_object() else {
                return Err(err(
                    400,
                    "UserError",
                    &format!(
                        "properties.{field} must be a map of deployment names to percentages."
                    ),
                ));
            };
            let mut sum = 0i64;
            for (deployment, pct) in map {
                let Some(pct) = pct.as_i64().filter(|p| (0..=100).contains(p)) else {
                    return Err(err(
                        400,
                        "UserError",
                        &format!(
                            "properties.{field}: the value for deployment '{deployment}' must be an integer between 0 and 100."
                        ),
                    ));
                };
                sum += pct;
                let dep_key = format!("{key}/deployments/{}", deployment.to_ascii_lowercase());
                if !self.state.resources.contains_key(&dep_key) {
                    return Err(err(
                        400,
                        "UserError",
                        &format!(
                            "properties.{field} names deployment '{deployment}', which does not exist under endpoint '{}'.",
                            endpoint.name()
                        ),
                    ));
                }
            }
            if field == "traffic" && sum != 0 && sum != 100 {
                return Err(err(
                    400,
                    "UserError",
                    &format!(
                        "The traffic of endpoint '{}' must add up to 100 (or 0); it adds up to {sum}.",
                        endpoint.name()
                    ),
                ));
            }
            if field == "mirrorTraffic" && sum > limit {
                return Err(err(
                    400,
                    "UserError",
                    &format!(
                        "The mirror traffic of endpoint '{}' must not exceed {limit}; it adds up to {sum}.",
                        endpoint.name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A deployment that still receives traffic cannot be deleted.
    pub(super) fn check_deployment_delete(&self, path: &ArmPath) -> Result<(), ArmError> {
        let Some(endpoint) = path.parent() else {
            return Ok(());
        };
        let Some(ep) = self.state.resources.get(&endpoint.key()) else {
            return Ok(());
        };
        for field in TRAFFIC_FIELDS {
            let pct = ep
                .body
                .get("properties")
                .and_then(|p| p.get(field))
                .and_then(Value::as_object)
                .and_then(|m| {
                    m.iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(path.name()))
                        .and_then(|(_, v)| v.as_i64())
                })
                .unwrap_or(0);
            if pct > 0 {
                return Err(err(
                    400,
                    "UserError",
                    &format!(
                        "Deployment '{}' still receives {pct}% of endpoint '{}' {field}; move its traffic to other deployments before deleting it.",
                        path.name(),
                        endpoint.name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Zero-traffic entries naming a deleted deployment go with it.
    pub(super) fn after_remove_deployment(&mut self, path: &ArmPath) {
        let Some(ep) = path
            .parent()
            .and_then(|e| self.state.resources.get_mut(&e.key()))
        else {
            return;
        };
        for field in TRAFFIC_FIELDS {
            if let Some(map) = ep
                .body
                .get_mut("properties")
                .and_then(|p| p.get_mut(field))
                .and_then(Value::as_object_mut)
            {
                map.retain(|n, _| !n.eq_ignore_ascii_case(path.name()));
            }
        }
    }

    /// `listKeys` and (online) `token` answer at once; `regenerateKeys` is long-running.
    /// `Ok(None)`: not an endpoint action.
    pub(super) fn endpoint_action(
        &self,
        owner_key: &str,
        action: &str,
        online: bool,
    ) -> Option<Outcome> {
        match action {
            "regeneratekeys" => None,
            "listkeys" => {
                let seed = format!("{owner_key}#keys");
                Some(Ok(respond(
                    200,
                    Vec::new(),
                    Some(json!({
                        "primaryKey": secret(&format!("{seed}#primary")),
                        "secondaryKey": secret(&format!("{seed}#secondary")),
                    })),
                )))
            }
            "token" if online => {
                let now = self.state.clock;
                Some(Ok(respond(
                    200,
                    Vec::new(),
                    Some(json!({
                        "accessToken": secret(&format!("{owner_key}#token#{now}")),
                        "tokenType": "Bearer",
                        "expiryTimeUtc": (now / 1000) + 3600,
                        "refreshAfterTimeUtc": (now / 1000) + 1800,
                    })),
                )))
            }
            _ => None,
        }
    }
}

/// Whether `action` is a long-running action of an endpoint.
pub(super) fn is_action(action: &str) -> bool {
    action == "regeneratekeys"
}

impl Emulator {
    /// An endpoint is in its workspace's region, a deployment in its endpoint's (ARM's
    /// `location` of an online endpoint "must equal the workspace region").
    pub(super) fn check_parent_region(&self, path: &ArmPath, body: &Value) -> Result<(), ArmError> {
        let Some(parent) = path
            .parent()
            .and_then(|p| self.state.resources.get(&p.key()))
        else {
            return Ok(());
        };
        let region = |b: &Value| {
            b.get("location")
                .and_then(Value::as_str)
                .map(normalise_location)
        };
        match (region(body), region(&parent.body)) {
            (Some(own), Some(theirs)) if own != theirs => Err(err(
                400,
                "InvalidLocation",
                &format!(
                    "The location '{own}' of '{}' must be its parent's location '{theirs}'.",
                    path.name()
                ),
            )),
            _ => Ok(()),
        }
    }
}

impl Emulator {
    /// A batch endpoint's default deployment must exist (as traffic must name existing
    /// deployments).
    pub(super) fn check_batch_defaults(
        &self,
        endpoint: &ArmPath,
        body: &Value,
    ) -> Result<(), ArmError> {
        let Some(name) = body
            .pointer("/properties/defaults/deploymentName")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        else {
            return Ok(());
        };
        let key = format!(
            "{}/deployments/{}",
            endpoint.key(),
            name.to_ascii_lowercase()
        );
        if self.state.resources.contains_key(&key) {
            Ok(())
        } else {
            Err(err(
                400,
                "UserError",
                &format!(
                    "properties.defaults.deploymentName names deployment '{name}', which does not exist in endpoint '{}'.",
                    endpoint.name()
                ),
            ))
        }
    }
}
