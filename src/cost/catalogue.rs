//! The price book: the embedded catalogue (`data/prices.toml`) with the price files laid over
//! it. A price is looked up by meter, SKU, rate and region; what no layer knows is
//! [`Price::unpriced`], never a guess.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::price_file::PriceFile;

/// The catalogue, compiled in so a forecast needs no network and no cache.
const CATALOGUE: &str = include_str!("../../data/prices.toml");

/// Hours in the month every forecast is made for (Azure's own monthly figure).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// How far a price can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Unknown,
    Low,
    Medium,
    High,
    /// From a price file: the user's own (negotiated) rate.
    Override,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Unknown => "unknown",
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
            Confidence::Override => "override",
        }
    }
}

/// One catalogue row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub meter: String,
    #[serde(default)]
    pub sku: String,
    pub rate: String,
    pub region: String,
    /// Per unit of the meter. A reservation row (`reserved_1y`, `reserved_3y`) gives
    /// `term_price` instead, the total for the term as Azure publishes it.
    pub price: Option<f64>,
    #[serde(default)]
    pub term_price: Option<f64>,
    pub confidence: Confidence,
    pub source: String,
    pub date: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    currency: String,
    // The month the prices are read for; the unit test holds it to HOURS_PER_MONTH.
    #[cfg_attr(not(test), allow(dead_code))]
    hours_per_month: f64,
    row: Vec<Row>,
}

/// A price as the forecast uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// `None`: not known (the line is shown unpriced).
    pub amount: Option<f64>,
    pub confidence: Confidence,
    /// Shared: every line priced from one row names the same source.
    pub source: Arc<str>,
}

impl Price {
    pub fn unpriced(reason: impl Into<String>) -> Price {
        Price {
            amount: None,
            confidence: Confidence::Unknown,
            source: reason.into().into(),
        }
    }
}

/// What a price is for: `("vm", "Standard_DS3_v2", "spot")`, `("storage", "", "gb_month")`.
/// SKUs compare case-insensitively, as ARM compares VM sizes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MeterKey {
    pub meter: String,
    pub sku: String,
    pub rate: String,
}

impl MeterKey {
    pub fn new(meter: &str, sku: &str, rate: &str) -> MeterKey {
        MeterKey {
            meter: meter.to_string(),
            sku: sku.to_ascii_lowercase(),
            rate: rate.to_string(),
        }
    }
}

