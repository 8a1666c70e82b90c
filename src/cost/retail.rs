//! The Azure Retail Prices API's answers (`https://prices.azure.com/api/retail/prices`): one
//! page of items, and which of its items are prices the forecast uses.
//!
//! A VM size has several Consumption rows under one `armSkuName`: Linux pay as you go
//! (`meterName "NC6s v3"`), Windows (`productName "... Series Windows"`), Spot (`"NC6s v3
//! Spot"`) and Low Priority (`"NC6s v3 Low Priority"`); Reservation rows (`reservationTerm
//! "1 Year"` / `"3 Years"`) carry the total price for the term. The forecast is for Linux, and
//! low priority is retired for Azure ML (its clusters run on Spot), so only Linux pay as you
//! go, Spot and reservations are kept.

use serde::Deserialize;

use super::catalogue::{ANY_REGION, MeterKey};

/// Hours in a reservation's term, at the 730-hour month every forecast uses.
pub fn term_hours(rate: &str) -> Option<f64> {
    match rate {
        "reserved_1y" => Some(12.0 * super::HOURS_PER_MONTH),
        "reserved_3y" => Some(36.0 * super::HOURS_PER_MONTH),
        _ => None,
    }
}

/// One page of the API's answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Page {
    #[serde(default)]
    pub billing_currency: Option<String>,
    pub items: Vec<Item>,
    #[serde(default)]
    pub next_page_link: Option<String>,
}

/// One price item (only the fields amlplan reads; the API sends more).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    #[serde(default)]
    pub currency_code: String,
    #[serde(default)]
    pub tier_minimum_units: f64,
    #[serde(default)]
    pub unit_price: Option<f64>,
    #[serde(default)]
    pub retail_price: Option<f64>,
    #[serde(default)]
    pub arm_region_name: String,
    #[serde(default)]
    pub meter_name: String,
    #[serde(default)]
    pub product_name: String,
    #[serde(default)]
    pub sku_name: String,
    #[serde(default)]
    pub service_name: String,
    #[serde(default)]
    pub unit_of_measure: String,
    #[serde(default, rename = "type")]
    pub price_type: String,
    #[serde(default)]
    pub reservation_term: Option<String>,
    #[serde(default)]
    pub arm_sku_name: String,
}

/// What an item is to the forecast.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A price the forecast uses: per unit of the meter (hourly for a reservation).
    Kept {
        region: String,
        key: MeterKey,
        price: f64,
        /// A reservation's price for its whole term, as the API gives it.
        term_price: Option<f64>,
    },
    Windows,
    LowPriority,
    /// Anything else: Dev/Test rates, higher volume tiers, meters no forecast line uses.
    Other,
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// The meters of platform services, by `(serviceName, meterName)`: `(meter, sku, rate)`.
const PLATFORM_METERS: &[(&str, &str, (&str, &str, &str))] = &[
    (
        "Azure Firewall",
        "Standard Deployment",
        ("firewall", "standard", "hour"),
    ),
    (
        "Azure Firewall",
        "Standard Data Processed",
        ("firewall", "standard", "gb"),
    ),
    (
        "Azure Firewall",
        "Basic Deployment",
        ("firewall", "basic", "hour"),
    ),
    (
        "Azure Firewall",
        "Basic Data Processed",
        ("firewall", "basic", "gb"),
    ),
    (
        "Container Registry",
        "Premium Registry Unit",
        ("container_registry", "premium", "day"),
    ),
    (
        "Virtual Network",
        "Standard Private Endpoint",
        ("private_endpoint", "", "hour"),
    ),
    (
        "Virtual Network",
        "Standard Data Processed - Ingress",
        ("private_endpoint", "", "gb"),
    ),
];

/// Sorts one item.
pub fn classify(item: &Item) -> Kind {
    let Some(price) = item.unit_price.or(item.retail_price) else {
        return Kind::Other;
    };
    // Volume tiers start above 0; the forecast uses the first tier's price.
    if !price.is_finite() || price < 0.0 || item.tier_minimum_units > 0.0 {
        return Kind::Other;
    }
    let region = match item.arm_region_name.to_ascii_lowercase() {
        // Private Link bills one price everywhere, under the region "Global".
        r if r == "global" || r.is_empty() => ANY_REGION.to_string(),
        r => r,
    };
    if item.service_name == "Virtual Machines" {
        return classify_vm(item, region, price);
    }
    if item.price_type != "Consumption" {
        return Kind::Other;
    }
    PLATFORM_METERS
        .iter()
        .find(|(service, meter, _)| item.service_name == *service && item.meter_name == *meter)
        .map_or(Kind::Other, |(_, _, (meter, sku, rate))| Kind::Kept {
            region,
            key: MeterKey::new(meter, sku, rate),
            price,
            term_price: None,
        })
}

fn classify_vm(item: &Item, region: String, price: f64) -> Kind {
    if item.arm_sku_name.is_empty() {
        return Kind::Other;
    }
    let names = format!("{} {}", item.sku_name, item.meter_name);
    if contains(&names, "low priority") {
        return Kind::LowPriority;
    }
    if contains(&item.product_name, "windows") {
        return Kind::Windows;
    }
    let kept = |rate: &str, price: f64, term_price: Option<f64>| Kind::Kept {
        region: region.clone(),
        key: MeterKey::new("vm", &item.arm_sku_name, rate),
        price,
        term_price,
    };
    match item.price_type.as_str() {
        "Consumption" if item.unit_of_measure == "1 Hour" => {
            if contains(&names, "spot") {
                kept("spot", price, None)
            } else if contains(&item.meter_name, "expired") || contains(&item.meter_name, "free") {
                Kind::Other
            } else {
                kept("dedicated", price, None)
            }
        }
        "Reservation" => {
            let rate = match item.reservation_term.as_deref() {
                Some("1 Year") => "reserved_1y",
                Some("3 Years") => "reserved_3y",
                _ => return Kind::Other,
            };
            match term_hours(rate) {
                Some(hours) => kept(rate, price / hours, Some(price)),
                None => Kind::Other,
            }
        }
        _ => Kind::Other,
    }
}

