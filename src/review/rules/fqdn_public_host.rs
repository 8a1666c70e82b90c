//! AML-NET-004: an FQDN outbound rule to a host outside Microsoft's services.

use super::prelude::*;

/// Domains of the Microsoft services a workspace talks to; hosts below them are the
/// platform's, not an arbitrary way out.
const MICROSOFT_DOMAINS: &[&str] = &[
    "azureml.ms",
    "azureml.net",
    "microsoft.com",
    "microsoftonline.com",
    "windows.net",
    "azure.com",
    "azure.net",
    "azurecr.io",
    "mcr.microsoft.com",
    "azureedge.net",
    "msecnd.net",
    "visualstudio.com",
    "vscode-cdn.net",
    "vsassets.io",
];

pub static RULE: Rule = Rule {
    id: "AML-NET-004",
    area: Area::Network,
    severity: Severity::Low,
    title: "FQDN outbound rule allows a public internet host",
    rationale: "Every approved FQDN outside Microsoft's services is a path out of the isolated \
                network: package feeds and code hosts accept uploads too. Each one should be a \
                reviewed, recorded decision.",
    remediation: "Mirror what the host serves into a private feed or registry; otherwise accept \
                  the rule with an `ignore` block giving the approval.",
    policy: &[],
    checkov: &[],
    applies: |k| k.body.block("managed_network").is_some(),
    check,
};

fn microsoft(host: &str) -> bool {
    MICROSOFT_DOMAINS
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    if ctx::isolation_mode(r) == Some("disabled") {
        return;
    }
    for (block, address, path) in ctx::outbound_rules(r) {
        if block.body.str("type") != Some("fqdn") {
            continue;
        }
        let Some(destination) = block.body.str("destination") else {
            continue;
        };
        let shown = ctx::shown(&block.body, "destination").unwrap_or_default();
        let host = destination
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        // Wildcards and shared domains are AML-NET-003's.
        if super::fqdn_broad::broad(&host).is_some() || microsoft(&host) {
            continue;
        }
        out.push(Hit::nested(
            block,
            address,
            path,
            "destination",
            format!("outbound rule allows traffic to the internet host `{shown}`"),
        ));
    }
}
