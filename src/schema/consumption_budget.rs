//! A `budget` with `alert` blocks is also an Azure budget (`Microsoft.Consumption/budgets`),
//! so spend is watched after apply; without alerts the budget stays a plan gate only
//! (`cost::budget`). The settings block's own attributes are in `settings::BUDGET`; what the
//! Azure budget is (its `alert` blocks, start date, scope, its plan entry, lowering and
//! checks) is here.
//!
//! Source: consumption.json 2024-08-01 (`Budgets_CreateOrUpdate` 200/201 and `Budgets_Delete`,
//! not long-running; `BudgetProperties`: `category` `Cost`, `amount`, `timeGrain`
//! (`Monthly`), `timePeriod.startDate` — "must be first of the month", on or after June 1,
//! 2017 — and `endDate` (ten years after the start when absent), `notifications` (at most
//! five, each `enabled`, `operator`, `threshold` a percentage between 0 and 1000,
//! `contactEmails` (at most 50), `contactGroups`, `thresholdType` `Actual` | `Forecasted`);
//! `currentSpend` and `forecastSpend` read-only).
//!
//! The start date is the first of the current month unless `start_date` gives one; the
//! current month comes from `crate::clock`, so plans are deterministic where the date is
//! fixed. A defaulted start date is set once: later plans neither compare it nor send
//! another (the budget's existing one is carried over), so a new month plans nothing.

use serde_json::{Map, Value as Json, json};

use super::semantics::{ArmSemantics, Family};
use super::{
    ArmTypeSchema, AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, KindBehavior,
};
use crate::arm::Desired;
use crate::arm::lower::{Ctx, EntryInit, entry};
use crate::diagnostic::Diagnostics;
use crate::diagnostics::constraints;
use crate::model::{Block, Manifest};

/// ARM's limit on a budget's notifications.
pub const MAX_ALERTS: u32 = 5;
const START: &str = "properties.timePeriod.startDate";

static KINDS_OF_ALERT: &[EnumValue] = &[
    EnumValue::new("actual", "Actual"),
    EnumValue::new("forecasted", "Forecasted"),
];
static EMAIL: AttrType = AttrType::String;

/// `alert "NAME"` inside a `budget`: one notification of the Azure budget.
pub static ALERT: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "threshold",
            AttrType::Integer {
                min: Some(0),
                max: Some(1000),
            },
            "",
            "The percentage of `amount` at which the alert is sent (0 to 1000).",
        )
        .required(),
        AttrSchema::new(
            "kind",
            AttrType::Enum(KINDS_OF_ALERT),
            "",
            "`actual` (spend so far passed the threshold) or `forecasted` (spend is forecast to pass it).",
        )
        .default(DefaultValue::Str("actual")),
        AttrSchema::new(
            "contact_emails",
            AttrType::List(&EMAIL),
            "",
            "The addresses the alert is mailed to (at most 50).",
        ),
        AttrSchema::new(
            "contact_groups",
            AttrType::List(&EMAIL),
            "",
            "Action groups (ARM IDs) the alert is sent to.",
        ),
        AttrSchema::new(
            "enabled",
            AttrType::Bool,
            "",
            "Whether the alert is sent (default true).",
        )
        .default(DefaultValue::Bool(true)),
    ],
    blocks: &[],
};

pub static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Consumption/budgets",
    read_only: &["properties.currentSpend", "properties.forecastSpend"],
    provisioning_state: false,
    family: Family::Budget,
    source: "consumption.json 2024-08-01: Budget (BudgetProperties: category, amount, timeGrain, timePeriod required; currentSpend, forecastSpend readOnly; notifications at most five); Budgets_CreateOrUpdate 200/201 and Budgets_Delete 200, not long-running",
    ..ArmSemantics::PLAIN
};

/// The plan entry of a budget with alerts (`budget.NAME`).
pub const ENTRY: ArmTypeSchema = ArmTypeSchema {
    kind: "consumption_budget",
    arm_type: "Microsoft.Consumption/budgets",
    api_version: "2024-08-01",
    block: "",
    constants: &[
        ("properties.category", "Cost"),
        ("properties.timeGrain", "Monthly"),
    ],
    behavior: KindBehavior::PLAIN,
    semantics: &SEMANTICS,
    doc: "A `budget` with `alert` blocks as an Azure budget: monthly, notifications at each alert's threshold, mailed to its contacts.",
};

/// `start_date` as written, if it is a date.
fn start_date(block: &Block) -> Option<time::Date> {
    crate::clock::parse_date(block.body.str("start_date")?)
}

/// The budget's scope: `scope`, else the `azure` block's resource group.
fn scope(ctx: &Ctx<'_>, block: &Block) -> String {
    match block.body.str("scope") {
        Some(s) => s.trim_end_matches('/').to_string(),
        None => format!(
            "/subscriptions/{}/resourceGroups/{}",
            ctx.azure.subscription, ctx.azure.resource_group
        ),
    }
}

