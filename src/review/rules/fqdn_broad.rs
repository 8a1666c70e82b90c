//! AML-NET-003: an FQDN outbound rule with a wildcard or a destination shared by many owners.

use super::prelude::*;

/// Domains under which anyone can get a host name: a wildcard below one of these (or the
/// domain itself) allows traffic to hosts of any owner, such as another tenant's storage.
pub const SHARED_SUFFIXES: &[&str] = &[
    "blob.core.windows.net",
    "dfs.core.windows.net",
    "file.core.windows.net",
    "queue.core.windows.net",
    "table.core.windows.net",
    "web.core.windows.net",
    "core.windows.net",
    "windows.net",
    "azurewebsites.net",
    "cloudapp.azure.com",
    "cloudapp.net",
    "azurecr.io",
    "azure.com",
    "servicebus.windows.net",
    "database.windows.net",
    "vault.azure.net",
    "amazonaws.com",
    "s3.amazonaws.com",
    "googleapis.com",
    "storage.googleapis.com",
    "github.io",
    "githubusercontent.com",
    "herokuapp.com",
    "ngrok.io",
    "ngrok-free.app",
    "com",
    "net",
    "org",
    "io",
    "ai",
    "dev",
    "app",
    "co",
    "co.uk",
];

pub static RULE: Rule = Rule {
    id: "AML-NET-003",
    area: Area::Network,
    severity: Severity::High,
    title: "FQDN outbound rule allows a wildcard or shared domain",
    rationale: "An FQDN rule such as `*`, `*.blob.core.windows.net` or a whole public suffix lets \
                traffic reach hosts of any owner: data can be copied to an attacker's storage \
                account as easily as to yours.",
    remediation: "Name the exact host (`mystorage.blob.core.windows.net`), or reach Azure \
                  resources through a `private_endpoint` outbound rule.",
    policy: &[],
    checkov: &[],
    applies: |k| k.body.block("managed_network").is_some(),
    check,
};

/// Why a destination is broad, if it is.
pub fn broad(destination: &str) -> Option<String> {
    let d = destination
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if d == "*" || d.is_empty() {
        return Some("allows every host".into());
    }
    let base = d.trim_start_matches("*.");
    if SHARED_SUFFIXES.contains(&base) {
        return Some(if d.starts_with('*') {
            format!("allows every host under the shared domain `{base}`")
        } else {
            format!("names the shared domain `{base}` itself")
        });
    }
    d.contains('*')
        .then(|| "uses a wildcard, allowing hosts no one reviewed".into())
}

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (block, address, path) in ctx::outbound_rules(r) {
        if block.body.str("type") != Some("fqdn") {
            continue;
        }
        let Some(destination) = block.body.str("destination") else {
            continue;
        };
        if let Some(why) = broad(destination) {
            let message = if ctx::is_sensitive(&block.body, "destination") {
                format!(
                    "outbound rule {address} allows a wildcard or shared domain (its destination is sensitive)"
                )
            } else {
                format!("outbound rule `{destination}` {why}")
            };
            out.push(Hit::nested(block, address, path, "destination", message));
        }
    }
}
