//! ARM over HTTP: one [`ArmRequest`] to one HTTP exchange through `azure_core`'s HTTP client.
//!
//! `azure_core`'s `Pipeline` is not used: its retry policy would retry what
//! [`ArmClient`](crate::provider::client::ArmClient) already retries (the one retry policy is
//! `provider::retry`), and its bearer-token policy refuses any URL that is not `https`, which
//! the emulator on loopback is. So the transport sends through the pipeline's own HTTP client
//! (`azure_core::http::new_http_client`, reqwest with rustls) and adds the bearer token
//! itself. Each request first waits for a token of the [`Pacer`] (ARM's buckets), so no
//! request is sent that ARM would throttle.

use std::sync::Arc;

use azure_core::http::{HttpClient, Request, Url};
use serde_json::Value;

use super::credentials::Credential;
use crate::provider::pacing::Pacer;
use crate::provider::{
    ArmRequest, ArmResponse, BlobRequest, Method, Transport, TransportError, TransportFuture,
};

pub struct HttpTransport {
    http: Arc<dyn HttpClient>,
    endpoint: Url,
    credential: Option<Credential>,
    pacer: Option<Pacer>,
}

impl HttpTransport {
    pub fn new(endpoint: Url, credential: Option<Credential>, pacer: Option<Pacer>) -> Self {
        HttpTransport {
            http: azure_core::http::new_http_client(None),
            endpoint,
            credential,
            pacer,
        }
    }

    /// The endpoint plus the request's path, `api-version` and query.
    fn url(&self, request: &ArmRequest) -> Url {
        let mut url = self.endpoint.clone();
        let base = self.endpoint.path().trim_end_matches('/');
        url.set_path(&format!("{base}{}", request.path));
        {
            let mut q = url.query_pairs_mut();
            q.clear();
            if !request.api_version.is_empty() {
                q.append_pair("api-version", &request.api_version);
            }
            for (k, v) in &request.query {
                q.append_pair(k, v);
            }
        }
        url
    }

    async fn exchange(&self, request: ArmRequest) -> Result<ArmResponse, TransportError> {
        let failed = |what: &str, e: &dyn std::fmt::Display| TransportError {
            message: format!("{what} {} {}: {e}", request.method.as_str(), request.path),
        };
        let mut req = Request::new(self.url(&request), method(request.method));
        req.insert_header("accept", "application/json");
        if let Some(credential) = &self.credential {
            let token = credential.token().await.map_err(|e| TransportError {
                message: e.to_string(),
            })?;
            req.insert_header("authorization", format!("Bearer {}", token.secret()));
        }
        if let Some(body) = &request.body {
            req.insert_header("content-type", "application/json");
            let bytes = serde_json::to_vec(body).map_err(|e| failed("cannot encode", &e))?;
            req.set_body(bytes);
        }
        let response = self
            .http
            .execute_request(&req)
            .await
            .map_err(|e| failed("cannot send", &e))?;
        let (status, headers, body) = response.deconstruct();
        let bytes = body
            .collect()
            .await
            .map_err(|e| failed("cannot read the answer to", &e))?;
        let body = if bytes.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            // A body that is not JSON (a gateway's HTML page) is kept as text for the error.
            Some(serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                Value::String(
                    String::from_utf8_lossy(&bytes)
                        .chars()
                        .take(2_000)
                        .collect(),
                )
            }))
        };
        Ok(ArmResponse {
            status: u16::from(status),
            headers: headers
                .iter()
                .map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.as_str().to_string()))
                .collect(),
            body,
        })
    }
}

fn method(m: Method) -> azure_core::http::Method {
    match m {
        Method::Get => azure_core::http::Method::Get,
        Method::Put => azure_core::http::Method::Put,
        Method::Patch => azure_core::http::Method::Patch,
        Method::Delete => azure_core::http::Method::Delete,
        Method::Post => azure_core::http::Method::Post,
    }
}

impl Transport for HttpTransport {
    /// Put Blob to a SAS URL through `azure_storage_blob` (the SAS in the URL is the
    /// credential: no bearer token goes to storage). Plain `http` only to loopback, so a SAS
    /// never crosses a network in the clear. The client's own retries are off and its HTTP
    /// client is this transport's: [`ArmClient::put_blob`] retries, as for every request.
    ///
    /// [`ArmClient::put_blob`]: crate::provider::client::ArmClient::put_blob
    fn put_blob(&self, request: BlobRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            use azure_core::http::{ClientOptions, RequestContent, RetryOptions, Transport};
            use azure_storage_blob::models::BlobClientUploadOptions;
            use azure_storage_blob::{BlobClient, BlobClientOptions};
            let failed = |e: &dyn std::fmt::Display| TransportError {
                message: format!("cannot upload a code file: {e}"),
            };
            let url = Url::parse(&request.url).map_err(|e| failed(&e))?;
            let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
            if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
                return Err(failed(&"the upload URL is not https"));
            }
            let options = BlobClientOptions {
                client_options: ClientOptions {
                    transport: Some(Transport::new(self.http.clone())),
                    retry: RetryOptions::none(),
                    ..Default::default()
                },
                ..Default::default()
            };
            // Errors name the blob without its query: the SAS stays out of messages.
            let mut shown = url.clone();
            shown.set_query(None);
            let client = BlobClient::new(url, None, Some(options)).map_err(|e| failed(&e))?;
            let upload = BlobClientUploadOptions {
                blob_content_type: Some("application/octet-stream".to_string()),
                ..Default::default()
            };
            match client
                .upload(RequestContent::from(request.body), Some(upload))
                .await
            {
                Ok(_) => Ok(ArmResponse {
                    status: 201,
                    headers: Default::default(),
                    body: None,
                }),
                // An answer (a 403, a 503): the status decides, as for ARM, whether to retry.
                Err(e) if e.http_status().is_some() => {
                    let code = match e.kind() {
                        azure_core::error::ErrorKind::HttpResponse { error_code, .. } => {
                            error_code.clone()
                        }
                        _ => None,
                    };
                    Ok(ArmResponse {
                        status: e.http_status().map_or(0, u16::from),
                        headers: Default::default(),
                        body: Some(Value::String(format!(
                            "{} (uploading {shown})",
                            code.unwrap_or_else(|| "the storage service refused the upload".into())
                        ))),
                    })
                }
                Err(e) => Err(failed(&format!("{shown}: {e}"))),
            }
        })
    }

    fn send(&self, request: ArmRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            let method = request.method;
            if let Some(pacer) = &self.pacer {
                pacer.before(method).await;
            }
            let result = self.exchange(request).await;
            if let Some(pacer) = &self.pacer {
                pacer.after(method, result.as_ref().ok());
            }
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_the_api_version_and_query_under_the_endpoint() {
        let t = HttpTransport::new(Url::parse("http://127.0.0.1:8080/").unwrap(), None, None);
        let url = t.url(&ArmRequest {
            method: Method::Delete,
            path: "/subscriptions/s/resourceGroups/my rg/providers/P/w/c".into(),
            api_version: "2025-06-01".into(),
            query: vec![("underlyingResourceAction".into(), "Delete".into())],
            body: None,
        });
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:8080/subscriptions/s/resourceGroups/my%20rg/providers/P/w/c?api-version=2025-06-01&underlyingResourceAction=Delete"
        );
    }
}
