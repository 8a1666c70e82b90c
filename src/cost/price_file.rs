//! Price files: negotiated rates in TOML that override the catalogue entry by entry.
//!
//! ```toml
//! currency = "USD"
//! [vm."Standard_NC6s_v3"]
//! dedicated = 3.06
//! spot = 0.90
//! [storage]
//! gb_month = 0.018
//! [container_registry.premium]
//! day = 1.5
//! [region.westeurope.vm."Standard_DS3_v2"]   # a region's table wins over the region-free one
//! dedicated = 0.25
//! ```
//!
//! Every key is checked: a misspelt one would otherwise leave the catalogue price in force
//! without a word, so unknown keys are errors (E0107), as are values that are not prices.

use super::catalogue::{ANY_REGION, MeterKey};

/// The meters a price file may set, with their rates. `vm` holds one table per VM size, and
/// the SKU meters one table per SKU of theirs.
const VM_RATES: &[&str] = &["dedicated", "spot", "reserved_1y", "reserved_3y"];
const SKU_METERS: &[(&str, &[&str], &[&str])] = &[
    ("firewall", &["standard", "basic"], &["hour", "gb"]),
    ("container_registry", &["premium"], &["day"]),
];
const FLAT_METERS: &[(&str, &[&str])] = &[
    ("storage", &["gb_month"]),
    ("private_endpoint", &["hour", "gb"]),
    ("private_dns_zone", &["zone_month", "million_queries"]),
    ("load_balancer", &["day"]),
];

/// A parsed price file.
#[derive(Debug, Clone, Default)]
pub struct PriceFile {
    /// How the file is named in sources of prices (its path as given).
    pub name: String,
    pub currency: Option<String>,
    /// `(region or "*", meter, price)`.
    pub entries: Vec<(String, MeterKey, f64)>,
}

/// What is wrong with a price file.
#[derive(Debug, Clone, PartialEq)]
pub enum PriceFileError {
    /// Not TOML (E0106).
    Syntax(String),
    /// A key amlplan does not know, with the keys allowed there (E0107).
    UnknownKey { path: String, allowed: Vec<String> },
    /// A value that is not a non-negative number, or a currency that is not a string (E0107).
    BadValue { path: String, expected: String },
}

pub fn parse(name: &str, text: &str) -> Result<PriceFile, Vec<PriceFileError>> {
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            return Err(vec![PriceFileError::Syntax(format!(
                "line {line}: {}",
                e.message()
            ))]);
        }
    };
    let mut file = PriceFile {
        name: name.to_string(),
        ..PriceFile::default()
    };
    let mut errors = Vec::new();
    for (key, value) in &table {
        match key.as_str() {
            // Prices in another currency would be mixed with the catalogue's USD ones, and
            // amlplan converts nothing.
            "currency" => match value.as_str() {
                Some(c) if c.eq_ignore_ascii_case("USD") => file.currency = Some("USD".into()),
                _ => errors.push(PriceFileError::BadValue {
                    path: "currency".into(),
                    expected:
                        "\"USD\", the catalogue's currency (amlplan does not convert currencies)"
                            .into(),
                }),
            },
            "region" => match value.as_table() {
                Some(regions) => {
                    for (region, tables) in regions {
                        let prefix = format!("region.{region}");
                        match tables.as_table() {
                            Some(t) => meters(
                                t,
                                &prefix,
                                &region.to_ascii_lowercase(),
                                &mut file,
                                &mut errors,
                            ),
                            None => errors.push(not_a_table(&prefix)),
                        }
                    }
                }
                None => errors.push(not_a_table("region")),
            },
            _ => {
                let mut one = toml::Table::new();
                one.insert(key.clone(), value.clone());
                meters(&one, "", ANY_REGION, &mut file, &mut errors);
            }
        }
    }
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

fn not_a_table(path: &str) -> PriceFileError {
    PriceFileError::BadValue {
        path: path.to_string(),
        expected: "a table".into(),
    }
}