impl MeterKey {
    /// `vm standard_ds3_v2 spot`, `storage gb_month`.
    pub fn describe(&self) -> String {
        [self.meter.as_str(), self.sku.as_str(), self.rate.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The region every region falls back to (`region = "*"` rows, a price file's region-free
/// tables).
pub const ANY_REGION: &str = "*";

#[derive(Debug, Clone, Default)]
struct Layer {
    /// By region (`*` for region-free), then meter.
    prices: BTreeMap<String, BTreeMap<MeterKey, f64>>,
    source: Arc<str>,
}

/// The price cache as the book looks prices up in it; cheap to clone, so one run builds it
/// once however many books it makes.
#[derive(Debug, Clone)]
pub struct CacheLayer {
    prices: Arc<HashMap<(String, MeterKey), f64>>,
    source: Arc<str>,
}

impl CacheLayer {
    pub fn of(cache: &super::cache::PriceCache) -> CacheLayer {
        CacheLayer {
            prices: Arc::new(
                cache
                    .prices
                    .iter()
                    .map(|p| {
                        (
                            (p.region.clone(), MeterKey::new(&p.meter, &p.sku, &p.rate)),
                            p.price,
                        )
                    })
                    .collect(),
            ),
            source: Arc::from(format!(
                "Azure Retail Prices API ({}), fetched {}",
                cache.source,
                cache.fetched_date()
            )),
        }
    }
}

/// The catalogue, the price cache over it and the price files over both.
#[derive(Debug, Clone)]
pub struct PriceBook {
    /// Each row's price, confidence and cited source, by `(region, meter)`.
    rows: HashMap<(String, MeterKey), Price>,
    /// The prices `amlplan prices update` fetched.
    cached: Option<CacheLayer>,
    overrides: Vec<Layer>,
    pub currency: String,
}

fn parsed_catalogue() -> &'static CatalogueFile {
    static PARSED: OnceLock<CatalogueFile> = OnceLock::new();
    PARSED.get_or_init(|| {
        // The catalogue is compiled in and a unit test parses it, so this cannot fail in a
        // released binary; an empty catalogue (every line unpriced) is the safe fallback.
        toml::from_str(CATALOGUE).unwrap_or(CatalogueFile {
            currency: "USD".into(),
            hours_per_month: HOURS_PER_MONTH,
            row: Vec::new(),
        })
    })
}

impl PriceBook {
    /// The embedded catalogue alone.
    pub fn catalogue() -> PriceBook {
        let file = parsed_catalogue();
        let rows = file
            .row
            .iter()
            .map(|r| {
                let amount = r.price.or_else(|| {
                    r.term_price
                        .zip(super::retail::term_hours(&r.rate))
                        .map(|(total, hours)| total / hours)
                });
                let confidence = if amount.is_some() {
                    r.confidence
                } else {
                    Confidence::Unknown
                };
                let source = match r.term_price {
                    Some(total) => format!(
                        "{} ({}; ${} for the term over its hours)",
                        r.source,
                        r.date,
                        crate::lang::value::format_float(total)
                    ),
                    None => format!("{} ({})", r.source, r.date),
                };
                (
                    (r.region.clone(), MeterKey::new(&r.meter, &r.sku, &r.rate)),
                    Price {
                        amount,
                        confidence,
                        source: Arc::from(source),
                    },
                )
            })
            .collect();
        PriceBook {
            rows,
            cached: None,
            overrides: Vec::new(),
            currency: file.currency.clone(),
        }
    }

    /// Lays the price cache over the catalogue (under every price file).
    pub fn with_cache(mut self, cache: CacheLayer) -> PriceBook {
        self.cached = Some(cache);
        self
    }

    /// Lays a price file over the book: its entries win over everything before it.
    pub fn with_file(mut self, file: &PriceFile) -> PriceBook {
        let mut layer = Layer {
            source: Arc::from(format!("price file {}", file.name)),
            ..Layer::default()
        };
        for (region, key, price) in &file.entries {
            layer
                .prices
                .entry(region.clone())
                .or_default()
                .insert(key.clone(), *price);
        }
        if let Some(c) = &file.currency {
            self.currency = c.clone();
        }
        self.overrides.push(layer);
        self
    }

    /// The price of `key` in `region`: the price files (last first; the region's table before
    /// the region-free one), then the price cache (the region, then `*`), then the
    /// catalogue's row for the region, then its `*` row.
    pub fn price(&self, key: &MeterKey, region: &str) -> Price {
        for layer in self.overrides.iter().rev() {
            for r in [region, ANY_REGION] {
                if let Some(p) = layer.prices.get(r).and_then(|m| m.get(key)) {
                    return Price {
                        amount: Some(*p),
                        confidence: Confidence::Override,
                        source: layer.source.clone(),
                    };
                }
            }
        }
        let mut probe = (region.to_string(), key.clone());
        if let Some(cache) = &self.cached {
            for r in [region, ANY_REGION] {
                r.clone_into(&mut probe.0);
                if let Some(p) = cache.prices.get(&probe) {
                    return Price {
                        amount: Some(*p),
                        confidence: Confidence::High,
                        source: cache.source.clone(),
                    };
                }
            }
        }
        for r in [region, ANY_REGION] {
            r.clone_into(&mut probe.0);
            if let Some(price) = self.rows.get(&probe) {
                return price.clone();
            }
        }
        Price::unpriced(format!(
            "no catalogue price for {} in {region}",
            key.describe()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogue_parses_and_every_row_cites_a_source() {
        let file: CatalogueFile = toml::from_str(CATALOGUE).expect("catalogue parses");
        assert_eq!(file.currency, "USD");
        assert_eq!(file.hours_per_month, HOURS_PER_MONTH);
        assert!(file.row.len() > 20);
        for row in &file.row {
            assert!(!row.source.trim().is_empty(), "{row:?}");
            assert!(!row.date.trim().is_empty(), "{row:?}");
            // A row without a price must say it is unknown, and a priced one must not; a
            // reservation row gives its term's price, every other row a unit price.
            let reservation = super::super::retail::term_hours(&row.rate).is_some();
            let given = if reservation {
                assert!(row.price.is_none(), "{row:?}");
                row.term_price
            } else {
                assert!(row.term_price.is_none(), "{row:?}");
                row.price
            };
            assert_eq!(
                given.is_none(),
                row.confidence == Confidence::Unknown,
                "{row:?}"
            );
            if row.meter == "vm" {
                assert!(crate::azure::vm_sizes::is_known(&row.sku), "{row:?}");
            }
        }
    }

    #[test]
    fn region_rows_win_over_region_free_rows_and_unknown_is_unpriced() {
        let book = PriceBook::catalogue();
        let ds3 = MeterKey::new("vm", "standard_ds3_v2", "dedicated");
        assert_eq!(book.price(&ds3, "eastus").amount, Some(0.293));
        let missing = book.price(&ds3, "japaneast");
        assert_eq!(missing.amount, None);
        assert_eq!(missing.confidence, Confidence::Unknown);
        let t4_spot = book.price(
            &MeterKey::new("vm", "Standard_NC4as_T4_v3", "spot"),
            "eastus",
        );
        assert_eq!(t4_spot.amount, None);
        let lb = book.price(&MeterKey::new("load_balancer", "", "day"), "japaneast");
        assert_eq!(lb.amount, Some(0.33));
    }
}
