//! `amlplan prices update`: the Azure Retail Prices API's pages, followed to their end, into
//! a [`PriceCache`]. Sent through `azure_core`'s HTTP client, the one the Azure provider uses.
//!
//! Every problem is a diagnostic returned before anything is written, so a failed update
//! leaves the cache as it was.

use std::time::Duration;

use azure_core::http::{HttpClient, Method, Request, Url};

use super::cache::{CachedPrice, FORMAT, PriceCache};
use super::retail::{self, Kind, Page};
use crate::diagnostic::Diagnostic;
use crate::diagnostics::cost as diag;

/// The API's address.
pub const DEFAULT_ENDPOINT: &str = "https://prices.azure.com/api/retail/prices";

/// The version that gives Reservation rows their `reservationTerm`.
const API_VERSION: &str = "2023-01-01-preview";

/// The regions fetched when none is named: the ones the embedded catalogue covers.
pub const DEFAULT_REGIONS: &[&str] = &[
    "australiaeast",
    "eastus",
    "eastus2",
    "japaneast",
    "northeurope",
    "southeastasia",
    "swedencentral",
    "uksouth",
    "westeurope",
    "westus2",
    "westus3",
];

/// A query follows at most this many pages (the API's pages hold up to 1,000 items; a
/// region's VM prices fill well under 100): a next-page link that never ends is an error.
const MAX_PAGES: usize = 200;

/// How often a throttled (429) or unavailable (503) answer is tried again.
const RETRIES: u32 = 3;

/// How long one page may take to arrive.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest `Retry-After` waited for.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// What an update fetched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetched {
    pub prices: Vec<CachedPrice>,
    pub pages: usize,
    pub items: usize,
    pub windows: usize,
    pub low_priority: usize,
    /// Rows of VM sizes amlplan does not know (not kept).
    pub unknown_sizes: usize,
}

/// Checks `--endpoint`: https, or http to loopback (a recorded answer served by a test).
pub fn endpoint(text: &str) -> Result<Url, Diagnostic> {
    let url = Url::parse(text)
        .map_err(|e| diag::prices_update_options(&format!("--endpoint `{text}`: {e}")))?;
    let loopback = crate::provider::azure::is_loopback(&url);
    if url.scheme() == "https" || (url.scheme() == "http" && loopback) {
        Ok(url)
    } else {
        Err(diag::prices_update_options(&format!(
            "--endpoint `{text}` must be https (plain http only to loopback)"
        )))
    }
}

