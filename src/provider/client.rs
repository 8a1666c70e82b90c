//! The ARM client: what every ARM client does, over any [`Transport`].
//!
//! - **Retries**: 408, 429, 500, 502, 503 and 504 are retried up to
//!   [`RetryPolicy::max_retries`] times (the one [`RetryPolicy`]), waiting what `x-ms-retry-after-ms`,
//!   `retry-after-ms` or `Retry-After` (seconds) say, else an exponential backoff with
//!   jitter (bounded: six retries, no wait above a minute). A
//!   transport failure is retried too, except for POST (actions need not be idempotent).
//! - **Long-running operations**: a response with `Azure-AsyncOperation` is polled until
//!   its `status` is terminal, then the resource is read at its original URI; a 202 with
//!   `Location` is polled until it answers 200/201/204; a 200/201 whose
//!   `provisioningState` is not terminal is followed by reading the resource until it is.
//!   Polls wait `Retry-After`, else [`ClientOptions::default_poll_ms`]; the deadline is
//!   `x-ms-async-operation-timeout` when the service gives one.
//! - **Errors**: ARM's `{"error":{"code","message"}}` becomes an [`ArmError`]; an operation
//!   ending `Failed`/`Canceled` becomes one with the operation's error code and message (and
//!   status 400); a transport failure is status 0, code `TransportError`.
//!
//! Every wait is multiplied by [`ClientOptions::time_scale`] before sleeping (0 in tests,
//! a small fraction for the mock provider, 1 for real ARM); deadlines count unscaled time.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::retry::RetryPolicy;

/// The error code of a write refused by [`ArmClient::put_entry`] because the entry still
/// holds a value known only after apply (amlplan's own failure: E0990, never sent).
pub const UNRESOLVED_UNKNOWN: &str = "UnresolvedUnknown";
use super::{ArmError, ArmRequest, ArmResponse, BlobRequest, Method, Transport};

#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Multiplies every wait (retry backoff and poll interval) before sleeping; the retry
    /// policies built from these options carry the same scale.
    pub time_scale: f64,
    /// Retries of throttling, server errors and transport failures.
    pub retry: RetryPolicy,
    /// Poll interval when an operation gives no `Retry-After`.
    pub default_poll_ms: u64,
    /// Give up on a long-running operation after this much (unscaled) waiting, unless the
    /// service gives `x-ms-async-operation-timeout`.
    pub operation_timeout_ms: u64,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            time_scale: 1.0,
            retry: RetryPolicy::transient(1.0),
            default_poll_ms: 5_000,
            operation_timeout_ms: 3 * 60 * 60 * 1000,
        }
    }
}

impl ClientOptions {
    /// Options that never sleep for real (tests).
    pub fn instant() -> ClientOptions {
        ClientOptions::scaled(0.0)
    }

    /// The default options with every wait multiplied by `time_scale`.
    pub fn scaled(time_scale: f64) -> ClientOptions {
        ClientOptions {
            time_scale,
            retry: RetryPolicy::transient(time_scale),
            ..ClientOptions::default()
        }
    }

    /// A policy for retries an ARM semantic needs on top of the transient ones
    /// (`PrincipalNotFound`), at these options' time scale.
    pub fn principal_replication(&self) -> RetryPolicy {
        RetryPolicy::principal_replication(self.time_scale)
    }
}

/// An ARM client over a shared transport. Cheap to clone; safe to use concurrently.
#[derive(Clone)]
pub struct ArmClient {
    transport: Arc<dyn Transport>,
    options: ClientOptions,
}

