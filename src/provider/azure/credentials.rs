//! Entra ID credentials for ARM, from `azure_identity`: `--auth` names one, or `auto` picks by
//! what the environment holds. The token itself never leaves this module's callers' request
//! headers: nothing here formats it, and errors carry only what was tried and why it failed.

use std::sync::Arc;

use azure_core::credentials::{Secret, TokenCredential};
use azure_identity::{
    AzureCliCredential, AzurePipelinesCredential, ClientSecretCredential,
    ManagedIdentityCredential, ManagedIdentityCredentialOptions, UserAssignedId,
    WorkloadIdentityCredential, WorkloadIdentityCredentialOptions,
};

/// How to authenticate (`--auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    Auto,
    Cli,
    ManagedIdentity,
    WorkloadIdentity,
    AzurePipelines,
    ClientSecret,
    /// No token at all: only for an emulator on loopback.
    None,
}

impl AuthMethod {
    pub fn describe(self) -> &'static str {
        match self {
            AuthMethod::Auto => "auto",
            AuthMethod::Cli => "the Azure CLI (az login)",
            AuthMethod::ManagedIdentity => "managed identity",
            AuthMethod::WorkloadIdentity => "workload identity",
            AuthMethod::AzurePipelines => "Azure Pipelines (service connection)",
            AuthMethod::ClientSecret => "client secret",
            AuthMethod::None => "no credential",
        }
    }
}

/// What `auto` reads: environment variables and whether this is an Azure host. Injected so
/// the selection is tested without touching the process environment.
pub trait Environment {
    /// The variable's value, `None` when unset or empty.
    fn var(&self, name: &str) -> Option<String>;
    /// Whether a managed identity endpoint can be expected (App Service, Functions, Arc, a VM).
    fn on_azure_host(&self) -> bool;
}

/// The process's environment.
pub struct ProcessEnvironment;

/// Azure's virtual machines carry this chassis asset tag (SMBIOS), which is how Microsoft's
/// own tools tell an Azure VM without a network probe.
const AZURE_CHASSIS_ASSET_TAG: &str = "7783-7084-3265-9085";

impl Environment for ProcessEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }

    fn on_azure_host(&self) -> bool {
        self.var("IDENTITY_ENDPOINT").is_some()
            || self.var("MSI_ENDPOINT").is_some()
            || std::fs::read_to_string("/sys/class/dmi/id/chassis_asset_tag")
                .is_ok_and(|t| t.trim() == AZURE_CHASSIS_ASSET_TAG)
    }
}

/// Azure Pipelines' variables for a workload-identity service connection (the ones the
/// `AzureCLI@2` task and the Azure SDKs read).
const PIPELINES_VARIABLES: [&str; 4] = [
    "SYSTEM_OIDCREQUESTURI",
    "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
    "AZURESUBSCRIPTION_CLIENT_ID",
    "AZURESUBSCRIPTION_TENANT_ID",
];

/// The credentials `auto` tries, in order, each with why it is a candidate.
pub fn auto_candidates(env: &dyn Environment) -> Vec<(AuthMethod, &'static str)> {
    let mut out = Vec::new();
    if env.var("AZURE_FEDERATED_TOKEN_FILE").is_some() {
        out.push((
            AuthMethod::WorkloadIdentity,
            "AZURE_FEDERATED_TOKEN_FILE is set",
        ));
    }
    if PIPELINES_VARIABLES.iter().all(|v| env.var(v).is_some()) {
        out.push((
            AuthMethod::AzurePipelines,
            "the Azure Pipelines service connection variables are set",
        ));
    }
    if env.var("AZURE_CLIENT_SECRET").is_some() {
        out.push((AuthMethod::ClientSecret, "AZURE_CLIENT_SECRET is set"));
    }
    if env.on_azure_host() {
        out.push((AuthMethod::ManagedIdentity, "this is an Azure host"));
    }
    out.push((AuthMethod::Cli, "the fallback"));
    out
}

