//! Shared Key authorization for Azure Storage, as a pipeline policy: `azure_storage_blob` 1.x
//! authenticates with Entra ID tokens only, so a storage account key
//! (`AMLPLAN_STORAGE_ACCESS_KEY`) signs each request here, after the client's retry policy
//! (every try is signed afresh with its own `x-ms-date`). The HMAC is `azure_core`'s; what is
//! signed is the Blob service's string-to-sign (the REST reference's "Authorize with Shared
//! Key", version 2009-09-19 and later).
//!
//! The key is a [`Secret`]: it is never formatted, and only the signature leaves this module.

use std::sync::Arc;

use async_trait::async_trait;
use azure_core::credentials::Secret;
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{Context, Request};

/// Signs every request with the account's key.
pub struct SharedKeyPolicy {
    account: String,
    key: Secret,
}

impl std::fmt::Debug for SharedKeyPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedKeyPolicy")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

impl SharedKeyPolicy {
    /// A policy for `account` with its base64 `key`; `None` when the key is not base64 (the
    /// caller reports that without quoting it).
    pub fn new(account: &str, key: Secret) -> Option<SharedKeyPolicy> {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(key.secret().trim())
            .ok()
            .filter(|k| !k.is_empty())?;
        Some(SharedKeyPolicy {
            account: account.to_string(),
            key: Secret::new(key.secret().trim().to_string()),
        })
    }
}

#[async_trait]
impl Policy for SharedKeyPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let date = azure_core::time::to_rfc7231(&azure_core::time::OffsetDateTime::now_utc());
        request.insert_header("x-ms-date", date);
        let signature =
            azure_core::hmac::hmac_sha256(&string_to_sign(request, &self.account), &self.key)?;
        request.insert_header(
            "authorization",
            format!("SharedKey {}:{signature}", self.account),
        );
        match next.split_first() {
            Some((policy, rest)) => policy.send(ctx, request, rest).await,
            None => Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Other,
                "the Shared Key policy must not be the last in the pipeline",
            )),
        }
    }
}

/// The Blob service's string-to-sign for `request`.
fn string_to_sign(request: &Request, account: &str) -> String {
    let mut headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.as_str().to_string()))
        .collect();
    headers.sort();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let length = match request.body().len() {
        Some(0) | None => String::new(),
        Some(n) => n.to_string(),
    };
    let mut out = format!(
        "{}\n{}\n{}\n{length}\n{}\n{}\n\n{}\n{}\n{}\n{}\n{}\n",
        request.method().as_str(),
        header("content-encoding"),
        header("content-language"),
        header("content-md5"),
        header("content-type"),
        header("if-modified-since"),
        header("if-match"),
        header("if-none-match"),
        header("if-unmodified-since"),
        header("range"),
    );
    for (name, value) in headers.iter().filter(|(k, _)| k.starts_with("x-ms-")) {
        out.push_str(name);
        out.push(':');
        out.push_str(&value.split_whitespace().collect::<Vec<_>>().join(" "));
        out.push('\n');
    }
    out.push('/');
    out.push_str(account);
    out.push_str(request.url().path());
    let mut query: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (name, value) in request.url().query_pairs() {
        query
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(value.into_owned());
    }
    for (name, mut values) in query {
        values.sort();
        out.push('\n');
        out.push_str(&name);
        out.push(':');
        out.push_str(&values.join(","));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::http::{Method, Url};

    #[test]
    fn the_string_to_sign_follows_the_blob_service_layout() {
        let url = Url::parse(
            "http://127.0.0.1:10000/devstoreaccount1/state/fraud.json?comp=lease&timeout=30",
        )
        .unwrap();
        let mut request = Request::new(url, Method::Put);
        request.insert_header("x-ms-version", "2026-02-06");
        request.insert_header("x-ms-date", "Wed, 02 Dec 2026 06:00:00 GMT");
        request.insert_header("x-ms-lease-action", "acquire");
        request.insert_header("if-match", "\"0x1\"");
        assert_eq!(
            string_to_sign(&request, "devstoreaccount1"),
            "PUT\n\n\n\n\n\n\n\n\"0x1\"\n\n\n\n\
             x-ms-date:Wed, 02 Dec 2026 06:00:00 GMT\n\
             x-ms-lease-action:acquire\n\
             x-ms-version:2026-02-06\n\
             /devstoreaccount1/devstoreaccount1/state/fraud.json\ncomp:lease\ntimeout:30"
        );
    }

    #[test]
    fn a_key_that_is_not_base64_is_refused() {
        assert!(SharedKeyPolicy::new("a", Secret::new("not base64!")).is_none());
        assert!(SharedKeyPolicy::new("a", Secret::new("a2V5")).is_some());
    }
}