/// The `$filter` of one query: a service's prices of one type in one region (`Global` for
/// the meters billed the same everywhere). Values are case-sensitive and single-quoted,
/// with a quote doubled.
pub fn filter(service: &str, price_type: &str, region: &str) -> String {
    let quote = |v: &str| format!("'{}'", v.replace('\'', "''"));
    format!(
        "serviceName eq {} and armRegionName eq {} and priceType eq {}",
        quote(service),
        quote(region),
        quote(price_type)
    )
}

/// The queries `prices update` makes for one region: `(service, price type, region)`.
pub fn queries(region: &str) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("Virtual Machines", "Consumption", region.to_string()),
        ("Virtual Machines", "Reservation", region.to_string()),
        ("Azure Firewall", "Consumption", region.to_string()),
        ("Container Registry", "Consumption", region.to_string()),
    ]
}

/// The queries made once whatever the regions: Private Link's meters are global.
pub fn global_queries() -> Vec<(&'static str, &'static str, String)> {
    vec![("Virtual Network", "Consumption", "Global".to_string())]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vm(product: &str, meter: &str, price_type: &str, term: Option<&str>, price: f64) -> Item {
        Item {
            currency_code: "USD".into(),
            tier_minimum_units: 0.0,
            unit_price: Some(price),
            retail_price: Some(price),
            arm_region_name: "eastus".into(),
            meter_name: meter.into(),
            product_name: product.into(),
            sku_name: meter.into(),
            service_name: "Virtual Machines".into(),
            unit_of_measure: if term.is_some() { "1 Year" } else { "1 Hour" }.into(),
            price_type: price_type.into(),
            reservation_term: term.map(str::to_string),
            arm_sku_name: "Standard_NC6s_v3".into(),
        }
    }

    fn kept_rate(kind: &Kind) -> Option<(&str, f64)> {
        match kind {
            Kind::Kept { key, price, .. } => Some((key.rate.as_str(), *price)),
            _ => None,
        }
    }

    #[test]
    fn linux_spot_low_priority_windows_and_reservations_are_told_apart() {
        let series = "Virtual Machines NCSv3 Series";
        let linux = classify(&vm(series, "NC6s v3", "Consumption", None, 3.06));
        assert_eq!(kept_rate(&linux), Some(("dedicated", 3.06)));
        let spot = classify(&vm(series, "NC6s v3 Spot", "Consumption", None, 0.92));
        assert_eq!(kept_rate(&spot), Some(("spot", 0.92)));
        let low = classify(&vm(
            series,
            "NC6s v3 Low Priority",
            "Consumption",
            None,
            0.61,
        ));
        assert_eq!(low, Kind::LowPriority);
        let windows = classify(&vm(
            "Virtual Machines NCSv3 Series Windows",
            "NC6s v3",
            "Consumption",
            None,
            3.24,
        ));
        assert_eq!(windows, Kind::Windows);
        let windows_spot = classify(&vm(
            "Virtual Machines NCSv3 Series Windows",
            "NC6s v3 Spot",
            "Consumption",
            None,
            1.1,
        ));
        assert_eq!(windows_spot, Kind::Windows);
        let one_year = classify(&vm(
            series,
            "NC6s v3",
            "Reservation",
            Some("1 Year"),
            8760.0,
        ));
        assert_eq!(kept_rate(&one_year), Some(("reserved_1y", 1.0)));
        let three = classify(&vm(
            series,
            "NC6s v3",
            "Reservation",
            Some("3 Years"),
            26280.0,
        ));
        assert_eq!(kept_rate(&three), Some(("reserved_3y", 1.0)));
        let dev_test = classify(&vm(series, "NC6s v3", "DevTestConsumption", None, 1.0));
        assert_eq!(dev_test, Kind::Other);
    }

    #[test]
    fn platform_meters_and_global_regions() {
        let item = Item {
            service_name: "Virtual Network".into(),
            meter_name: "Standard Private Endpoint".into(),
            arm_region_name: "Global".into(),
            ..vm(
                "Virtual Network Private Link",
                "",
                "Consumption",
                None,
                0.01,
            )
        };
        match classify(&item) {
            Kind::Kept { region, key, .. } => {
                assert_eq!(region, "*");
                assert_eq!(key, MeterKey::new("private_endpoint", "", "hour"));
            }
            other => panic!("{other:?}"),
        }
        let tiered = Item {
            tier_minimum_units: 1_000_000.0,
            meter_name: "Standard Data Processed - Ingress".into(),
            ..item
        };
        assert_eq!(classify(&tiered), Kind::Other);
    }

    #[test]
    fn filters_quote_their_values() {
        assert_eq!(
            filter("Virtual Machines", "Consumption", "eastus"),
            "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and priceType eq 'Consumption'"
        );
        assert!(filter("a'b", "Consumption", "x").contains("'a''b'"));
    }
}