impl std::fmt::Debug for ArmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArmClient")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl ArmClient {
    pub fn new(transport: Arc<dyn Transport>, options: ClientOptions) -> ArmClient {
        ArmClient { transport, options }
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Reads a resource; `None` when ARM answers 404.
    pub async fn get(&self, id: &str, api_version: &str) -> Result<Option<Value>, ArmError> {
        let resp = self
            .send(request(Method::Get, id, api_version, Vec::new(), None))
            .await?;
        match resp.status {
            404 => Ok(None),
            200..=299 => Ok(Some(resp.body.unwrap_or(Value::Null))),
            _ => Err(error_from_response(&resp)),
        }
    }

    /// Lists a collection (`.../workspaces/w/outboundRules`), following `nextLink`.
    pub async fn list(&self, path: &str, api_version: &str) -> Result<Vec<Value>, ArmError> {
        self.list_with(path, api_version, &[]).await
    }

    /// Lists a collection with query parameters (`$filter=atScope()`), following `nextLink`.
    pub async fn list_with(
        &self,
        path: &str,
        api_version: &str,
        query: &[(String, String)],
    ) -> Result<Vec<Value>, ArmError> {
        let mut items = Vec::new();
        let mut next = Some(request(
            Method::Get,
            path,
            api_version,
            query.to_vec(),
            None,
        ));
        while let Some(req) = next.take() {
            let resp = self.send(req).await?;
            if !(200..=299).contains(&resp.status) {
                return Err(error_from_response(&resp));
            }
            let body = resp.body.unwrap_or(Value::Null);
            if let Some(values) = body.get("value").and_then(Value::as_array) {
                items.extend(values.iter().cloned());
            }
            next = body
                .get("nextLink")
                .and_then(Value::as_str)
                .filter(|l| !l.is_empty())
                .map(|l| request_for_url(l, api_version));
        }
        Ok(items)
    }

    /// Creates or replaces a resource and waits for it: the resource as ARM then returns it.
    pub async fn put(&self, id: &str, api_version: &str, body: Value) -> Result<Value, ArmError> {
        self.write(Method::Put, id, api_version, body).await
    }

    /// Writes what an entry of the manifest stands for (`body`: its own body, or one built from
    /// it such as a partial entry merged into the resource) and waits for it. Refused without
    /// sending anything while a value of the entry, its ID included, is known only after
    /// apply: the apply resolves every one first, so getting here with one is amlplan's bug.
    pub async fn put_entry(
        &self,
        entry: &crate::arm::Desired,
        body: Value,
    ) -> Result<Value, ArmError> {
        if let Err(unresolved) = entry.sendable_body() {
            return Err(ArmError {
                status: 0,
                code: UNRESOLVED_UNKNOWN.into(),
                message: unresolved.to_string(),
            });
        }
        self.put(&entry.id, &entry.api_version, body).await
    }

    /// Patches a resource and waits for it: the resource as ARM then returns it.
    pub async fn patch(&self, id: &str, api_version: &str, body: Value) -> Result<Value, ArmError> {
        self.write(Method::Patch, id, api_version, body).await
    }

    async fn write(
        &self,
        method: Method,
        id: &str,
        api_version: &str,
        body: Value,
    ) -> Result<Value, ArmError> {
        let resp = self
            .send(request(method, id, api_version, Vec::new(), Some(body)))
            .await?;
        if !(200..=299).contains(&resp.status) {
            return Err(error_from_response(&resp));
        }
        let mut deadline = Deadline::new(&resp, &self.options);
        if let Some(url) = resp.header("azure-asyncoperation") {
            self.await_async_operation(url, api_version, &resp, &mut deadline)
                .await?;
            return self.read_after(id, api_version).await;
        }
        if resp.status == 202
            && let Some(url) = resp.header("location")
        {
            self.await_location(url, api_version, &resp, &mut deadline)
                .await?;
            return self.read_after(id, api_version).await;
        }
        let body = resp.body.clone().unwrap_or(Value::Null);
        if resp.status == 202 || !is_terminal(provisioning_state(&body)) {
            return self
                .await_provisioning(id, api_version, &resp, &mut deadline)
                .await;
        }
        Ok(body)
    }

    /// Deletes a resource and waits until it is gone. A resource already gone is success.
    pub async fn delete(
        &self,
        id: &str,
        api_version: &str,
        query: &[(String, String)],
    ) -> Result<(), ArmError> {
        let resp = self
            .send(request(
                Method::Delete,
                id,
                api_version,
                query.to_vec(),
                None,
            ))
            .await?;
        match resp.status {
            404 | 204 => return Ok(()),
            200..=299 => {}
            _ => return Err(error_from_response(&resp)),
        }
        let mut deadline = Deadline::new(&resp, &self.options);
        if let Some(url) = resp.header("azure-asyncoperation") {
            return self
                .await_async_operation(url, api_version, &resp, &mut deadline)
                .await;
        }
        if resp.status == 202 {
            if let Some(url) = resp.header("location") {
                self.await_location(url, api_version, &resp, &mut deadline)
                    .await?;
                return Ok(());
            }
            // 202 without a status URL: read until the resource is gone.
            let mut wait = retry_after_ms(&resp);
            loop {
                self.pause(wait, &mut deadline).await?;
                let r = self
                    .send(request(Method::Get, id, api_version, Vec::new(), None))
                    .await?;
                match r.status {
                    404 => return Ok(()),
                    200..=299 => wait = retry_after_ms(&r),
                    _ => return Err(error_from_response(&r)),
                }
            }
        }
        Ok(())
    }

    /// Runs an action (`.../computes/c/stop`, `.../listKeys`) and waits for it: its result
    /// body, if any.
    pub async fn post(
        &self,
        path: &str,
        api_version: &str,
        body: Option<Value>,
    ) -> Result<Option<Value>, ArmError> {
        let resp = self
            .send(request(Method::Post, path, api_version, Vec::new(), body))
            .await?;
        if !(200..=299).contains(&resp.status) {
            return Err(error_from_response(&resp));
        }
        let mut deadline = Deadline::new(&resp, &self.options);
        if let Some(url) = resp.header("azure-asyncoperation") {
            self.await_async_operation(url, api_version, &resp, &mut deadline)
                .await?;
            if let Some(loc) = resp.header("location") {
                let r = self.send(request_for_url(loc, api_version)).await?;
                if (200..=299).contains(&r.status) {
                    return Ok(r.body);
                }
            }
            return Ok(None);
        }
        if resp.status == 202
            && let Some(url) = resp.header("location")
        {
            return self
                .await_location(url, api_version, &resp, &mut deadline)
                .await;
        }
        Ok(resp.body)
    }

    /// Writes one blob through a SAS URL, retrying as [`ArmClient::send`] does (a blob PUT
    /// is idempotent).
    pub async fn put_blob(&self, url: &str, body: &[u8]) -> Result<(), ArmError> {
        let mut attempt: u32 = 0;
        loop {
            let request = BlobRequest {
                url: url.to_string(),
                body: body.to_vec(),
            };
            match self.transport.put_blob(request).await {
                Ok(resp) if (200..=299).contains(&resp.status) => return Ok(()),
                Ok(resp) if !is_retryable(resp.status) || !self.options.retry.allows(attempt) => {
                    return Err(error_from_response(&resp));
                }
                Ok(resp) => {
                    let wait = retry_after_ms(&resp)
                        .unwrap_or_else(|| self.options.retry.wait_ms(attempt));
                    attempt += 1;
                    self.options.retry.sleep(wait).await;
                }
                Err(e) if !self.options.retry.allows(attempt) => {
                    return Err(ArmError {
                        status: 0,
                        code: "TransportError".into(),
                        message: e.message,
                    });
                }
                Err(_) => {
                    let wait = self.options.retry.wait_ms(attempt);
                    attempt += 1;
                    self.options.retry.sleep(wait).await;
                }
            }
        }
    }

    /// Sends one request, retrying throttling, server errors and transport failures.
    /// Returns the final response whatever its status (after the last retry, the last
    /// retryable response); a transport failure is an error with status 0.
    pub async fn send(&self, req: ArmRequest) -> Result<ArmResponse, ArmError> {
        let mut attempt: u32 = 0;
        loop {
            match self.transport.send(req.clone()).await {
                Ok(resp) => {
                    if !is_retryable(resp.status) || !self.options.retry.allows(attempt) {
                        return Ok(resp);
                    }
                    let wait = retry_after_ms(&resp)
                        .unwrap_or_else(|| self.options.retry.jittered_wait_ms(attempt));
                    attempt += 1;
                    self.options.retry.sleep(wait).await;
                }
                Err(e) => {
                    if req.method == Method::Post || !self.options.retry.allows(attempt) {
                        return Err(ArmError {
                            status: 0,
                            code: "TransportError".into(),
                            message: e.message,
                        });
                    }
                    let wait = self.options.retry.jittered_wait_ms(attempt);
                    attempt += 1;
                    self.options.retry.sleep(wait).await;
                }
            }
        }
    }

    async fn sleep(&self, ms: u64) {
        let scaled = ms as f64 * self.options.time_scale;
        if scaled >= 1.0 {
            tokio::time::sleep(Duration::from_secs_f64(scaled / 1000.0)).await;
        } else {
            tokio::task::yield_now().await;
        }
    }

    /// Waits before a poll, counting the wait against the operation's deadline.
    async fn pause(
        &self,
        retry_after: Option<u64>,
        deadline: &mut Deadline,
    ) -> Result<(), ArmError> {
        let ms = retry_after.unwrap_or(self.options.default_poll_ms);
        deadline.spend(ms)?;
        self.sleep(ms).await;
        Ok(())
    }

    async fn await_async_operation(
        &self,
        url: &str,
        api_version: &str,
        initial: &ArmResponse,
        deadline: &mut Deadline,
    ) -> Result<(), ArmError> {
        let mut wait = retry_after_ms(initial);
        loop {
            self.pause(wait, deadline).await?;
            let r = self.send(request_for_url(url, api_version)).await?;
            if !(200..=299).contains(&r.status) {
                return Err(error_from_response(&r));
            }
            let body = r.body.clone().unwrap_or(Value::Null);
            let status = body.get("status").and_then(Value::as_str).unwrap_or("");
            match status.to_ascii_lowercase().as_str() {
                "succeeded" => return Ok(()),
                "failed" | "canceled" | "cancelled" => return Err(operation_error(&body, status)),
                _ => wait = retry_after_ms(&r),
            }
        }
    }

    /// Polls a `Location` URL until it stops answering 202: the final body, if any.
    async fn await_location(
        &self,
        url: &str,
        api_version: &str,
        initial: &ArmResponse,
        deadline: &mut Deadline,
    ) -> Result<Option<Value>, ArmError> {
        let mut wait = retry_after_ms(initial);
        let mut url = url.to_string();
        loop {
            self.pause(wait, deadline).await?;
            let r = self.send(request_for_url(&url, api_version)).await?;
            match r.status {
                202 => {
                    wait = retry_after_ms(&r);
                    if let Some(next) = r.header("location") {
                        url = next.to_string();
                    }
                }
                200..=299 => return Ok(r.body),
                _ => return Err(error_from_response(&r)),
            }
        }
    }

    /// Reads a resource until its `provisioningState` is terminal.
    async fn await_provisioning(
        &self,
        id: &str,
        api_version: &str,
        initial: &ArmResponse,
        deadline: &mut Deadline,
    ) -> Result<Value, ArmError> {
        let mut wait = retry_after_ms(initial);
        loop {
            self.pause(wait, deadline).await?;
            let r = self
                .send(request(Method::Get, id, api_version, Vec::new(), None))
                .await?;
            if !(200..=299).contains(&r.status) {
                return Err(error_from_response(&r));
            }
            let body = r.body.clone().unwrap_or(Value::Null);
            let state = provisioning_state(&body);
            if state.is_some_and(|s| {
                s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Canceled")
            }) {
                return Err(ArmError {
                    status: 400,
                    code: "ResourceOperationFailure".into(),
                    message: format!(
                        "The resource '{id}' ended in provisioning state '{}'.",
                        state.unwrap_or_default()
                    ),
                });
            }
            if is_terminal(state) {
                return Ok(body);
            }
            wait = retry_after_ms(&r);
        }
    }

    /// The final state of a PUT/PATCH: the resource at its original URI.
    async fn read_after(&self, id: &str, api_version: &str) -> Result<Value, ArmError> {
        match self.get(id, api_version).await? {
            Some(v) => Ok(v),
            None => Err(ArmError {
                status: 404,
                code: "ResourceNotFound".into(),
                message: format!(
                    "The operation succeeded but '{id}' could not be read afterwards."
                ),
            }),
        }
    }
}

