//! The cost forecast as Markdown, for a pull-request comment: a table per resource, the
//! total and a bar chart of the largest drivers.

use std::fmt::Write;

use crate::cost::{Forecast, money, quantity, unit_price};

use super::cost_human::DRIVERS_SHOWN;

const BAR_WIDTH: usize = 20;

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

pub fn render(forecast: &Forecast) -> String {
    let c = forecast.currency.as_str();
    let mut out = String::new();
    let t = forecast.total;
    out.push_str("### amlplan cost\n\n");
    let _ = writeln!(
        out,
        "**Monthly forecast ({c}, 730 h):** {} expected (low {}, high {})\n",
        money(t.expected, c),
        money(t.low, c),
        money(t.high, c)
    );
    out.push_str(
        "| resource | meter | quantity | unit price | low | expected | high | assumption |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|---|\n");
    for r in &forecast.resources {
        if r.lines.is_empty() {
            let _ = writeln!(
                out,
                "| `{}` | — | | | | {} | | {} |",
                r.address,
                money(0.0, c),
                cell(r.note.as_deref().unwrap_or("no cost"))
            );
            continue;
        }
        for l in &r.lines {
            let (low, exp, high) = if l.is_unpriced() {
                ("unpriced".into(), "unpriced".into(), "unpriced".into())
            } else {
                (
                    money(l.monthly.low, c),
                    money(l.monthly.expected, c),
                    money(l.monthly.high, c),
                )
            };
            let _ = writeln!(
                out,
                "| `{}` | {}{} | {} {} | {} | {low} | {exp} | {high} | {} |",
                r.address,
                cell(&l.meter),
                if l.variable { " *(variable)*" } else { "" },
                quantity(l.quantity.expected),
                l.unit,
                unit_price(l.unit_price, c),
                cell(&l.assumption)
            );
        }
    }
    let _ = writeln!(
        out,
        "| **total** | | | | **{}** | **{}** | **{}** | |",
        money(t.low, c),
        money(t.expected, c),
        money(t.high, c)
    );
    let unpriced = forecast.unpriced();
    if unpriced > 0 {
        let _ = writeln!(out, "\n> {unpriced} unpriced line(s) counted as 0.");
    }
    let drivers = forecast.drivers();
    let top = drivers.first().map_or(0.0, |d| d.monthly.expected);
    if top > 0.0 {
        out.push_str("\n**Largest cost drivers (expected)**\n\n```text\n");
        for d in drivers.iter().take(DRIVERS_SHOWN) {
            let bar = ((d.monthly.expected / top) * BAR_WIDTH as f64).round() as usize;
            let _ = writeln!(
                out,
                "{:BAR_WIDTH$} {} {}",
                "█".repeat(bar),
                money(d.monthly.expected, c),
                d.address
            );
        }
        out.push_str("```\n");
    }
    if !forecast.advice.is_empty() {
        out.push_str("\n**Advice**\n\n");
        for a in &forecast.advice {
            let _ = writeln!(
                out,
                "- `{}`: {} (saves about {} a month)",
                a.address,
                a.message,
                money(a.monthly_saving, c)
            );
        }
    }
    out
}

/// The plan's cost section for a pull-request comment.
pub fn plan_section(cost: &crate::cost::plan_cost::PlanCost) -> String {
    let c = cost.currency.as_str();
    let mut out = String::new();
    let d = cost.after - cost.before;
    let _ = writeln!(
        out,
        "\n**Monthly cost ({c}, expected):** {} → {} ({}{}); after the plan low {}, high {}\n",
        money(cost.before.expected, c),
        money(cost.after.expected, c),
        if d.expected >= 0.005 { "+" } else { "" },
        money(d.expected, c),
        money(cost.after.low, c),
        money(cost.after.high, c)
    );
    let changed: Vec<_> = cost.shown_changes().collect();
    if changed.is_empty() {
        return out;
    }
    out.push_str("| resource | before | after | difference |\n|---|---:|---:|---:|\n");
    for ch in changed {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            ch.address,
            ch.before
                .map_or("not known".to_string(), |b| money(b.expected, c)),
            money(ch.after.unwrap_or_default().expected, c),
            ch.delta().map_or(String::new(), |d| money(d.expected, c))
        );
    }
    out
}