/// A credential that produced a token for the scope.
#[derive(Clone)]
pub struct Credential {
    pub method: AuthMethod,
    inner: Arc<dyn TokenCredential>,
    scope: String,
    /// The tenant the token was issued in (`tid`), when it says.
    pub tenant_id: Option<String>,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("method", &self.method)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Credential {
    /// The credential itself, for an SDK client that asks for tokens of its own scope (the
    /// state backend's blob client).
    pub fn token_credential(&self) -> Arc<dyn TokenCredential> {
        self.inner.clone()
    }

    /// A bearer token for ARM (the credential caches and refreshes it).
    pub async fn token(&self) -> Result<Secret, String> {
        self.inner
            .get_token(&[self.scope.as_str()], None)
            .await
            .map(|t| t.token)
            .map_err(|e| format!("{} could not get a token: {e}", self.method.describe()))
    }
}

/// Opens the credential `method` names (for `auto`, the first candidate that yields a token)
/// and gets a first token for `scope`. The error lists every credential tried and why each
/// failed.
pub async fn open(
    method: AuthMethod,
    env: &dyn Environment,
    scope: &str,
) -> Result<Credential, Vec<String>> {
    let candidates = match method {
        AuthMethod::Auto => auto_candidates(env),
        other => vec![(other, "--auth")],
    };
    let mut tried = Vec::new();
    for (candidate, why) in candidates {
        let built = build(candidate, env);
        let failure = match built {
            Ok(inner) => match inner.get_token(&[scope], None).await {
                Ok(token) => {
                    let tenant_id = tenant_of(env, token.token.secret());
                    return Ok(Credential {
                        method: candidate,
                        inner,
                        scope: scope.to_string(),
                        tenant_id,
                    });
                }
                Err(e) => e.to_string(),
            },
            Err(e) => e,
        };
        tried.push(format!(
            "{} ({why}): {}",
            candidate.describe(),
            one_line(&failure)
        ));
    }
    Err(tried)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn required(env: &dyn Environment, name: &str) -> Result<String, String> {
    env.var(name).ok_or_else(|| format!("{name} is not set"))
}

fn build(method: AuthMethod, env: &dyn Environment) -> Result<Arc<dyn TokenCredential>, String> {
    let built: azure_core::Result<Arc<dyn TokenCredential>> = match method {
        AuthMethod::Cli => AzureCliCredential::new(None).map(|c| c as Arc<dyn TokenCredential>),
        AuthMethod::ManagedIdentity => {
            let options = ManagedIdentityCredentialOptions {
                user_assigned_id: env.var("AZURE_CLIENT_ID").map(UserAssignedId::ClientId),
                ..Default::default()
            };
            ManagedIdentityCredential::new(Some(options)).map(|c| c as Arc<dyn TokenCredential>)
        }
        AuthMethod::WorkloadIdentity => {
            let options = WorkloadIdentityCredentialOptions {
                client_id: Some(required(env, "AZURE_CLIENT_ID")?),
                tenant_id: Some(required(env, "AZURE_TENANT_ID")?),
                token_file_path: Some(required(env, "AZURE_FEDERATED_TOKEN_FILE")?.into()),
                ..Default::default()
            };
            WorkloadIdentityCredential::new(Some(options)).map(|c| c as Arc<dyn TokenCredential>)
        }
        AuthMethod::AzurePipelines => {
            let tenant = required(env, "AZURESUBSCRIPTION_TENANT_ID")?;
            let client = required(env, "AZURESUBSCRIPTION_CLIENT_ID")?;
            let connection = required(env, "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID")?;
            let access = required(env, "SYSTEM_ACCESSTOKEN")?;
            required(env, "SYSTEM_OIDCREQUESTURI")?;
            AzurePipelinesCredential::new(tenant, client, &connection, Secret::new(access), None)
                .map(|c| c as Arc<dyn TokenCredential>)
        }
        AuthMethod::ClientSecret => {
            let tenant = required(env, "AZURE_TENANT_ID")?;
            let client = required(env, "AZURE_CLIENT_ID")?;
            let secret = required(env, "AZURE_CLIENT_SECRET")?;
            ClientSecretCredential::new(&tenant, client, Secret::new(secret), None)
                .map(|c| c as Arc<dyn TokenCredential>)
        }
        AuthMethod::Auto | AuthMethod::None => {
            return Err("not a credential".to_string());
        }
    };
    built.map_err(|e| e.to_string())
}

/// The tenant: the environment's (`AZURE_TENANT_ID`, Azure Pipelines'), else the token's
/// `tid` claim (read from the JWT's payload, never printed).
fn tenant_of(env: &dyn Environment, token: &str) -> Option<String> {
    use base64::Engine as _;
    if let Some(t) = env
        .var("AZURE_TENANT_ID")
        .or_else(|| env.var("AZURESUBSCRIPTION_TENANT_ID"))
    {
        return Some(t);
    }
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("tid")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fake {
        vars: HashMap<&'static str, &'static str>,
        azure_host: bool,
    }

    impl Environment for Fake {
        fn var(&self, name: &str) -> Option<String> {
            self.vars.get(name).map(|v| v.to_string())
        }
        fn on_azure_host(&self) -> bool {
            self.azure_host
        }
    }

    fn env(vars: &[(&'static str, &'static str)], azure_host: bool) -> Fake {
        Fake {
            vars: vars.iter().copied().collect(),
            azure_host,
        }
    }

    fn methods(e: &Fake) -> Vec<AuthMethod> {
        auto_candidates(e).into_iter().map(|(m, _)| m).collect()
    }

    #[test]
    fn auto_tries_what_the_environment_offers_in_the_issues_order() {
        use AuthMethod::*;
        assert_eq!(methods(&env(&[], false)), [Cli]);
        assert_eq!(methods(&env(&[], true)), [ManagedIdentity, Cli]);
        assert_eq!(
            methods(&env(&[("AZURE_CLIENT_SECRET", "x")], true)),
            [ClientSecret, ManagedIdentity, Cli]
        );
        let pipelines = [
            ("SYSTEM_OIDCREQUESTURI", "https://dev.azure.com/x"),
            ("AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "c"),
            ("AZURESUBSCRIPTION_CLIENT_ID", "id"),
            ("AZURESUBSCRIPTION_TENANT_ID", "t"),
        ];
        assert_eq!(methods(&env(&pipelines, false)), [AzurePipelines, Cli]);
        // Half a service connection is none.
        assert_eq!(methods(&env(&pipelines[..2], false)), [Cli]);
        let mut all = pipelines.to_vec();
        all.push(("AZURE_FEDERATED_TOKEN_FILE", "/var/run/token"));
        all.push(("AZURE_CLIENT_SECRET", "s"));
        assert_eq!(
            methods(&env(&all, true)),
            [
                WorkloadIdentity,
                AzurePipelines,
                ClientSecret,
                ManagedIdentity,
                Cli
            ]
        );
    }

    #[tokio::test]
    async fn a_failed_choice_names_what_was_tried_and_why_without_any_secret() {
        // A client secret without its tenant fails before any request is made.
        let e = env(&[("AZURE_CLIENT_SECRET", "s3cr3t-value")], false);
        let tried = open(AuthMethod::ClientSecret, &e, "https://x/.default")
            .await
            .unwrap_err();
        assert_eq!(tried.len(), 1);
        assert!(
            tried[0].starts_with("client secret (--auth): AZURE_TENANT_ID is not set"),
            "{tried:?}"
        );
        assert!(!tried[0].contains("s3cr3t"));
    }

    #[test]
    fn the_tenant_comes_from_the_environment_or_the_token() {
        use base64::Engine as _;
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"tid":"72f988bf-0000-0000-0000-000000000000","aud":"x"}"#);
        let token = format!("eyJhbGciOiJub25lIn0.{claims}.sig");
        assert_eq!(
            tenant_of(&env(&[], false), &token).as_deref(),
            Some("72f988bf-0000-0000-0000-000000000000")
        );
        assert_eq!(
            tenant_of(&env(&[("AZURE_TENANT_ID", "t1")], false), &token).as_deref(),
            Some("t1")
        );
        assert_eq!(tenant_of(&env(&[], false), "not-a-jwt"), None);
    }
}
