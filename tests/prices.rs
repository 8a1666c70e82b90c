//! `amlplan prices update` against a recorded Retail Prices API answer served on loopback
//! (several pages; Spot, Low Priority, Windows, Dev/Test and Reservation rows mixed in), and
//! the cache it writes as later forecasts use it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use crate::support::{AZURE, fixture_dir, manifest, stderr, stdout};

/// How the recorded server answers.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Recorded,
    /// Every answer a 500.
    Failing,
    /// Every answer a page that is not JSON.
    Garbage,
    /// The first page's NextPageLink leads to another host.
    Elsewhere,
    /// The first request is throttled (429, `Retry-After: 0`), then as recorded.
    ThrottledOnce,
}

/// The fixture page that answers a first-page request, from its `$filter`.
fn first_page(filter: &str) -> Option<&'static str> {
    let has = |s: &str| filter.contains(s);
    if has("'eastus'") && has("'Virtual Machines'") && has("'Consumption'") {
        Some("vm-eastus-consumption-1")
    } else if has("'eastus'") && has("'Virtual Machines'") && has("'Reservation'") {
        Some("vm-eastus-reservation-1")
    } else if has("'eastus'") && has("'Azure Firewall'") {
        Some("firewall-eastus-1")
    } else if has("'eastus'") && has("'Container Registry'") {
        Some("registry-eastus-1")
    } else if has("'Global'") && has("'Virtual Network'") {
        Some("private-link-global-1")
    } else {
        None
    }
}

fn decode(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(hex), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The answer to one request's path and query: status and body.
fn answer(base: &str, target: &str, mode: Mode, served: usize) -> (u16, String) {
    if mode == Mode::Failing {
        return (500, "{\"Error\":\"internal\"}".into());
    }
    if mode == Mode::Garbage {
        return (200, "<html>proxy login</html>".into());
    }
    if mode == Mode::ThrottledOnce && served == 0 {
        return (429, String::new());
    }
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let params: Vec<(String, String)> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let page = match (param("page"), param("$filter")) {
        (Some(page), _) => Some(page),
        (None, Some(filter)) => first_page(&filter).map(str::to_string),
        (None, None) => return (400, "{\"Error\":\"no filter\"}".into()),
    };
    let Some(page) = page else {
        return (
            200,
            "{\"BillingCurrency\":\"USD\",\"Items\":[],\"NextPageLink\":null,\"Count\":0}".into(),
        );
    };
    let text = std::fs::read_to_string(fixture_dir("prices").join(format!("{page}.json")))
        .unwrap_or_else(|e| panic!("fixture {page}: {e}"));
    let base = if mode == Mode::Elsewhere {
        "http://127.0.0.2:9/api/retail/prices"
    } else {
        base
    };
    (200, text.replace("{{BASE}}", base))
}

/// A recorded Retail Prices API on loopback: its address, and how many requests it served.
fn serve(mode: Mode) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!(
        "http://{}/api/retail/prices",
        listener.local_addr().expect("address")
    );
    let served = Arc::new(AtomicUsize::new(0));
    let (thread_base, count) = (base.clone(), served.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let target = request_line.split(' ').nth(1).unwrap_or("/").to_string();
            let n = count.fetch_add(1, Ordering::SeqCst);
            let (status, body) = answer(&thread_base, &target, mode, n);
            let reason = match status {
                200 => "OK",
                429 => "Too Many Requests",
                _ => "Error",
            };
            let response = format!(
                "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 0\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (base, served)
}

/// Runs amlplan with the price cache at `cache`.
fn amlplan(dir: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amlplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("AMLPLAN_PRICE_CACHE", cache)
        .env_remove("AMLPLAN_PRICES_ENDPOINT")
        .output()
        .expect("the amlplan binary runs")
}

fn update(dir: &Path, cache: &Path, endpoint: &str) -> Output {
    amlplan(
        dir,
        cache,
        &[
            "prices",
            "update",
            "--region",
            "eastus",
            "--endpoint",
            endpoint,
        ],
    )
}

fn cached_price(cache: &Value, sku: &str, rate: &str) -> Option<f64> {
    cache["prices"].as_array().and_then(|rows| {
        rows.iter()
            .find(|r| {
                r["sku"]
                    .as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(sku))
                    && r["rate"] == rate
            })
            .and_then(|r| r["price"].as_f64())
    })
}

fn read_cache(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("cache written")).expect("JSON")
}

