//! E0106–E0107 (price files), E0919 (the price cache), E0922–E0924 (budgets), E0950–E0954
//! (`amlplan prices update`), W0104–W0106 (forecast advisories).
//!
//! All call sites use these constructors.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

fn placed(d: Diagnostic, span: Option<Span>, label: &str) -> Diagnostic {
    match span {
        Some(span) => d.at(span, label),
        None => d,
    }
}

/// E0106: a price file that cannot be read or is not TOML.
pub fn price_file_unreadable(path: &str, reason: &str, span: Option<Span>) -> Diagnostic {
    placed(
        Diagnostic::new(
            Code::E0106,
            format!("cannot read the price file `{path}`: {reason}"),
        )
        .with_help("a price file is TOML: `[vm.\"Standard_DS3_v2\"]` then `dedicated = 0.25`"),
        span,
        "this price file",
    )
}

/// E0107: a key a price file may not hold, with the keys allowed there.
pub fn price_file_unknown_key(
    path: &str,
    key: &str,
    allowed: &[String],
    span: Option<Span>,
) -> Diagnostic {
    let last = key.rsplit('.').next().unwrap_or(key).trim_matches('"');
    let hint = match crate::diagnostic::did_you_mean(last, allowed.iter().map(String::as_str)) {
        Some(s) => format!("{s} Allowed here: {}", allowed.join(", ")),
        None => format!("allowed here: {}", allowed.join(", ")),
    };
    placed(
        Diagnostic::new(
            Code::E0107,
            format!("the price file `{path}` has an unknown key `{key}`"),
        )
        .with_help(hint),
        span,
        "in this price file",
    )
}

/// E0107: a value in a price file that is not what its key takes.
pub fn price_file_bad_value(
    path: &str,
    key: &str,
    expected: &str,
    span: Option<Span>,
) -> Diagnostic {
    placed(
        Diagnostic::new(
            Code::E0107,
            format!("`{key}` in the price file `{path}` must be {expected}"),
        ),
        span,
        "in this price file",
    )
}

/// E0922: the forecast is above a budget's amount. `drivers` are the largest costs, already
/// rendered (`compute_cluster.gpu $1,234.00`).
pub fn over_budget(
    name: &str,
    forecast: &str,
    amount: &str,
    drivers: &[String],
    span: Option<Span>,
) -> Diagnostic {
    placed(
        Diagnostic::new(
            Code::E0922,
            format!(
                "the monthly forecast {forecast} is above budget \"{name}\" ({amount}); largest cost drivers: {}",
                drivers.join(", ")
            ),
        )
        .with_help("lower the largest drivers (smaller sizes, spot, fewer nodes, idle shutdown) or raise `amount`; `amlplan cost` shows every line"),
        span,
        "this budget",
    )
}

/// E0923: apply was given a plan over budget without `--allow-over-budget`.
pub fn apply_over_budget(name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0923,
        format!("refusing to apply: the plan is over budget \"{name}\""),
    )
    .with_help("change the manifest, or pass --allow-over-budget to apply it anyway")
}

/// E0924: a budget in another currency than the forecast's prices.
pub fn budget_currency(name: &str, budget: &str, prices: &str, span: Option<Span>) -> Diagnostic {
    placed(
        Diagnostic::new(
            Code::E0924,
            format!(
                "budget \"{name}\" is in {budget}, but the forecast's prices are in {prices}"
            ),
        )
        .with_help("amlplan does not convert currencies: give the budget in the prices' currency, or a price file in the budget's"),
        span,
        "this currency",
    )
}

/// W0105: the forecast is above a budget's `warn_at` percentage.
pub fn budget_warning(
    name: &str,
    forecast: &str,
    percent: f64,
    warn_at: f64,
    span: Option<Span>,
) -> Diagnostic {
    placed(
        Diagnostic::new(
            Code::W0105,
            format!(
                "the monthly forecast {forecast} is {percent:.0}% of budget \"{name}\", above its warn_at of {warn_at:.0}%"
            ),
        )
        .with_help("`amlplan cost` shows what the forecast is made of"),
        span,
        "this budget",
    )
}

/// W0106: a budget is checked against a forecast with unpriced lines (counted as 0).
pub fn unpriced_lines(
    name: &str,
    count: usize,
    meters: &[String],
    span: Option<Span>,
) -> Diagnostic {
    placed(
        Diagnostic::new(
            Code::W0106,
            format!(
                "budget \"{name}\" is checked against a forecast with {count} unpriced line{} ({}), counted as 0",
                if count == 1 { "" } else { "s" },
                meters.join(", ")
            ),
        )
        .with_help("give their prices in a price file (`prices { file = \"prices.toml\" }`)"),
        span,
        "this budget",
    )
}

/// E0919: a price cache file that is not one (damaged, or another version's).
pub fn price_cache_unusable(path: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0919,
        format!("the price cache `{path}` cannot be used: {reason}"),
    )
    .with_help(
        "run `amlplan prices update` to fetch it again, or delete it to forecast with the embedded catalogue",
    )
}

/// E0950: the Retail Prices API could not be reached (no answer at all).
pub fn prices_unreachable(url: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0950,
        format!("cannot reach the Azure Retail Prices API at {url}: {reason}"),
    )
    .with_help("the price cache is unchanged; check the network, or give another address with --endpoint (or AMLPLAN_PRICES_ENDPOINT)")
}

/// E0951: the Retail Prices API answered with an HTTP error.
pub fn prices_http_error(url: &str, status: u16, body: &str) -> Diagnostic {
    let detail = if body.is_empty() {
        String::new()
    } else {
        format!(": {body}")
    };
    Diagnostic::new(
        Code::E0951,
        format!("the Azure Retail Prices API answered {status} to {url}{detail}"),
    )
    .with_help("the price cache is unchanged; a 4xx usually means a filter the API refuses, a 5xx or 429 that it is busy: try again later")
}

/// E0952: an answer that is not a page of the Retail Prices API.
pub fn prices_bad_answer(url: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0952,
        format!("the answer of {url} is not a Retail Prices API page: {reason}"),
    )
    .with_help("the price cache is unchanged; is --endpoint the Retail Prices API (https://prices.azure.com/api/retail/prices)?")
}

/// E0953: the price cache cannot be written.
pub fn price_cache_unwritable(path: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0953,
        format!("cannot write the price cache `{path}`: {reason}"),
    )
    .with_help("the previous cache, if any, is unchanged; give a writable file with --cache (or AMLPLAN_PRICE_CACHE)")
}

/// E0954: `prices update` options that cannot be used.
pub fn prices_update_options(what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0954,
        format!("invalid prices update options: {what}"),
    )
}

/// W0104: `usage { reservation }` where nothing runs all month to use it.
pub fn reservation_not_always_on(why: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::W0104,
        format!("a reservation is paid all month, but {why}"),
    )
    .at(span, "reservation on nodes that are not always on")
    .with_help("reserve only nodes that run all month (min_nodes > 0 on a dedicated cluster), or remove the reservation; the forecast prices this cluster without it")
}