/// How much longer to wait for a long-running operation (unscaled milliseconds).
struct Deadline {
    remaining_ms: u64,
    total_ms: u64,
}

impl Deadline {
    fn new(resp: &ArmResponse, options: &ClientOptions) -> Deadline {
        let total = resp
            .header("x-ms-async-operation-timeout")
            .and_then(parse_iso_duration_ms)
            .unwrap_or(options.operation_timeout_ms);
        Deadline {
            remaining_ms: total,
            total_ms: total,
        }
    }

    fn spend(&mut self, ms: u64) -> Result<(), ArmError> {
        if self.remaining_ms == 0 {
            return Err(ArmError {
                status: 0,
                code: "OperationTimedOut".into(),
                message: format!(
                    "The long-running operation did not finish within {} s.",
                    self.total_ms / 1000
                ),
            });
        }
        self.remaining_ms = self.remaining_ms.saturating_sub(ms);
        Ok(())
    }
}

fn request(
    method: Method,
    path: &str,
    api_version: &str,
    query: Vec<(String, String)>,
    body: Option<Value>,
) -> ArmRequest {
    ArmRequest {
        method,
        path: path.to_string(),
        api_version: api_version.to_string(),
        query,
        body,
    }
}

/// A GET for a URL ARM returned (absolute, or a path), keeping its query; its own
/// `api-version` wins over `default_api_version`.
pub fn request_for_url(url: &str, default_api_version: &str) -> ArmRequest {
    let without_scheme = match url.find("://") {
        Some(i)
            if url[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
        {
            let rest = &url[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        _ => url,
    };
    let (path, query) = without_scheme
        .split_once('?')
        .unwrap_or((without_scheme, ""));
    let mut api_version = default_api_version.to_string();
    let mut pairs = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        if k.eq_ignore_ascii_case("api-version") {
            api_version = v;
        } else {
            pairs.push((k, v));
        }
    }
    request(
        Method::Get,
        &percent_decode(path),
        &api_version,
        pairs,
        None,
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
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

fn is_retryable(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The wait a response asks for, in milliseconds: `x-ms-retry-after-ms`, `retry-after-ms`,
/// or `Retry-After` in seconds (an HTTP date is ignored).
pub fn retry_after_ms(resp: &ArmResponse) -> Option<u64> {
    for h in ["x-ms-retry-after-ms", "retry-after-ms"] {
        if let Some(ms) = resp.header(h).and_then(|v| v.trim().parse::<u64>().ok()) {
            return Some(ms);
        }
    }
    resp.header("retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| (s * 1000.0) as u64)
}

fn provisioning_state(body: &Value) -> Option<&str> {
    body.pointer("/properties/provisioningState")
        .or_else(|| body.get("provisioningState"))
        .and_then(Value::as_str)
}

/// No `provisioningState` means done; otherwise only `Succeeded`, `Failed`, `Canceled` are
/// terminal.
fn is_terminal(state: Option<&str>) -> bool {
    state.is_none_or(|s| {
        ["Succeeded", "Failed", "Canceled", "Cancelled"]
            .iter()
            .any(|t| t.eq_ignore_ascii_case(s))
    })
}

fn operation_error(body: &Value, status: &str) -> ArmError {
    let e = body.get("error");
    let field = |f: &str| {
        e.and_then(|e| e.get(f))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    ArmError {
        status: 400,
        code: field("code").unwrap_or_else(|| format!("Operation{status}")),
        message: field("message")
            .unwrap_or_else(|| format!("The long-running operation ended '{status}'.")),
    }
}

/// The [`ArmError`] an error response carries: ARM's `error.code`/`error.message` (or a
/// top-level `code`/`message`), else the status's reason.
pub fn error_from_response(resp: &ArmResponse) -> ArmError {
    let body = resp.body.as_ref();
    let pick = |f: &str| {
        body.and_then(|b| b.get("error").and_then(|e| e.get(f)).or_else(|| b.get(f)))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let reason = match resp.status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        408 => "RequestTimeout",
        409 => "Conflict",
        412 => "PreconditionFailed",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "UnexpectedStatus",
    };
    ArmError {
        status: resp.status,
        code: pick("code").unwrap_or_else(|| reason.to_string()),
        message: pick("message").unwrap_or_else(|| match body {
            Some(b) if !b.is_null() => b.to_string(),
            _ => format!("ARM answered HTTP {}.", resp.status),
        }),
    }
}

/// Milliseconds of an ISO 8601 duration such as `PT1H30M`, `P1DT2H`, `PT0.5S`.
fn parse_iso_duration_ms(s: &str) -> Option<u64> {
    let rest = s.trim().strip_prefix(['P', 'p'])?;
    let (date, time) = match rest.find(['T', 't']) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let mut total = 0f64;
    let mut parse = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut num = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
            } else {
                let unit = units.iter().find(|(u, _)| u.eq_ignore_ascii_case(&c))?.1;
                total += num.parse::<f64>().ok()? * unit;
                num.clear();
            }
        }
        num.is_empty().then_some(())
    };
    parse(date, &[('W', 604_800_000.0), ('D', 86_400_000.0)])?;
    parse(time, &[('H', 3_600_000.0), ('M', 60_000.0), ('S', 1000.0)])?;
    Some(total as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::{TransportError, TransportFuture};
    use serde_json::json;
    use std::sync::Mutex;

    /// Answers from a script, recording what it was sent.
    struct Script {
        responses: Mutex<Vec<Result<ArmResponse, TransportError>>>,
        sent: Mutex<Vec<ArmRequest>>,
    }

    impl Script {
        fn new(responses: Vec<Result<ArmResponse, TransportError>>) -> Arc<Script> {
            Arc::new(Script {
                responses: Mutex::new(responses.into_iter().rev().collect()),
                sent: Mutex::new(Vec::new()),
            })
        }
        fn sent(&self) -> Vec<ArmRequest> {
            self.sent.lock().unwrap().clone()
        }
    }

    impl Transport for Script {
        fn send(&self, request: ArmRequest) -> TransportFuture<'_> {
            self.sent.lock().unwrap().push(request);
            let next = self
                .responses
                .lock()
                .unwrap()
                .pop()
                .expect("script exhausted");
            Box::pin(async move { next })
        }
    }

    fn resp(
        status: u16,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<ArmResponse, TransportError> {
        Ok(ArmResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body,
        })
    }

    fn client(script: &Arc<Script>) -> ArmClient {
        ArmClient::new(script.clone(), ClientOptions::instant())
    }

    #[tokio::test]
    async fn retries_throttling_then_succeeds() {
        let s = Script::new(vec![
            resp(
                429,
                &[("retry-after", "3")],
                Some(json!({"error":{"code":"TooManyRequests","message":"slow"}})),
            ),
            resp(503, &[], None),
            resp(200, &[], Some(json!({"id":"/x"}))),
        ]);
        assert_eq!(
            client(&s).get("/x", "2025-01-01").await.unwrap(),
            Some(json!({"id":"/x"}))
        );
        assert_eq!(s.sent().len(), 3);
    }

    #[tokio::test]
    async fn gives_up_after_max_retries_with_arm_error() {
        let mut script = Vec::new();
        for _ in 0..7 {
            script.push(resp(
                500,
                &[],
                Some(json!({"error":{"code":"InternalServerError","message":"boom"}})),
            ));
        }
        let s = Script::new(script);
        let e = client(&s).get("/x", "2025-01-01").await.unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str(), e.message.as_str()),
            (500, "InternalServerError", "boom")
        );
        assert_eq!(s.sent().len(), 7);
    }

    #[tokio::test]
    async fn transport_errors_are_status_zero() {
        let s = Script::new(vec![Err(TransportError {
            message: "refused".into(),
        })]);
        let e = client(&s)
            .post("/x/stop", "2025-01-01", None)
            .await
            .unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (0, "TransportError"));
    }

    #[tokio::test]
    async fn put_polls_async_operation_then_reads_original_uri() {
        let op = "https://management.azure.com/subscriptions/s/providers/P/locations/l/mfeOperationsStatus/1?api-version=2099-01-01";
        let s = Script::new(vec![
            resp(
                201,
                &[("azure-asyncoperation", op), ("retry-after", "10")],
                Some(json!({"properties":{"provisioningState":"Creating"}})),
            ),
            resp(200, &[], Some(json!({"status":"InProgress"}))),
            resp(200, &[], Some(json!({"status":"Succeeded"}))),
            resp(
                200,
                &[],
                Some(json!({"properties":{"provisioningState":"Succeeded"}})),
            ),
        ]);
        let v = client(&s).put("/r", "2025-01-01", json!({})).await.unwrap();
        assert_eq!(v["properties"]["provisioningState"], "Succeeded");
        let sent = s.sent();
        assert_eq!(
            sent[1].path,
            "/subscriptions/s/providers/P/locations/l/mfeOperationsStatus/1"
        );
        assert_eq!(sent[1].api_version, "2099-01-01");
        assert_eq!((sent[3].method, sent[3].path.as_str()), (Method::Get, "/r"));
    }

    #[tokio::test]
    async fn failed_operation_carries_its_error() {
        let s = Script::new(vec![
            resp(201, &[("azure-asyncoperation", "/op")], None),
            resp(
                200,
                &[],
                Some(
                    json!({"status":"Failed","error":{"code":"QuotaExceeded","message":"no cores"}}),
                ),
            ),
        ]);
        let e = client(&s)
            .put("/r", "2025-01-01", json!({}))
            .await
            .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("QuotaExceeded", "no cores")
        );
    }

    #[tokio::test]
    async fn delete_follows_location_and_accepts_gone() {
        let s = Script::new(vec![
            resp(202, &[("location", "/res/1")], None),
            resp(202, &[("location", "/res/1")], None),
            resp(204, &[], None),
            resp(
                404,
                &[],
                Some(json!({"error":{"code":"ResourceNotFound","message":"gone"}})),
            ),
        ]);
        let c = client(&s);
        c.delete("/r", "2025-01-01", &[("a".into(), "b".into())])
            .await
            .unwrap();
        c.delete("/r", "2025-01-01", &[]).await.unwrap();
        assert_eq!(s.sent()[0].query, vec![("a".to_string(), "b".to_string())]);
    }

    #[tokio::test]
    async fn operation_deadline_is_enforced() {
        let mut script = vec![resp(
            202,
            &[
                ("location", "/op"),
                ("retry-after", "30"),
                ("x-ms-async-operation-timeout", "PT1M"),
            ],
            None,
        )];
        for _ in 0..5 {
            script.push(resp(202, &[("retry-after", "30")], None));
        }
        let s = Script::new(script);
        let e = client(&s)
            .put("/r", "2025-01-01", json!({}))
            .await
            .unwrap_err();
        assert_eq!(e.code, "OperationTimedOut");
    }

    #[test]
    fn helpers() {
        assert_eq!(parse_iso_duration_ms("PT1H30M"), Some(5_400_000));
        assert_eq!(parse_iso_duration_ms("P1DT0.5S"), Some(86_400_500));
        assert_eq!(parse_iso_duration_ms("1H"), None);
        let r = request_for_url("http://127.0.0.1:8080/a/b%20c?api-version=1&x=y", "0");
        assert_eq!((r.path.as_str(), r.api_version.as_str()), ("/a/b c", "1"));
        assert_eq!(r.query, vec![("x".to_string(), "y".to_string())]);
        let r = ArmResponse {
            status: 429,
            headers: vec![("Retry-After".into(), "2".into())],
            body: None,
        };
        assert_eq!(retry_after_ms(&r), Some(2000));
        let r = ArmResponse {
            status: 429,
            headers: vec![
                ("x-ms-retry-after-ms".into(), "150".into()),
                ("retry-after".into(), "2".into()),
            ],
            body: None,
        };
        assert_eq!(retry_after_ms(&r), Some(150));
        let e = error_from_response(&ArmResponse {
            status: 409,
            headers: vec![],
            body: None,
        });
        assert_eq!(e.code, "Conflict");
    }
}