fn cache_path(dir: &Path) -> PathBuf {
    dir.join("cache").join("prices.json")
}

#[test]
fn an_update_follows_every_page_and_keeps_linux_spot_and_reservation_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = cache_path(dir.path());
    let (endpoint, served) = serve(Mode::Recorded);
    let out = update(dir.path(), &cache, &endpoint);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Three VM pages, one reservation page, firewall, registry and Private Link pages.
    assert_eq!(served.load(Ordering::SeqCst), 7);
    assert!(stdout(&out).contains("in 7 pages"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "skipped 3 Windows and 2 low-priority rows and 1 of VM sizes amlplan does not know"
        ),
        "{}",
        stdout(&out)
    );
    let c = read_cache(&cache);
    assert_eq!(c["source"], endpoint.as_str());
    assert!(
        c["fetched"].as_str().is_some_and(|f| f.ends_with('Z')),
        "{c}"
    );
    assert_eq!(c["regions"], serde_json::json!(["eastus"]));
    // Linux pay as you go, not the Windows row of the same size and meter name.
    assert_eq!(
        cached_price(&c, "Standard_NC6s_v3", "dedicated"),
        Some(3.06)
    );
    assert_eq!(cached_price(&c, "Standard_NC6s_v3", "spot"), Some(0.918));
    assert_eq!(
        cached_price(&c, "Standard_NC4as_T4_v3", "spot"),
        Some(0.1578)
    );
    // The last page is read too.
    assert_eq!(cached_price(&c, "Standard_D4s_v3", "spot"), Some(0.0384));
    assert_eq!(
        cached_price(&c, "Standard_D4s_v3", "dedicated"),
        Some(0.192)
    );
    // No low-priority rate, no Dev/Test one.
    assert!(c["prices"].as_array().is_some_and(|r| {
        r.iter()
            .all(|r| r["rate"] != "low_priority" && r["price"] != 0.11)
    }));
    // Reservations: the term's total over its hours (8,760 and 26,280).
    assert_eq!(
        cached_price(&c, "Standard_NC6s_v3", "reserved_1y"),
        Some(2.0)
    );
    assert_eq!(
        cached_price(&c, "Standard_NC6s_v3", "reserved_3y"),
        Some(1.5)
    );
    let one_year = c["prices"]
        .as_array()
        .and_then(|r| {
            r.iter()
                .find(|r| r["sku"] == "Standard_DS3_v2" && r["rate"] == "reserved_1y")
        })
        .expect("DS3_v2 reservation");
    assert_eq!(one_year["term_price"], 1314.0);
    assert_eq!(one_year["price"], 0.15);
    // Platform meters: the registry per day, Private Link global (its first tier only).
    assert_eq!(cached_price(&c, "premium", "day"), Some(1.667));
    let pe_gb = c["prices"]
        .as_array()
        .and_then(|r| {
            r.iter()
                .find(|r| r["meter"] == "private_endpoint" && r["rate"] == "gb")
        })
        .expect("private endpoint per GB");
    assert_eq!(
        (pe_gb["region"].clone(), pe_gb["price"].clone()),
        ("*".into(), 0.01.into())
    );
}

const SPOT_T4: &str = r#"
workspace "mlw" {
  public_network_access = true
}
compute_cluster "gpu" {
  workspace = workspace.mlw
  vm_size   = "Standard_NC4as_T4_v3"
  priority  = "spot"
  min_nodes = 0
  max_nodes = 2
  usage { node_hours_per_month = 100 }
}
"#;

