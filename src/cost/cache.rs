//! The local price cache `amlplan prices update` writes and later runs read: prices from the
//! Azure Retail Prices API, with the date they were fetched and where from.
//!
//! It lives at `$AMLPLAN_PRICE_CACHE` if set, else `$XDG_CACHE_HOME/amlplan/prices.json`, else
//! `$HOME/.cache/amlplan/prices.json` (`%LOCALAPPDATA%\amlplan\prices.json` on Windows). In the
//! price book it sits between the embedded catalogue and the price files: a price file still
//! wins. It is JSON, not TOML: a cache of eleven regions holds thousands of rows and is read on
//! every forecast.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The environment variable naming the cache file.
pub const CACHE_ENV: &str = "AMLPLAN_PRICE_CACHE";

/// The format version; a cache of another version is refused, not misread.
pub const FORMAT: u32 = 1;

/// One cached price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CachedPrice {
    /// An ARM region name, or `*` for a meter billed the same everywhere.
    pub region: String,
    pub meter: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sku: String,
    pub rate: String,
    /// Per unit of the meter; for a reservation, per hour (the term's price over its hours).
    pub price: f64,
    /// A reservation's price for its whole term, as the API gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_price: Option<f64>,
}

/// The cache file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceCache {
    pub format: u32,
    /// The API's address the prices were fetched from.
    pub source: String,
    /// When they were fetched (RFC 3339, UTC).
    pub fetched: String,
    pub currency: String,
    /// The regions fetched (a later update of some regions keeps the others' prices).
    pub regions: Vec<String>,
    pub prices: Vec<CachedPrice>,
}

impl PriceCache {
    /// The date part of `fetched`, as price sources show it.
    pub fn fetched_date(&self) -> &str {
        self.fetched.get(..10).unwrap_or(&self.fetched)
    }

    /// Lays a newer fetch of `fresh.regions` over this cache: the regions fetched again are
    /// replaced, the others kept. Rows are sorted, so the file does not depend on the order
    /// the API answered in.
    pub fn merged(self, mut fresh: PriceCache) -> PriceCache {
        let refetched = |region: &str| {
            region == super::catalogue::ANY_REGION || fresh.regions.iter().any(|r| r == region)
        };
        fresh
            .prices
            .extend(self.prices.into_iter().filter(|p| !refetched(&p.region)));
        fresh.regions.extend(self.regions);
        fresh.regions.sort();
        fresh.regions.dedup();
        fresh.sort();
        fresh
    }

    pub fn sort(&mut self) {
        self.prices.sort_by(|a, b| {
            (&a.region, &a.meter, &a.sku, &a.rate)
                .cmp(&(&b.region, &b.meter, &b.sku, &b.rate))
                .then(a.price.total_cmp(&b.price))
        });
        // One price per meter and region: the API lists some meters twice (several
        // effective dates or products); the lowest is kept, as a buyer would pick it.
        self.prices.dedup_by(|later, first| {
            (&later.region, &later.meter, &later.sku, &later.rate)
                == (&first.region, &first.meter, &first.sku, &first.rate)
        });
    }
}

/// Where the cache lives, from the environment (see the module's documentation); `None` when
/// no home directory is known.
pub fn location(env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(path) = set(CACHE_ENV) {
        return Some(PathBuf::from(path));
    }
    if cfg!(windows)
        && let Some(local) = set("LOCALAPPDATA")
    {
        return Some(Path::new(&local).join("amlplan").join("prices.json"));
    }
    if let Some(xdg) = set("XDG_CACHE_HOME") {
        return Some(Path::new(&xdg).join("amlplan").join("prices.json"));
    }
    set("HOME").map(|home| {
        Path::new(&home)
            .join(".cache")
            .join("amlplan")
            .join("prices.json")
    })
}

/// The cache's location from the process environment.
pub fn default_location() -> Option<PathBuf> {
    location(|name| std::env::var(name).ok())
}

/// Parses a cache file's text.
pub fn parse(text: &str) -> Result<PriceCache, String> {
    let cache: PriceCache = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if cache.format != FORMAT {
        return Err(format!(
            "it is format {} and this amlplan reads format {FORMAT}",
            cache.format
        ));
    }
    if let Some(bad) = cache
        .prices
        .iter()
        .find(|p| !p.price.is_finite() || p.price < 0.0)
    {
        return Err(format!(
            "the price of {} {} {} in {} is not a price",
            bad.meter, bad.sku, bad.rate, bad.region
        ));
    }
    Ok(cache)
}

/// The cache file as written: pretty JSON (a user may read it), with a final newline.
pub fn render(cache: &PriceCache) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(cache).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(region: &str, sku: &str, value: f64) -> CachedPrice {
        CachedPrice {
            region: region.into(),
            meter: "vm".into(),
            sku: sku.into(),
            rate: "dedicated".into(),
            price: value,
            term_price: None,
        }
    }

    fn cache(regions: &[&str], prices: Vec<CachedPrice>) -> PriceCache {
        PriceCache {
            format: FORMAT,
            source: "https://prices.azure.com/api/retail/prices".into(),
            fetched: "2026-12-02T06:00:00Z".into(),
            currency: "USD".into(),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            prices,
        }
    }

    #[test]
    fn the_location_follows_the_override_then_xdg_then_home() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            location(env(&[(CACHE_ENV, "/tmp/p.json"), ("HOME", "/home/a")])),
            Some(PathBuf::from("/tmp/p.json"))
        );
        if !cfg!(windows) {
            assert_eq!(
                location(env(&[("XDG_CACHE_HOME", "/c"), ("HOME", "/home/a")])),
                Some(PathBuf::from("/c/amlplan/prices.json"))
            );
            assert_eq!(
                location(env(&[("HOME", "/home/a")])),
                Some(PathBuf::from("/home/a/.cache/amlplan/prices.json"))
            );
            assert_eq!(location(env(&[])), None);
        }
    }

    #[test]
    fn a_later_update_replaces_its_regions_and_keeps_the_others() {
        let old = cache(
            &["eastus", "westeurope"],
            vec![
                price("eastus", "a", 1.0),
                price("westeurope", "a", 2.0),
                price("*", "pe", 0.5),
            ],
        );
        let fresh = cache(
            &["eastus"],
            vec![price("eastus", "b", 3.0), price("*", "pe", 0.6)],
        );
        let merged = old.merged(fresh);
        assert_eq!(merged.regions, vec!["eastus", "westeurope"]);
        assert_eq!(
            merged.prices,
            vec![
                price("*", "pe", 0.6),
                price("eastus", "b", 3.0),
                price("westeurope", "a", 2.0)
            ]
        );
    }

    #[test]
    fn duplicates_keep_the_lowest_and_the_file_round_trips() {
        let mut c = cache(
            &["eastus"],
            vec![price("eastus", "a", 2.0), price("eastus", "a", 1.5)],
        );
        c.sort();
        assert_eq!(c.prices, vec![price("eastus", "a", 1.5)]);
        let text = String::from_utf8(render(&c)).expect("utf-8");
        assert_eq!(parse(&text), Ok(c));
        assert!(parse("{}").is_err());
        assert!(
            parse(&text.replace("\"format\": 1", "\"format\": 9"))
                .expect_err("format")
                .contains("format 9")
        );
    }
}
