//! Schedules (`workspaces/schedules`): what mfe.json 2025-09-01 requires of their action. A
//! `CreateJob` action has a `jobDefinition`; a `CreateMonitor` action a `monitorDefinition`
//! with its serverless Spark compute (`instanceType`, `runtimeVersion` `^[0-9]+\.[0-9]+$`,
//! `computeIdentity`) and at least one signal, each drift or quality signal with its metric
//! thresholds and its production and reference data (a `Rolling` window has `windowSize` and
//! `windowOffset`). Refusals are `400 UserError`, the service's code for an invalid body.

use serde_json::Value;

use super::super::response::err;
use crate::provider::ArmError;

fn bad(message: &str) -> ArmError {
    err(400, "UserError", message)
}

fn required<'a>(at: &'a Value, key: &str, path: &str) -> Result<&'a Value, ArmError> {
    at.get(key)
        .filter(|v| !v.is_null())
        .ok_or_else(|| bad(&format!("{path}.{key} is required.")))
}

pub(super) fn validate(body: &Value) -> Result<(), ArmError> {
    let props = body.get("properties").unwrap_or(&Value::Null);
    let action = required(props, "action", "properties")?;
    required(props, "trigger", "properties")?;
    match action.get("actionType").and_then(Value::as_str) {
        Some("CreateJob") => required(action, "jobDefinition", "properties.action").map(|_| ()),
        Some("CreateMonitor") => {
            monitor(required(action, "monitorDefinition", "properties.action")?)
        }
        Some(_) => Ok(()),
        None => Err(bad("properties.action.actionType is required.")),
    }
}

fn monitor(definition: &Value) -> Result<(), ArmError> {
    const AT: &str = "properties.action.monitorDefinition";
    let compute = required(definition, "computeConfiguration", AT)?;
    if compute.get("computeType").and_then(Value::as_str) == Some("ServerlessSpark") {
        let at = format!("{AT}.computeConfiguration");
        required(compute, "instanceType", &at)?;
        required(compute, "computeIdentity", &at)?;
        let version = required(compute, "runtimeVersion", &at)?
            .as_str()
            .unwrap_or_default();
        let parts: Vec<&str> = version.split('.').collect();
        let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if parts.len() != 2 || !parts.iter().all(numeric) {
            return Err(bad(&format!(
                "{at}.runtimeVersion '{version}' does not match ^[0-9]+\\.[0-9]+$."
            )));
        }
    }
    let signals = required(definition, "signals", AT)?
        .as_object()
        .filter(|m| !m.is_empty())
        .ok_or_else(|| bad(&format!("{AT}.signals must name at least one signal.")))?;
    for (name, signal) in signals {
        let at = format!("{AT}.signals.{name}");
        let kind = required(signal, "signalType", &at)?
            .as_str()
            .unwrap_or_default();
        if !matches!(kind, "DataDrift" | "PredictionDrift" | "DataQuality") {
            continue;
        }
        let thresholds = required(signal, "metricThresholds", &at)?;
        if thresholds.as_array().is_none_or(Vec::is_empty) {
            return Err(bad(&format!("{at}.metricThresholds must not be empty.")));
        }
        for data in ["productionData", "referenceData"] {
            let input = required(signal, data, &at)?;
            let at = format!("{at}.{data}");
            for key in ["inputDataType", "jobInputType", "uri"] {
                required(input, key, &at)?;
            }
            if input.get("inputDataType").and_then(Value::as_str) == Some("Rolling") {
                required(input, "windowSize", &at)?;
                required(input, "windowOffset", &at)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::validate;

    fn monitor(definition: serde_json::Value) -> serde_json::Value {
        json!({"properties": {"trigger": {"triggerType": "Cron", "expression": "0 2 * * *"},
            "action": {"actionType": "CreateMonitor", "monitorDefinition": definition}}})
    }

    #[test]
    fn monitors_need_their_compute_and_complete_signals() {
        let data = json!({"inputDataType": "Rolling", "jobInputType": "uri_folder",
            "uri": "azureml:e-d-model_inputs:1", "windowSize": "P7D", "windowOffset": "P0D"});
        let compute = json!({"computeType": "ServerlessSpark", "instanceType": "standard_e4s_v3",
            "runtimeVersion": "3.4", "computeIdentity": {"computeIdentityType": "AmlToken"}});
        let signal = json!({"signalType": "DataDrift",
            "metricThresholds": [{"dataType": "Numerical", "metric": "JensenShannonDistance"}],
            "productionData": data, "referenceData": data});
        let ok = monitor(json!({"computeConfiguration": compute, "signals": {"d": signal}}));
        assert!(validate(&ok).is_ok());
        let no_signals = monitor(json!({"computeConfiguration": compute, "signals": {}}));
        assert!(validate(&no_signals).is_err());
        let mut bad_runtime = compute.clone();
        bad_runtime["runtimeVersion"] = json!("3");
        let bad = monitor(json!({"computeConfiguration": bad_runtime, "signals": {"d": signal}}));
        assert!(validate(&bad).is_err());
        let mut no_window = signal.clone();
        no_window["referenceData"]["windowSize"] = serde_json::Value::Null;
        let bad = monitor(json!({"computeConfiguration": compute, "signals": {"d": no_window}}));
        assert!(validate(&bad).is_err());
        let job = json!({"properties": {"trigger": {}, "action": {"actionType": "CreateJob"}}});
        assert!(validate(&job).is_err());
    }
}
