//! Consumption budgets: what consumption.json 2024-08-01 says a budget must be (see
//! `schema::consumption_budget`): the required properties, a start date on the first of a
//! month and not before June 2017, at most five notifications, each with a threshold between
//! 0 and 1000 and someone to notify. The service's error codes for these are not in the spec;
//! the emulator answers `400 BadRequest` with a message saying which rule failed.

use serde_json::Value;

use super::super::response::err;
use crate::provider::ArmError;

fn bad(message: &str) -> ArmError {
    err(400, "BadRequest", message)
}

pub(super) fn validate(body: &Value) -> Result<(), ArmError> {
    let props = body.get("properties").unwrap_or(&Value::Null);
    for p in ["category", "amount", "timeGrain", "timePeriod"] {
        if props.get(p).is_none_or(Value::is_null) {
            return Err(bad(&format!("properties.{p} is required.")));
        }
    }
    let start = props
        .pointer("/timePeriod/startDate")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("properties.timePeriod.startDate is required."))?;
    let date = start
        .get(..10)
        .and_then(crate::clock::parse_date)
        .ok_or_else(|| bad(&format!("The start date '{start}' is not a date.")))?;
    if date.day() != 1 {
        return Err(bad("The start date must be first of the month."));
    }
    if crate::clock::parse_date("2017-06-01").is_some_and(|earliest| date < earliest) {
        return Err(bad("Budget start date must be on or after June 1, 2017."));
    }
    let notifications = props
        .get("notifications")
        .and_then(Value::as_object)
        .map(|m| m.iter().collect::<Vec<_>>())
        .unwrap_or_default();
    if notifications.len() > 5 {
        return Err(bad("Budget can have up to five notifications."));
    }
    for (key, n) in notifications {
        let threshold = n.get("threshold").and_then(Value::as_f64);
        if !threshold.is_some_and(|t| (0.0..=1000.0).contains(&t)) {
            return Err(bad(&format!(
                "Notification '{key}': the threshold has to be between 0 and 1000."
            )));
        }
        for p in ["enabled", "operator", "contactEmails"] {
            if n.get(p).is_none() {
                return Err(bad(&format!("Notification '{key}': {p} is required.")));
            }
        }
        let count = |p: &str| n.get(p).and_then(Value::as_array).map_or(0, Vec::len);
        if count("contactEmails") + count("contactGroups") == 0 {
            return Err(bad(&format!(
                "Notification '{key}': must have at least one contact email or contact group specified."
            )));
        }
        if count("contactEmails") > 50 {
            return Err(bad(&format!(
                "Notification '{key}': at most 50 contact emails."
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::validate;

    fn budget(start: &str, notifications: serde_json::Value) -> serde_json::Value {
        json!({"properties": {"category": "Cost", "amount": 500, "timeGrain": "Monthly",
            "timePeriod": {"startDate": start}, "notifications": notifications}})
    }

    fn alert(threshold: f64, emails: &[&str]) -> serde_json::Value {
        json!({"enabled": true, "operator": "GreaterThan", "threshold": threshold,
            "contactEmails": emails, "thresholdType": "Actual"})
    }

    #[test]
    fn budgets_azure_refuses_are_refused() {
        let ok = budget(
            "2026-12-01T00:00:00Z",
            json!({"a": alert(80.0, &["x@contoso.com"])}),
        );
        assert!(validate(&ok).is_ok());
        let mid_month = budget("2026-12-15T00:00:00Z", json!({}));
        assert!(validate(&mid_month).is_err());
        let too_early = budget("2017-05-01T00:00:00Z", json!({}));
        assert!(validate(&too_early).is_err());
        let nobody = budget("2026-12-01T00:00:00Z", json!({"a": alert(80.0, &[])}));
        assert!(validate(&nobody).is_err());
        let over = budget(
            "2026-12-01T00:00:00Z",
            json!({"a": alert(1001.0, &["x@contoso.com"])}),
        );
        assert!(validate(&over).is_err());
        let six: serde_json::Map<String, serde_json::Value> = (0..6)
            .map(|i| (format!("n{i}"), alert(50.0, &["x@contoso.com"])))
            .collect();
        assert!(validate(&budget("2026-12-01T00:00:00Z", json!(six))).is_err());
        assert!(validate(&json!({"properties": {"amount": 5}})).is_err());
    }
}