/// Checks and normalises `--region` values (ARM region names: `eastus`, `WestEurope`).
pub fn regions(given: &[String]) -> Result<Vec<String>, Diagnostic> {
    if given.is_empty() {
        return Ok(DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect());
    }
    let mut out = Vec::with_capacity(given.len());
    for region in given {
        let name = region.trim().to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(diag::prices_update_options(&format!(
                "--region `{region}` is not an ARM region name (such as eastus or westeurope)"
            )));
        }
        out.push(name);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The first page's address of one query.
fn first_page(endpoint: &Url, filter: &str) -> Url {
    let mut url = endpoint.clone();
    url.query_pairs_mut()
        .append_pair("api-version", API_VERSION)
        .append_pair("$filter", filter);
    url
}

/// A next-page link is followed only on the endpoint's own origin: a page cannot send the
/// update elsewhere.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// One GET, tried again after a 429 or 503 (waiting as `Retry-After` asks, within bounds).
async fn get(http: &dyn HttpClient, url: &Url) -> Result<Vec<u8>, Diagnostic> {
    let shown = url.as_str();
    let mut attempt = 0;
    loop {
        let mut req = Request::new(url.clone(), Method::Get);
        req.insert_header("accept", "application/json");
        let exchange = async {
            let response = http
                .execute_request(&req)
                .await
                .map_err(|e| e.to_string())?;
            let (status, headers, body) = response.deconstruct();
            let retry_after = headers
                .iter()
                .find(|(k, _)| k.as_str().eq_ignore_ascii_case("retry-after"))
                .and_then(|(_, v)| v.as_str().trim().parse::<u64>().ok());
            let bytes = body.collect().await.map_err(|e| e.to_string())?;
            Ok::<_, String>((u16::from(status), retry_after, bytes))
        };
        // A network that swallows packets would otherwise keep the update waiting forever.
        let (status, retry_after, bytes) = tokio::time::timeout(REQUEST_TIMEOUT, exchange)
            .await
            .map_err(|_| {
                diag::prices_unreachable(
                    shown,
                    &format!("no answer within {} s", REQUEST_TIMEOUT.as_secs()),
                )
            })?
            .map_err(|e| diag::prices_unreachable(shown, &e))?;
        if (200..300).contains(&status) {
            return Ok(bytes.to_vec());
        }
        if matches!(status, 429 | 503) && attempt < RETRIES {
            attempt += 1;
            let wait = retry_after.map_or(Duration::from_secs(1 << attempt), Duration::from_secs);
            tokio::time::sleep(wait.min(MAX_RETRY_WAIT)).await;
            continue;
        }
        let text: String = String::from_utf8_lossy(&bytes)
            .trim()
            .chars()
            .take(300)
            .collect();
        return Err(diag::prices_http_error(shown, status, &text));
    }
}

/// Every page of one query, sorted into `fetched`.
async fn query(
    http: &dyn HttpClient,
    endpoint: &Url,
    filter: &str,
    fetched: &mut Fetched,
) -> Result<(), Diagnostic> {
    let mut next = Some(first_page(endpoint, filter));
    let mut pages = 0;
    while let Some(url) = next.take() {
        pages += 1;
        if pages > MAX_PAGES {
            return Err(diag::prices_bad_answer(
                url.as_str(),
                &format!("more than {MAX_PAGES} pages for one query"),
            ));
        }
        let bytes = get(http, &url).await?;
        let page: Page = serde_json::from_slice(&bytes)
            .map_err(|e| diag::prices_bad_answer(url.as_str(), &e.to_string()))?;
        if let Some(currency) = page.billing_currency.as_deref()
            && currency != "USD"
        {
            return Err(diag::prices_bad_answer(
                url.as_str(),
                &format!("its prices are in {currency}, not USD"),
            ));
        }
        fetched.pages += 1;
        fetched.items += page.items.len();
        for item in &page.items {
            match retail::classify(item) {
                // Only sizes amlplan knows: a cache of every size Azure sells would be read
                // (tens of thousands of rows) on every forecast for prices no manifest that
                // passes the checks without W0102 can use.
                Kind::Kept { key, .. }
                    if key.meter == "vm"
                        && !crate::azure::vm_sizes::is_known(&item.arm_sku_name) =>
                {
                    fetched.unknown_sizes += 1;
                }
                Kind::Kept {
                    region,
                    key,
                    price,
                    term_price,
                } => fetched.prices.push(CachedPrice {
                    region,
                    // A VM size as ARM spells it (`Standard_NC6s_v3`), for whoever reads the file.
                    sku: if key.meter == "vm" {
                        item.arm_sku_name.clone()
                    } else {
                        key.sku
                    },
                    meter: key.meter,
                    rate: key.rate,
                    price,
                    term_price,
                }),
                Kind::Windows => fetched.windows += 1,
                Kind::LowPriority => fetched.low_priority += 1,
                Kind::Other => {}
            }
        }
        if let Some(link) = page.next_page_link.filter(|l| !l.trim().is_empty()) {
            let link_url = Url::parse(&link).map_err(|e| {
                diag::prices_bad_answer(url.as_str(), &format!("NextPageLink `{link}`: {e}"))
            })?;
            if !same_origin(endpoint, &link_url) {
                return Err(diag::prices_bad_answer(
                    url.as_str(),
                    &format!(
                        "NextPageLink `{link}` leaves {}",
                        endpoint.origin().ascii_serialization()
                    ),
                ));
            }
            next = Some(link_url);
        }
    }
    Ok(())
}

/// Fetches every query for `regions` (and the global meters) from `endpoint`.
pub async fn fetch(
    http: &dyn HttpClient,
    endpoint: &Url,
    regions: &[String],
) -> Result<Fetched, Diagnostic> {
    let mut fetched = Fetched::default();
    let queries = regions
        .iter()
        .flat_map(|r| retail::queries(r))
        .chain(retail::global_queries());
    for (service, price_type, region) in queries {
        let filter = retail::filter(service, price_type, &region);
        query(http, endpoint, &filter, &mut fetched).await?;
    }
    Ok(fetched)
}

/// The cache an update writes: what was fetched over what `previous` held for other
/// regions.
pub fn cache_of(
    fetched: Fetched,
    endpoint: &Url,
    regions: &[String],
    now: &str,
    previous: Option<PriceCache>,
) -> PriceCache {
    let mut fresh = PriceCache {
        format: FORMAT,
        source: endpoint.as_str().to_string(),
        fetched: now.to_string(),
        currency: "USD".into(),
        regions: regions.to_vec(),
        prices: fetched.prices,
    };
    match previous {
        Some(old) => old.merged(fresh),
        None => {
            fresh.sort();
            fresh
        }
    }
}

/// The time now as the cache records it (RFC 3339, whole seconds, UTC).
pub fn now() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The HTTP client the Azure provider sends through.
pub fn http_client() -> std::sync::Arc<dyn HttpClient> {
    azure_core::http::new_http_client(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_https_or_loopback_http() {
        assert!(endpoint(DEFAULT_ENDPOINT).is_ok());
        assert!(endpoint("http://127.0.0.1:8080/api/retail/prices").is_ok());
        let refused = endpoint("http://prices.example.com/").expect_err("plain http");
        assert_eq!(refused.code, crate::diagnostic::Code::E0954);
        assert!(endpoint("not a url").is_err());
    }

    #[test]
    fn regions_are_normalised_and_checked() {
        assert_eq!(regions(&[]).expect("default").len(), DEFAULT_REGIONS.len());
        assert_eq!(
            regions(&["WestEurope".into(), "eastus".into(), "westeurope".into()]).expect("names"),
            vec!["eastus", "westeurope"]
        );
        assert!(regions(&["west europe".into()]).is_err());
        assert!(regions(&["east'us".into()]).is_err());
    }

    #[test]
    fn next_pages_stay_on_the_endpoint() {
        let base = Url::parse("https://prices.azure.com/api/retail/prices").expect("url");
        let next =
            Url::parse("https://prices.azure.com/api/retail/prices?$skip=1000").expect("url");
        let elsewhere = Url::parse("https://evil.example/api/retail/prices").expect("url");
        assert!(same_origin(&base, &next));
        assert!(!same_origin(&base, &elsewhere));
        let first = first_page(&base, "serviceName eq 'Virtual Machines'");
        assert!(first.as_str().contains("api-version=2023-01-01-preview"));
        assert!(
            first
                .query_pairs()
                .any(|(k, v)| k == "$filter" && v == "serviceName eq 'Virtual Machines'")
        );
    }
}
