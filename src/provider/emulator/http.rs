//! The emulator over HTTP on loopback: the same [`MockCloud`] the mock provider uses, served
//! with hyper so the HTTP provider (and anything else speaking ARM's REST API) can be pointed
//! at it (`amlplan emulator --listen 127.0.0.1:PORT`).
//!
//! What only HTTP has lives here: any bearer token (or none) is accepted; ARM's
//! per-subscription token buckets ([`Throttle`], when on) answer 429 with `Retry-After` and
//! report `x-ms-ratelimit-remaining-subscription-*`; lists are paged with `nextLink`
//! ([`ServeOptions::page_size`]); operation URLs point back at this server. Latency, faults
//! and ARM's semantics are the emulator's own.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::MockCloud;
use super::throttle::{Admission, Throttle, ThrottleSpec};
use crate::provider::client::request_for_url;
use crate::provider::token_bucket::RequestKind;
use crate::provider::{ArmRequest, ArmResponse, Method, Transport};

/// The largest request body accepted (ARM's own limit is 4 MB; code uploads are not ARM).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The query parameter of a list page's `nextLink`.
const SKIP_TOKEN: &str = "$skiptoken";

#[derive(Debug, Clone, PartialEq)]
pub struct ServeOptions {
    /// ARM's token buckets; `None` admits everything.
    pub throttle: Option<ThrottleSpec>,
    /// Items per list page (ARM pages computes and role assignments at about 100-1000).
    pub page_size: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            throttle: Some(ThrottleSpec::default()),
            page_size: 100,
        }
    }
}

/// Counts of what the server answered, for tests and benchmarks.
#[derive(Debug, Default)]
pub struct ServerStats {
    reads: AtomicU64,
    writes: AtomicU64,
    throttled_reads: AtomicU64,
    throttled_writes: AtomicU64,
}

impl ServerStats {
    /// Requests admitted of the kind (throttled ones not counted).
    pub fn admitted(&self, kind: RequestKind) -> u64 {
        match kind {
            RequestKind::Read => self.reads.load(Ordering::Relaxed),
            RequestKind::Write => self.writes.load(Ordering::Relaxed),
        }
    }

    /// Requests answered 429 by the token buckets (not injected faults).
    pub fn throttled(&self) -> u64 {
        self.throttled_of(RequestKind::Read) + self.throttled_of(RequestKind::Write)
    }

    pub fn throttled_of(&self, kind: RequestKind) -> u64 {
        match kind {
            RequestKind::Read => self.throttled_reads.load(Ordering::Relaxed),
            RequestKind::Write => self.throttled_writes.load(Ordering::Relaxed),
        }
    }
}

struct Shared {
    cloud: MockCloud,
    throttle: Option<Throttle>,
    page_size: usize,
    base_url: String,
    stats: Arc<ServerStats>,
}

