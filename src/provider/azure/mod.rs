//! The Azure provider: the same [`ArmClient`] as the mock provider over an HTTP
//! [`Transport`](crate::provider::Transport) to ARM (`--provider azure`), or to the emulator
//! on loopback (`--arm-endpoint http://127.0.0.1:PORT --auth none`). Retries, long-running
//! operations, error mapping, purge and delete queries are the client's and the apply's; what
//! this adds is HTTP (`transport`), credentials (`credentials`) and pacing under ARM's
//! buckets (`provider::pacing`).

pub mod credentials;
pub mod transport;

use std::net::IpAddr;
use std::sync::Arc;

use azure_core::http::Url;
use serde::{Deserialize, Serialize};

use self::credentials::{AuthMethod, Credential, Environment};
use self::transport::HttpTransport;
use super::client::{ArmClient, ClientOptions};
use super::pacing::{Pacer, PacingSpec};
use super::{Provider, ProviderDefaults};
use crate::diagnostic::Diagnostic;

/// The public cloud's ARM endpoint.
pub const PUBLIC_ARM_ENDPOINT: &str = "https://management.azure.com";

/// Knobs of the HTTP provider beyond its flags (`AMLPLAN_AZURE_OPTIONS`, JSON): tests scale
/// its waits down and shape its buckets like the emulator's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpOptions {
    /// Multiplies every retry and poll wait (1 against ARM).
    pub time_scale: f64,
    /// The buckets requests are paced under; `null` sends without pacing.
    pub pacing: Option<PacingSpec>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            time_scale: 1.0,
            pacing: Some(PacingSpec::default()),
        }
    }
}

/// Why the provider could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// `--arm-endpoint` is no http(s) URL.
    Endpoint(String),
    /// `--auth none` for an endpoint that is not on loopback.
    NoneNotLoopback(String),
    /// No credential produced a token: what was tried and why each failed.
    NoCredential(Vec<String>),
}

pub struct AzureProvider {
    client: ArmClient,
    defaults: ProviderDefaults,
}

/// Whether `url` names this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &Url) -> bool {
    match url.host_str() {
        Some(h) if h.eq_ignore_ascii_case("localhost") => true,
        Some(h) => h
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// Parses `--arm-endpoint`.
pub fn endpoint(text: &str) -> Result<Url, OpenError> {
    let url = Url::parse(text.trim()).map_err(|e| OpenError::Endpoint(format!("{text}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(OpenError::Endpoint(format!(
            "{text}: an ARM endpoint is an http or https URL with a host"
        )));
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(OpenError::Endpoint(format!(
            "{text}: plain http is only for an emulator on loopback (127.0.0.1, ::1, localhost)"
        )));
    }
    Ok(url)
}

/// The token scope for an ARM endpoint: its origin plus `/.default`.
fn scope_for(url: &Url) -> String {
    format!("{}/.default", url.origin().ascii_serialization())
}

impl AzureProvider {
    /// Opens the provider: checks the endpoint, chooses and tries the credential.
    pub async fn open(
        endpoint_text: &str,
        auth: AuthMethod,
        options: HttpOptions,
        env: &dyn Environment,
    ) -> Result<AzureProvider, OpenError> {
        let url = endpoint(endpoint_text)?;
        let credential: Option<Credential> = match auth {
            AuthMethod::None if is_loopback(&url) => None,
            AuthMethod::None => return Err(OpenError::NoneNotLoopback(endpoint_text.to_string())),
            method => Some(
                credentials::open(method, env, &scope_for(&url))
                    .await
                    .map_err(OpenError::NoCredential)?,
            ),
        };
        let defaults = ProviderDefaults {
            tenant_id: match &credential {
                Some(c) => c.tenant_id.clone(),
                // Only the emulator is reached without a credential: its tenant.
                None => Some(super::emulator::tenant_id()),
            },
        };
        let pacer = options.pacing.map(Pacer::new);
        let transport = HttpTransport::new(url, credential, pacer);
        let client = ArmClient::new(
            Arc::new(transport),
            ClientOptions::scaled(options.time_scale.max(0.0)),
        );
        Ok(AzureProvider { client, defaults })
    }
}

impl Provider for AzureProvider {
    fn client(&self) -> &ArmClient {
        &self.client
    }

    fn defaults(&self) -> ProviderDefaults {
        self.defaults.clone()
    }

    fn finish(&self) -> Result<(), Diagnostic> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_and_loopback() {
        assert!(endpoint("https://management.azure.com").is_ok());
        assert!(endpoint("http://127.0.0.1:4000").is_ok());
        assert!(endpoint("http://[::1]:4000/").is_ok());
        assert!(endpoint("http://localhost:4000").is_ok());
        assert!(matches!(
            endpoint("http://10.0.0.4:4000"),
            Err(OpenError::Endpoint(_))
        ));
        assert!(matches!(endpoint("ftp://x"), Err(OpenError::Endpoint(_))));
        assert!(matches!(endpoint("not a url"), Err(OpenError::Endpoint(_))));
        assert!(is_loopback(&Url::parse("http://127.8.0.1").unwrap()));
        assert!(!is_loopback(
            &Url::parse("https://management.azure.com").unwrap()
        ));
        assert_eq!(
            scope_for(&Url::parse("https://management.usgovcloudapi.net/").unwrap()),
            "https://management.usgovcloudapi.net/.default"
        );
    }

    #[tokio::test]
    async fn none_is_refused_off_loopback() {
        let r = AzureProvider::open(
            PUBLIC_ARM_ENDPOINT,
            AuthMethod::None,
            HttpOptions::default(),
            &credentials::ProcessEnvironment,
        )
        .await;
        assert!(matches!(r, Err(OpenError::NoneNotLoopback(_))));
    }
}