fn join(prefix: &str, key: &str) -> String {
    // SKUs hold dots and capitals; quote them as TOML would.
    let key = if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        key.to_string()
    } else {
        format!("\"{key}\"")
    };
    if prefix.is_empty() {
        key
    } else {
        format!("{prefix}.{key}")
    }
}

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The meter tables of one region (or of the region-free part of the file).
fn meters(
    table: &toml::Table,
    prefix: &str,
    region: &str,
    file: &mut PriceFile,
    errors: &mut Vec<PriceFileError>,
) {
    let mut allowed: Vec<&str> = vec!["vm"];
    allowed.extend(SKU_METERS.iter().map(|(m, _, _)| *m));
    allowed.extend(FLAT_METERS.iter().map(|(m, _)| *m));
    if prefix.is_empty() {
        allowed.extend(["currency", "region"]);
    }
    for (meter, value) in table {
        let path = join(prefix, meter);
        let Some(inner) = value.as_table() else {
            if allowed.contains(&meter.as_str()) {
                errors.push(not_a_table(&path));
            } else {
                errors.push(PriceFileError::UnknownKey {
                    path,
                    allowed: owned(&allowed),
                });
            }
            continue;
        };
        match meter.as_str() {
            "vm" => {
                for (sku, rates) in inner {
                    let sku_path = join(&path, sku);
                    match rates.as_table() {
                        Some(r) => prices(r, &sku_path, "vm", sku, VM_RATES, region, file, errors),
                        None => errors.push(not_a_table(&sku_path)),
                    }
                }
            }
            other if SKU_METERS.iter().any(|(m, _, _)| *m == other) => {
                let Some((m, skus, rates)) = SKU_METERS.iter().find(|(m, _, _)| *m == other) else {
                    continue;
                };
                for (sku, sku_rates) in inner {
                    let sku_path = join(&path, sku);
                    if !skus.contains(&sku.as_str()) {
                        errors.push(PriceFileError::UnknownKey {
                            path: sku_path,
                            allowed: owned(skus),
                        });
                        continue;
                    }
                    match sku_rates.as_table() {
                        Some(r) => prices(r, &sku_path, m, sku, rates, region, file, errors),
                        None => errors.push(not_a_table(&sku_path)),
                    }
                }
            }
            other => match FLAT_METERS.iter().find(|(m, _)| *m == other) {
                Some((m, rates)) => prices(inner, &path, m, "", rates, region, file, errors),
                None => errors.push(PriceFileError::UnknownKey {
                    path,
                    allowed: owned(&allowed),
                }),
            },
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn prices(
    table: &toml::Table,
    path: &str,
    meter: &str,
    sku: &str,
    rates: &[&str],
    region: &str,
    file: &mut PriceFile,
    errors: &mut Vec<PriceFileError>,
) {
    for (rate, value) in table {
        let rate_path = join(path, rate);
        if !rates.contains(&rate.as_str()) {
            errors.push(PriceFileError::UnknownKey {
                path: rate_path,
                allowed: owned(rates),
            });
            continue;
        }
        let price = match value {
            toml::Value::Float(f) => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        };
        match price.filter(|p| p.is_finite() && *p >= 0.0) {
            Some(p) => file
                .entries
                .push((region.to_string(), MeterKey::new(meter, sku, rate), p)),
            None => errors.push(PriceFileError::BadValue {
                path: rate_path,
                expected: "a price: a number of at least 0".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_parses_into_region_free_entries() {
        let file = parse(
            "p.toml",
            "currency = \"USD\"\n[vm.\"Standard_NC6s_v3\"]\ndedicated = 3.06\nspot = 0.90\n[storage]\ngb_month = 0.018\n",
        )
        .expect("parses");
        assert_eq!(file.currency.as_deref(), Some("USD"));
        assert_eq!(file.entries.len(), 3);
        assert!(file.entries.contains(&(
            "*".to_string(),
            MeterKey::new("vm", "Standard_NC6s_v3", "spot"),
            0.90
        )));
    }

    #[test]
    fn region_tables_and_firewall_skus() {
        let file = parse(
            "p.toml",
            "[region.WestEurope.vm.\"Standard_DS3_v2\"]\ndedicated = 1\n[firewall.basic]\nhour = 0.3\n[container_registry.premium]\nday = 1.5\n",
        )
        .expect("parses");
        assert!(file.entries.contains(&(
            "westeurope".to_string(),
            MeterKey::new("vm", "Standard_DS3_v2", "dedicated"),
            1.0
        )));
        assert!(file.entries.contains(&(
            "*".to_string(),
            MeterKey::new("firewall", "basic", "hour"),
            0.3
        )));
        assert!(file.entries.contains(&(
            "*".to_string(),
            MeterKey::new("container_registry", "premium", "day"),
            1.5
        )));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_all_reported() {
        let errors = parse(
            "p.toml",
            "[vm.\"Standard_NC6s_v3\"]\ndedicatd = 3.06\nspot = \"cheap\"\n[storag]\ngb_month = 1\n[firewall.premium]\nhour = 2\n",
        )
        .expect_err("fails");
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(
            errors.iter().any(|e| matches!(e,
            PriceFileError::UnknownKey { path, .. } if path == "vm.\"Standard_NC6s_v3\".dedicatd"))
        );
        assert!(errors.iter().any(|e| matches!(e,
            PriceFileError::BadValue { path, .. } if path == "vm.\"Standard_NC6s_v3\".spot")));
        assert!(errors.iter().any(|e| matches!(e,
            PriceFileError::UnknownKey { path, .. } if path == "storag")));
        assert!(errors.iter().any(|e| matches!(e,
            PriceFileError::UnknownKey { path, .. } if path == "firewall.premium")));
        assert!(matches!(
            parse("p.toml", "currency = \"EUR\"\n").expect_err("currency").as_slice(),
            [PriceFileError::BadValue { path, .. }] if path == "currency"
        ));
        assert!(matches!(
            parse("p.toml", "[vm\n").expect_err("syntax").as_slice(),
            [PriceFileError::Syntax(_)]
        ));
    }
}
