//! The cost forecast: every resource's monthly cost (730 hours) as lines of meter, quantity,
//! unit, unit price, monthly amount and the assumption behind the quantity, with a low,
//! expected and high figure.
//!
//! What each kind costs is the kind's own knowledge: its descriptor's `cost` hook
//! (`KindSchema::cost`, in the kind's file under `src/schema/`) turns a resource into a
//! [`KindCost`], built from the line helpers in [`lines`]. This module only sums, and knows
//! prices ([`catalogue`], [`price_file`]) and budgets ([`budget`]).

pub mod advice;
pub mod budget;
pub mod cache;
pub mod catalogue;
pub mod lines;
pub mod load;
pub mod plan_cost;
pub mod price_file;
pub mod retail;
pub mod update;

use crate::model::{Body, Manifest, Resource};

pub use catalogue::{Confidence, HOURS_PER_MONTH, MeterKey, Price, PriceBook};

/// Low, expected and high figures of a quantity or an amount.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Range {
    pub low: f64,
    pub expected: f64,
    pub high: f64,
}

impl Range {
    pub const ZERO: Range = Range {
        low: 0.0,
        expected: 0.0,
        high: 0.0,
    };

    pub fn new(low: f64, expected: f64, high: f64) -> Range {
        Range {
            low,
            expected,
            high,
        }
    }

    pub fn fixed(v: f64) -> Range {
        Range::new(v, v, v)
    }

    pub fn scale(self, by: f64) -> Range {
        Range::new(self.low * by, self.expected * by, self.high * by)
    }
}

impl std::ops::Add for Range {
    type Output = Range;

    fn add(self, other: Range) -> Range {
        Range::new(
            self.low + other.low,
            self.expected + other.expected,
            self.high + other.high,
        )
    }
}

impl std::ops::Sub for Range {
    type Output = Range;

    fn sub(self, other: Range) -> Range {
        Range::new(
            self.low - other.low,
            self.expected - other.expected,
            self.high - other.high,
        )
    }
}

/// One billed meter of one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    /// What is billed: `Standard_NC6s_v3 (Linux, spot)`, `Azure Firewall Standard, deployment`.
    pub meter: String,
    /// The billed quantity per month (low, expected, high).
    pub quantity: Range,
    /// `hours`, `GB-months`, `zone-months`, `days`, `GB`.
    pub unit: &'static str,
    /// `None`: unpriced (no layer of the price book knows it); the amount counts as 0.
    pub unit_price: Option<f64>,
    pub monthly: Range,
    /// Why the quantity is what it is.
    pub assumption: String,
    /// The price moves with the market (Spot): the amount is an estimate within its range.
    pub variable: bool,
    pub confidence: Confidence,
    /// Where the unit price comes from.
    pub price_source: std::sync::Arc<str>,
}

impl CostLine {
    pub fn is_unpriced(&self) -> bool {
        self.unit_price.is_none()
    }
}

/// What a kind's cost hook says about one resource.
#[derive(Debug, Clone, PartialEq)]
pub enum KindCost {
    /// Billed meters, and advice on them.
    Billed(Vec<CostLine>, Vec<advice::Advice>),
    /// Nothing is billed for it (an asset version, a role assignment): why.
    Free(String),
    /// Billed through another resource (a batch deployment on its cluster): which, and how.
    Elsewhere(String),
}

/// What a cost hook may look at.
pub struct CostCtx<'a> {
    pub manifest: &'a Manifest,
    pub prices: &'a PriceBook,
    /// The manifest's resources by address (a parent is looked up for every resource).
    by_address: std::collections::HashMap<&'a str, &'a Resource>,
}

impl<'a> CostCtx<'a> {
    pub fn new(manifest: &'a Manifest, prices: &'a PriceBook) -> CostCtx<'a> {
        CostCtx {
            manifest,
            prices,
            by_address: manifest
                .resources
                .iter()
                .map(|r| (r.address.as_str(), r))
                .collect(),
        }
    }

    /// The region of a resource, as the lowering places it: its own `location`, else its
    /// parent's, else the `azure` block's.
    pub fn region(&self, resource: &Resource) -> String {
        if let Some(loc) = resource.body.str("location") {
            return loc.to_ascii_lowercase();
        }
        if let Some(parent) = resource
            .parent_address()
            .and_then(|p| self.by_address.get(p).copied())
            .filter(|p| p.address != resource.address)
        {
            return self.region(parent);
        }
        self.manifest
            .azure
            .as_ref()
            .and_then(|a| a.body.str("location"))
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    pub fn price(&self, meter: &str, sku: &str, rate: &str, region: &str) -> Price {
        self.prices.price(&MeterKey::new(meter, sku, rate), region)
    }
}