fn midnight(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The Azure budget of a `budget` block with `alert` blocks; `None` without alerts.
pub fn lower(ctx: &Ctx<'_>, block: &Block) -> Option<Desired> {
    let alerts: Vec<&Block> = block.body.blocks("alert").collect();
    if alerts.is_empty() {
        return None;
    }
    let name = block.label()?;
    let mut d = entry(EntryInit {
        address: format!("budget.{name}"),
        kind: ENTRY.kind,
        id: format!("{}/providers/{}/{name}", scope(ctx, block), ENTRY.arm_type),
        api_version: ENTRY.api_version,
        span: block.header_span(),
    });
    let mut sensitive = Vec::new();
    let mut value = |body: &crate::model::Body, attr: &str, path: String| {
        let a = body.attr(attr)?;
        if a.sensitive {
            sensitive.push(path);
        }
        Some(ctx.json(&a.value))
    };
    let amount = value(&block.body, "amount", "properties.amount".into()).unwrap_or(Json::Null);
    let start = match start_date(block) {
        Some(date) => date,
        None => {
            // Set once (see the module documentation).
            d.lifecycle.ignore_paths.push(START.into());
            d.behavior.preserve_paths.push(START.into());
            crate::clock::first_of_month(crate::clock::today())
        }
    };
    let mut period = Map::new();
    period.insert("startDate".into(), json!(midnight(start)));
    if let Some(end) = block
        .body
        .str("end_date")
        .and_then(crate::clock::parse_date)
    {
        period.insert("endDate".into(), json!(midnight(end)));
    }
    let mut notifications = Map::new();
    for alert in alerts {
        let Some(label) = alert.label() else {
            continue;
        };
        let at = |key: &str| format!("properties.notifications.{label}.{key}");
        let mut n = Map::new();
        n.insert(
            "enabled".into(),
            value(&alert.body, "enabled", at("enabled")).unwrap_or(json!(true)),
        );
        n.insert("operator".into(), json!("GreaterThan"));
        n.insert(
            "threshold".into(),
            value(&alert.body, "threshold", at("threshold")).unwrap_or(Json::Null),
        );
        let kind = alert.body.str("kind").unwrap_or("actual");
        let arm = KINDS_OF_ALERT
            .iter()
            .find(|v| v.hcl == kind)
            .map_or(kind, |v| v.arm);
        n.insert("thresholdType".into(), json!(arm));
        n.insert(
            "contactEmails".into(),
            value(&alert.body, "contact_emails", at("contactEmails")).unwrap_or(json!([])),
        );
        if let Some(groups) = value(&alert.body, "contact_groups", at("contactGroups")) {
            n.insert("contactGroups".into(), groups);
        }
        notifications.insert(label.to_string(), Json::Object(n));
    }
    d.body = json!({"properties": {
        "category": "Cost",
        "amount": amount,
        "timeGrain": "Monthly",
        "timePeriod": Json::Object(period),
        "notifications": Json::Object(notifications),
    }});
    d.sensitive = sensitive;
    Some(d)
}

/// The checks of a budget's Azure side: dates that are the first of a month (E0741), a
/// scope that is a subscription or resource group (E0742), alerts that reach someone
/// (E0743).
pub fn check(manifest: &Manifest, diags: &mut Diagnostics) {
    for block in manifest.settings.iter().filter(|b| b.kind == "budget") {
        if let Some(attr) = block.body.attr("start_date")
            && let Some(text) = attr.value.as_str()
            && crate::clock::parse_date(text).is_none_or(|d| d.day() != 1)
        {
            let shown = (!attr.sensitive).then_some(text);
            diags.push(constraints::budget_start_not_first_of_month(
                shown, attr.span,
            ));
        }
        if let Some(attr) = block.body.attr("end_date")
            && let Some(text) = attr.value.as_str()
            && crate::clock::parse_date(text).is_none()
        {
            let shown = (!attr.sensitive).then_some(text);
            diags.push(constraints::budget_end_not_a_date(shown, attr.span));
        }
        if let Some(attr) = block.body.attr("scope")
            && let Some(text) = attr.value.as_str()
            && !is_budget_scope(text)
        {
            diags.push(constraints::budget_scope_malformed(text, attr.span));
        }
        for alert in block.body.blocks("alert") {
            let none = |name: &str| {
                alert
                    .body
                    .attr(name)
                    .is_none_or(|a| a.value.as_list().is_some_and(<[_]>::is_empty))
            };
            if none("contact_emails") && none("contact_groups") {
                diags.push(constraints::budget_alert_without_contact(
                    alert.label().unwrap_or_default(),
                    alert.header_span(),
                ));
            }
        }
    }
}

/// `/subscriptions/{guid}` or `/subscriptions/{guid}/resourceGroups/{name}`.
fn is_budget_scope(text: &str) -> bool {
    let parts: Vec<&str> = text.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        ["", s, sub] => s.eq_ignore_ascii_case("subscriptions") && !sub.is_empty(),
        ["", s, sub, g, group] => {
            s.eq_ignore_ascii_case("subscriptions")
                && !sub.is_empty()
                && g.eq_ignore_ascii_case("resourceGroups")
                && !group.is_empty()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_budget_scope;

    #[test]
    fn a_budget_scope_is_a_subscription_or_a_resource_group() {
        assert!(is_budget_scope("/subscriptions/s"));
        assert!(is_budget_scope("/subscriptions/s/resourceGroups/g/"));
        assert!(!is_budget_scope(
            "/subscriptions/s/resourceGroups/g/providers/x/y/z"
        ));
        assert!(!is_budget_scope("subscriptions/s"));
        assert!(!is_budget_scope("/subscriptions/"));
    }
}