/// A running emulator server; dropping it stops accepting connections.
pub struct EmulatorServer {
    addr: SocketAddr,
    stats: Arc<ServerStats>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl EmulatorServer {
    /// Serves `cloud` on `listener` from tasks on the current tokio runtime.
    pub fn start(
        listener: TcpListener,
        cloud: MockCloud,
        options: ServeOptions,
    ) -> std::io::Result<EmulatorServer> {
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        cloud.lock().options_mut().base_url = base_url.clone();
        let stats = Arc::new(ServerStats::default());
        let shared = Arc::new(Shared {
            cloud,
            throttle: options.throttle.map(Throttle::new),
            page_size: options.page_size.max(1),
            base_url,
            stats: stats.clone(),
        });
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => accepted,
                };
                // A failed accept (out of descriptors) drops that connection only.
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(handle(&shared, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(EmulatorServer {
            addr,
            stats,
            stop: Some(stop),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stats(&self) -> &ServerStats {
        &self.stats
    }
}

impl Drop for EmulatorServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Finishes the operations a cloud loaded from its file still has in flight: a server
/// starting from a file comes after some time has passed (as `MockProvider::open` assumes
/// for each run), so what a killed client left running has finished, as in ARM.
pub fn settle_in_flight(cloud: &MockCloud) {
    let mut emulator = cloud.lock();
    let now = emulator.clock();
    emulator.settle_all(now);
}

type HttpResponse = hyper::Response<Full<Bytes>>;

async fn handle(shared: &Shared, req: hyper::Request<Incoming>) -> HttpResponse {
    let method = match *req.method() {
        hyper::Method::GET => Method::Get,
        hyper::Method::PUT => Method::Put,
        hyper::Method::PATCH => Method::Patch,
        hyper::Method::DELETE => Method::Delete,
        hyper::Method::POST => Method::Post,
        _ => {
            return error(
                405,
                "MethodNotAllowed",
                "The emulator answers GET, PUT, PATCH, DELETE and POST.",
            );
        }
    };
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
    let bytes = match Limited::new(req.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return error(
                413,
                "RequestEntityTooLarge",
                "The request body is too large or was cut off.",
            );
        }
    };
    // The mock's storage: SAS uploads of code files (Put Blob), outside ARM's buckets.
    if target.starts_with(&format!("{}/", super::families::code::LOOPBACK_BLOB_PATH)) {
        if method != Method::Put {
            return error(
                405,
                "UnsupportedHttpVerb",
                "The emulator's storage takes Put Blob only.",
            );
        }
        let blob = crate::provider::BlobRequest {
            url: format!("{}{target}", shared.base_url),
            body: bytes.to_vec(),
        };
        return match shared.cloud.put_blob(blob).await {
            Ok(r) => to_http(r),
            Err(e) => error(
                500,
                "InternalError",
                &format!("The emulator could not store the blob: {e}"),
            ),
        };
    }
    let body = if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => Some(v),
            Err(e) => {
                return error(
                    400,
                    "InvalidRequestContent",
                    &format!("The request content is not valid JSON: {e}."),
                );
            }
        }
    };
    let mut request = request_for_url(&target, "");
    request.method = method;
    request.body = body;
    let skip = take_skip_token(&mut request);

    let kind = RequestKind::of(method);
    let mut headers = Vec::new();
    if let Some(throttle) = &shared.throttle {
        match throttle.admit(&request.path, kind, Instant::now()) {
            Admission::Admitted(left) => {
                headers.push((kind.remaining_header().to_string(), left.to_string()));
            }
            Admission::Throttled(wait) => {
                match kind {
                    RequestKind::Read => &shared.stats.throttled_reads,
                    RequestKind::Write => &shared.stats.throttled_writes,
                }
                .fetch_add(1, Ordering::Relaxed);
                return throttled(kind, wait);
            }
        }
    }
    match kind {
        RequestKind::Read => shared.stats.reads.fetch_add(1, Ordering::Relaxed),
        RequestKind::Write => shared.stats.writes.fetch_add(1, Ordering::Relaxed),
    };
    let mut response = match shared.cloud.send(request.clone()).await {
        Ok(r) => r,
        Err(e) => {
            return error(
                500,
                "InternalServerError",
                &format!("The emulator could not handle the request: {e}"),
            );
        }
    };
    if method == Method::Get && response.status == 200 {
        page(shared, &request, skip, &mut response);
    }
    response.headers.extend(headers);
    to_http(response)
}

/// Removes `$skiptoken` from the request (the emulator lists whole collections): the offset
/// of the page asked for.
fn take_skip_token(request: &mut ArmRequest) -> usize {
    let mut skip = 0;
    request.query.retain(|(k, v)| {
        if k.eq_ignore_ascii_case(SKIP_TOKEN) {
            skip = v.parse().unwrap_or(0);
            false
        } else {
            true
        }
    });
    skip
}

/// Cuts a list answer to one page from `skip`, with a `nextLink` to the rest.
fn page(shared: &Shared, request: &ArmRequest, skip: usize, response: &mut ArmResponse) {
    let Some(body) = response.body.as_mut() else {
        return;
    };
    if body.get("id").is_some() {
        return;
    }
    let Some(items) = body.get_mut("value").and_then(Value::as_array_mut) else {
        return;
    };
    let total = items.len();
    let end = skip.saturating_add(shared.page_size).min(total);
    let page: Vec<Value> = items.drain(skip.min(total)..end).collect();
    *items = page;
    if end < total
        && let Ok(mut link) = azure_core::http::Url::parse(&shared.base_url)
    {
        link.set_path(&request.path);
        {
            let mut q = link.query_pairs_mut();
            q.append_pair("api-version", &request.api_version);
            for (k, v) in &request.query {
                q.append_pair(k, v);
            }
            q.append_pair(SKIP_TOKEN, &end.to_string());
        }
        body["nextLink"] = Value::String(link.to_string());
    }
}

fn throttled(kind: RequestKind, wait: Duration) -> HttpResponse {
    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut r = error(
        429,
        "SubscriptionRequestsThrottled",
        &format!(
            "Number of '{}' requests for the subscription exceeded. Please try again after '{secs}' seconds after additional tokens are available.",
            match kind {
                RequestKind::Read => "read",
                RequestKind::Write => "write",
            }
        ),
    );
    let h = r.headers_mut();
    h.insert("retry-after", header_value(&secs.to_string()));
    h.insert(
        "x-ms-retry-after-ms",
        header_value(&(wait.as_millis().max(1)).to_string()),
    );
    h.insert(kind.remaining_header(), header_value("0"));
    r
}

fn error(status: u16, code: &str, message: &str) -> HttpResponse {
    to_http(ArmResponse {
        status,
        headers: Vec::new(),
        body: Some(json!({"error": {"code": code, "message": message}})),
    })
}

fn to_http(response: ArmResponse) -> HttpResponse {
    let body = match &response.body {
        Some(v) => Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
        None => Bytes::new(),
    };
    let mut r = hyper::Response::new(Full::new(body));
    *r.status_mut() = hyper::StatusCode::from_u16(response.status).unwrap_or(hyper::StatusCode::OK);
    let h = r.headers_mut();
    if response.body.is_some() {
        h.insert("content-type", header_value("application/json"));
    }
    for (k, v) in &response.headers {
        if let Ok(name) = hyper::header::HeaderName::from_bytes(k.as_bytes()) {
            h.append(name, header_value(v));
        }
    }
    r
}

fn header_value(v: &str) -> hyper::header::HeaderValue {
    hyper::header::HeaderValue::from_str(v)
        .unwrap_or_else(|_| hyper::header::HeaderValue::from_static(""))
}
