//! The cost forecast as JSON (`amlplan cost --format json`):
//! `{"currency","resources":[{"address","kind","monthly":{"low","expected","high"},"lines":[{"meter",
//! "quantity","unit","unit_price","monthly","assumption"}]}],"total":{"low","expected","high"}}`,
//! plus per line `variable`, `confidence` and `price_source`, per resource `region` and
//! `note`, and `unpriced` and `advice` at the top. Amounts are rounded to the cent; a unit
//! price of `null` is unpriced.

use serde_json::{Value, json};

use crate::cost::{Forecast, Range, cents};

fn range(r: Range) -> Value {
    json!({"low": cents(r.low), "expected": cents(r.expected), "high": cents(r.high)})
}

pub fn to_value(forecast: &Forecast) -> Value {
    let resources: Vec<Value> = forecast
        .resources
        .iter()
        .map(|r| {
            let lines: Vec<Value> = r
                .lines
                .iter()
                .map(|l| {
                    json!({
                        "meter": l.meter,
                        "quantity": l.quantity.expected,
                        "unit": l.unit,
                        "unit_price": l.unit_price,
                        "monthly": range(l.monthly),
                        "assumption": l.assumption,
                        "variable": l.variable,
                        "confidence": l.confidence.as_str(),
                        "price_source": &*l.price_source,
                    })
                })
                .collect();
            json!({
                "address": r.address,
                "kind": r.kind,
                "region": r.region,
                "monthly": range(r.monthly),
                "lines": lines,
                "note": r.note,
            })
        })
        .collect();
    let advice: Vec<Value> = forecast
        .advice
        .iter()
        .map(|a| json!({"address": a.address, "message": a.message, "monthly_saving": cents(a.monthly_saving)}))
        .collect();
    json!({
        "currency": forecast.currency,
        "resources": resources,
        "total": range(forecast.total),
        "unpriced": forecast.unpriced(),
        "advice": advice,
    })
}

pub fn render(forecast: &Forecast) -> String {
    serde_json::to_string_pretty(&to_value(forecast)).unwrap_or_default() + "\n"
}

/// The plan's `cost` member: per resource `before` (null when not known) and `after`, the
/// totals, and the difference.
pub fn plan_value(cost: &crate::cost::plan_cost::PlanCost) -> Value {
    let changes: Vec<Value> = cost
        .changes
        .iter()
        .map(|c| {
            json!({
                "address": c.address,
                "before": c.before.map(range),
                "after": range(c.after.unwrap_or_default()),
                "difference": c.delta().map(range),
            })
        })
        .collect();
    json!({
        "currency": cost.currency,
        "resources": changes,
        "before": range(cost.before),
        "after": range(cost.after),
        "difference": range(cost.after - cost.before),
        "unpriced": cost.forecast.unpriced(),
    })
}