fn cluster_line(dir: &Path, cache: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["cost", "--format", "json"];
    args.extend_from_slice(extra);
    let out = amlplan(dir, cache, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let f: Value = serde_json::from_str(&stdout(&out)).expect("cost JSON");
    f["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["address"] == "compute_cluster.gpu"))
        .and_then(|r| r["lines"].as_array())
        .and_then(|l| {
            l.iter().find(|l| {
                l["meter"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Standard_NC4as_T4_v3"))
            })
        })
        .cloned()
        .expect("the cluster's VM line")
}

#[test]
fn later_forecasts_use_the_cache_over_the_catalogue_and_price_files_over_the_cache() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}\n{SPOT_T4}"))]);
    let cache = cache_path(dir.path());
    // Without a cache the catalogue has no T4 Spot price: the line is unpriced.
    let before = cluster_line(dir.path(), &cache, &[]);
    assert_eq!(before["unit_price"], Value::Null, "{before}");
    let (endpoint, _) = serve(Mode::Recorded);
    let out = update(dir.path(), &cache, &endpoint);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cached = cluster_line(dir.path(), &cache, &[]);
    assert_eq!(cached["unit_price"], 0.1578, "{cached}");
    assert_eq!(cached["monthly"]["expected"], 15.78, "{cached}");
    assert_eq!(cached["confidence"], "high", "{cached}");
    let source = cached["price_source"].as_str().unwrap_or_default();
    assert!(
        source.starts_with("Azure Retail Prices API (http://127.0.0.1:"),
        "{source}"
    );
    assert!(source.contains(", fetched 20"), "{source}");
    // A price file still wins over the cache.
    std::fs::write(
        dir.path().join("ea.toml"),
        "[vm.\"Standard_NC4as_T4_v3\"]\nspot = 0.1\n",
    )
    .expect("price file");
    let negotiated = cluster_line(dir.path(), &cache, &["--prices", "ea.toml"]);
    assert_eq!(negotiated["unit_price"], 0.1, "{negotiated}");
    assert_eq!(negotiated["confidence"], "override", "{negotiated}");
}

fn failed_update_keeps_the_cache(mode: Mode, code: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = cache_path(dir.path());
    let (good, _) = serve(Mode::Recorded);
    assert_eq!(update(dir.path(), &cache, &good).status.code(), Some(0));
    let before = std::fs::read(&cache).expect("cache");
    let (bad, _) = serve(mode);
    let out = update(dir.path(), &cache, &bad);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(code), "{}", stderr(&out));
    assert_eq!(std::fs::read(&cache).expect("cache"), before);
}

#[test]
fn an_http_error_is_e0951_and_leaves_the_cache_alone() {
    failed_update_keeps_the_cache(Mode::Failing, "E0951");
}

#[test]
fn an_answer_that_is_not_json_is_e0952_and_leaves_the_cache_alone() {
    failed_update_keeps_the_cache(Mode::Garbage, "E0952");
}

#[test]
fn a_next_page_on_another_host_is_e0952() {
    failed_update_keeps_the_cache(Mode::Elsewhere, "E0952");
}

#[test]
fn no_server_is_e0950_and_bad_options_are_e0954() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = cache_path(dir.path());
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let out = update(dir.path(), &cache, &format!("http://127.0.0.1:{port}/api"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("E0950"), "{}", stderr(&out));
    assert!(!cache.exists());
    let out = update(dir.path(), &cache, "http://prices.example.com/api");
    assert!(stderr(&out).contains("E0954"), "{}", stderr(&out));
    let out = amlplan(
        dir.path(),
        &cache,
        &["prices", "update", "--region", "west europe"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0954"), "{}", stderr(&out));
}

#[test]
fn a_throttled_page_is_tried_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = cache_path(dir.path());
    let (endpoint, served) = serve(Mode::ThrottledOnce);
    let out = update(dir.path(), &cache, &endpoint);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(served.load(Ordering::SeqCst), 8);
    assert_eq!(
        cached_price(&read_cache(&cache), "Standard_NC6s_v3", "spot"),
        Some(0.918)
    );
}

#[test]
fn a_damaged_cache_is_e0919_until_an_update_replaces_it() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}\n{SPOT_T4}"))]);
    let cache = cache_path(dir.path());
    std::fs::create_dir_all(cache.parent().expect("parent")).expect("dir");
    std::fs::write(&cache, "{ not a cache").expect("write");
    let out = amlplan(dir.path(), &cache, &["cost"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("E0919"), "{}", stderr(&out));
    // validate does not depend on the user's cache.
    let out = amlplan(dir.path(), &cache, &["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (endpoint, _) = serve(Mode::Recorded);
    assert_eq!(update(dir.path(), &cache, &endpoint).status.code(), Some(0));
    assert_eq!(cluster_line(dir.path(), &cache, &[])["unit_price"], 0.1578);
}

#[test]
fn an_unwritable_cache_is_e0953() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The cache's directory would be a file: it cannot be created.
    std::fs::write(dir.path().join("blocked"), "a file").expect("write");
    let cache = dir.path().join("blocked").join("prices.json");
    let (endpoint, _) = serve(Mode::Recorded);
    let out = update(dir.path(), &cache, &endpoint);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("E0953"), "{}", stderr(&out));
}
