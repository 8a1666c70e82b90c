//! `budget` blocks checked against a forecast: above `warn_at` percent a warning (W0105),
//! above `amount` an error naming the largest cost drivers (E0922, the plan's exit 3).

use crate::diagnostic::Diagnostic;
use crate::diagnostics::cost as diag;
use crate::model::{Block, Manifest};
use crate::source::Span;

use super::{Forecast, number};

/// One `budget "NAME"` block, as far as its values are known.
#[derive(Debug, Clone)]
pub struct Budget<'a> {
    pub name: &'a str,
    pub amount: f64,
    pub currency: &'a str,
    pub warn_at: f64,
    pub span: Span,
    pub block: &'a Block,
}

/// The manifest's budgets whose `amount` is known.
pub fn budgets(manifest: &Manifest) -> Vec<Budget<'_>> {
    manifest
        .settings
        .iter()
        .filter(|b| b.kind == "budget")
        .filter_map(|block| {
            Some(Budget {
                name: block.label().unwrap_or_default(),
                amount: number(&block.body, "amount")?,
                currency: block.body.str("currency").unwrap_or("USD"),
                warn_at: number(&block.body, "warn_at").unwrap_or(80.0),
                span: block.header_span(),
                block,
            })
        })
        .collect()
}

/// `1234.5` as `$1,234.50` (USD) or `1,234.50 EUR`.
pub fn money(amount: f64, currency: &str) -> String {
    let cents = (amount * 100.0).round() as i64;
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let figure = format!("{grouped}.{:02}", cents % 100);
    if currency == "USD" {
        format!("{sign}${figure}")
    } else {
        format!("{sign}{figure} {currency}")
    }
}

/// The warnings of every budget: above `warn_at`, unpriced lines, another currency. (Being
/// above `amount` is [`over`]'s, which the plan raises as an error.)
pub fn warnings(manifest: &Manifest, forecast: &Forecast) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for budget in budgets(manifest) {
        if !budget.currency.eq_ignore_ascii_case(&forecast.currency) {
            let span = budget
                .block
                .body
                .attr("currency")
                .map_or(budget.span, |a| a.span);
            out.push(diag::budget_currency(
                budget.name,
                budget.currency,
                &forecast.currency,
                Some(span),
            ));
            continue;
        }
        let expected = forecast.total.expected;
        if budget.amount > 0.0 {
            let percent = expected / budget.amount * 100.0;
            if percent > budget.warn_at {
                out.push(diag::budget_warning(
                    budget.name,
                    &money(expected, &forecast.currency),
                    percent,
                    budget.warn_at,
                    Some(budget.span),
                ));
            }
        }
        let unpriced: Vec<String> = forecast
            .resources
            .iter()
            .flat_map(|r| {
                r.lines
                    .iter()
                    .filter(|l| l.is_unpriced())
                    .map(move |l| format!("{}: {}", r.address, l.meter))
            })
            .collect();
        if !unpriced.is_empty() {
            let shown: Vec<String> = unpriced.iter().take(3).cloned().collect();
            out.push(diag::unpriced_lines(
                budget.name,
                unpriced.len(),
                &shown,
                Some(budget.span),
            ));
        }
    }
    out
}

/// The budgets the forecast is above (E0922), each naming the three largest drivers.
pub fn over(manifest: &Manifest, forecast: &Forecast) -> Vec<Diagnostic> {
    let drivers: Vec<String> = forecast
        .drivers()
        .iter()
        .take(3)
        .map(|r| {
            format!(
                "{} {}",
                r.address,
                money(r.monthly.expected, &forecast.currency)
            )
        })
        .collect();
    budgets(manifest)
        .into_iter()
        .filter(|b| b.currency.eq_ignore_ascii_case(&forecast.currency))
        .filter(|b| forecast.total.expected > b.amount)
        .map(|b| {
            diag::over_budget(
                b.name,
                &money(forecast.total.expected, &forecast.currency),
                &money(b.amount, &forecast.currency),
                &drivers,
                Some(b.span),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_groups_thousands_and_rounds_to_the_cent() {
        assert_eq!(money(150.95000000000002, "USD"), "$150.95");
        assert_eq!(money(71773.6, "USD"), "$71,773.60");
        assert_eq!(money(-3.5, "EUR"), "-3.50 EUR");
        assert_eq!(money(0.0, "USD"), "$0.00");
    }
}
