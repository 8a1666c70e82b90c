//! The cost forecast for a terminal: per resource its lines (low, expected, high), the total,
//! the unpriced lines, a bar chart of the largest drivers and the advice.

use std::fmt::Write;

use crate::cost::{Forecast, money, quantity, unit_price};

/// Bars of the drivers chart at most this wide.
const BAR_WIDTH: usize = 30;
/// Drivers the chart shows.
pub const DRIVERS_SHOWN: usize = 5;

pub fn render(forecast: &Forecast) -> String {
    let c = forecast.currency.as_str();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Monthly cost forecast ({c}, 730 hours a month): low / expected / high\n"
    );
    for r in &forecast.resources {
        if r.lines.is_empty() {
            let _ = writeln!(
                out,
                "{}  {}: {}",
                r.address,
                money(0.0, c),
                r.note.as_deref().unwrap_or("no cost")
            );
            continue;
        }
        let _ = writeln!(
            out,
            "{}  ({})  {} / {} / {}",
            r.address,
            r.region,
            money(r.monthly.low, c),
            money(r.monthly.expected, c),
            money(r.monthly.high, c)
        );
        for l in &r.lines {
            let figures = if l.is_unpriced() {
                "unpriced".to_string()
            } else {
                format!(
                    "{} / {} / {}",
                    money(l.monthly.low, c),
                    money(l.monthly.expected, c),
                    money(l.monthly.high, c)
                )
            };
            let _ = writeln!(
                out,
                "  {}: {} {} x {}  {}{}",
                l.meter,
                quantity(l.quantity.expected),
                l.unit,
                unit_price(l.unit_price, c),
                figures,
                if l.variable { "  (variable)" } else { "" }
            );
            let _ = writeln!(out, "      {}", l.assumption);
        }
    }
    let t = forecast.total;
    let _ = writeln!(
        out,
        "\nTotal: {} / {} / {} a month",
        money(t.low, c),
        money(t.expected, c),
        money(t.high, c)
    );
    let unpriced = forecast.unpriced();
    if unpriced > 0 {
        let _ = writeln!(
            out,
            "{unpriced} unpriced line{} counted as 0 (give their prices in a price file)",
            if unpriced == 1 { "" } else { "s" }
        );
    }
    let drivers = forecast.drivers();
    let top = drivers.first().map_or(0.0, |d| d.monthly.expected);
    if top > 0.0 {
        out.push_str("\nLargest cost drivers (expected):\n");
        let width = drivers
            .iter()
            .take(DRIVERS_SHOWN)
            .map(|d| d.address.len())
            .max()
            .unwrap_or(0);
        for d in drivers.iter().take(DRIVERS_SHOWN) {
            let bar = ((d.monthly.expected / top) * BAR_WIDTH as f64).round() as usize;
            let share = if t.expected > 0.0 {
                d.monthly.expected / t.expected * 100.0
            } else {
                0.0
            };
            let _ = writeln!(
                out,
                "  {:width$}  {:BAR_WIDTH$}  {} ({share:.0}%)",
                d.address,
                "#".repeat(bar),
                money(d.monthly.expected, c),
            );
        }
    }
    if !forecast.advice.is_empty() {
        out.push_str("\nAdvice:\n");
        for a in &forecast.advice {
            let _ = writeln!(
                out,
                "  info: {}: {} (saves about {} a month)",
                a.address,
                a.message,
                money(a.monthly_saving, c)
            );
        }
    }
    out
}

fn signed(amount: f64, currency: &str) -> String {
    if amount >= 0.005 {
        format!("+{}", money(amount, currency))
    } else {
        money(amount, currency)
    }
}

fn symbol(action: Option<crate::plan::Action>) -> &'static str {
    use crate::plan::Action;
    match action {
        Some(Action::Create) => "+",
        Some(Action::Update) => "~",
        Some(Action::DeleteThenCreate | Action::CreateThenDelete) => "-/+",
        Some(Action::Delete) => "-",
        Some(Action::NoOp) | None => " ",
    }
}

/// The plan's cost section: the expected monthly cost of each changed resource before and
/// after, and the totals (low, expected, high).
pub fn plan_section(cost: &crate::cost::plan_cost::PlanCost) -> String {
    let c = cost.currency.as_str();
    let mut out = String::new();
    let d = cost.after - cost.before;
    let _ = writeln!(
        out,
        "\nMonthly cost ({c}, expected): {} -> {} ({})",
        money(cost.before.expected, c),
        money(cost.after.expected, c),
        signed(d.expected, c)
    );
    let _ = writeln!(
        out,
        "  after the plan: low {}, expected {}, high {}",
        money(cost.after.low, c),
        money(cost.after.expected, c),
        money(cost.after.high, c)
    );
    for change in cost.shown_changes() {
        let before = change
            .before
            .map_or("(not known)".to_string(), |b| money(b.expected, c));
        let after = change
            .after
            .map_or("$0.00".to_string(), |a| money(a.expected, c));
        let delta = change
            .delta()
            .map_or(String::new(), |d| format!(" ({})", signed(d.expected, c)));
        let _ = writeln!(
            out,
            "  {:>3} {}: {before} -> {after}{delta}",
            symbol(change.action),
            change.address
        );
    }
    out
}