/// A resource's costs.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceCost {
    pub address: String,
    pub kind: &'static str,
    pub region: String,
    pub lines: Vec<CostLine>,
    /// For a resource with no lines: why it costs nothing of its own.
    pub note: Option<String>,
    pub monthly: Range,
}

impl ResourceCost {
    pub fn unpriced(&self) -> usize {
        self.lines.iter().filter(|l| l.is_unpriced()).count()
    }
}

/// The forecast of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub currency: String,
    pub resources: Vec<ResourceCost>,
    pub total: Range,
    /// Where money is plainly left on the table.
    pub advice: Vec<advice::Advice>,
}

impl Forecast {
    pub fn unpriced(&self) -> usize {
        self.resources.iter().map(ResourceCost::unpriced).sum()
    }

    pub fn resource(&self, address: &str) -> Option<&ResourceCost> {
        self.resources.iter().find(|r| r.address == address)
    }

    /// The resources by expected cost, largest first (ties by address).
    pub fn drivers(&self) -> Vec<&ResourceCost> {
        let mut all: Vec<&ResourceCost> = self
            .resources
            .iter()
            .filter(|r| r.monthly.expected > 0.0 || r.monthly.high > 0.0)
            .collect();
        all.sort_by(|a, b| {
            b.monthly
                .expected
                .total_cmp(&a.monthly.expected)
                .then(b.monthly.high.total_cmp(&a.monthly.high))
                .then(a.address.cmp(&b.address))
        });
        all
    }
}

/// Costs every resource of the manifest.
pub fn forecast(manifest: &Manifest, prices: &PriceBook) -> Forecast {
    let ctx = CostCtx::new(manifest, prices);
    let mut resources = Vec::with_capacity(manifest.resources.len());
    let mut total = Range::ZERO;
    let mut advice = Vec::new();
    for resource in &manifest.resources {
        let cost = match resource.schema.cost {
            Some(hook) => hook(resource, &ctx),
            None => KindCost::Free(format!(
                "amlplan has no cost model for `{}` yet",
                resource.kind()
            )),
        };
        let (lines, note) = match cost {
            KindCost::Billed(lines, mut given) => {
                advice.append(&mut given);
                (lines, None)
            }
            KindCost::Free(why) => (Vec::new(), Some(why)),
            KindCost::Elsewhere(why) => (Vec::new(), Some(why)),
        };
        let monthly = lines.iter().fold(Range::ZERO, |acc, l| acc + l.monthly);
        total = total + monthly;
        resources.push(ResourceCost {
            address: resource.address.clone(),
            kind: resource.kind(),
            region: ctx.region(resource),
            lines,
            note,
            monthly,
        });
    }
    Forecast {
        currency: prices.currency.clone(),
        resources,
        total,
        advice,
    }
}

/// A known number attribute of a body.
pub fn number(body: &Body, name: &str) -> Option<f64> {
    body.value(name).and_then(crate::lang::value::Value::as_f64)
}

/// The resource's `usage` block, if it has one.
pub fn usage(resource: &Resource) -> Option<&Body> {
    resource.body.block("usage").map(|b| &b.body)
}

/// An amount rounded to the cent, as reports show it.
pub fn cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

pub use budget::money;

/// A quantity as reports show it: at most two decimals, no trailing zeros.
pub fn quantity(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    crate::lang::value::format_float(rounded)
}

/// A unit price as reports show it (`$0.90/hours` reads badly, so the unit is singular).
pub fn unit_price(price: Option<f64>, currency: &str) -> String {
    match price {
        None => "unpriced".to_string(),
        Some(p) if currency == "USD" => format!("${}", crate::lang::value::format_float(p)),
        Some(p) => format!("{} {currency}", crate::lang::value::format_float(p)),
    }
}
