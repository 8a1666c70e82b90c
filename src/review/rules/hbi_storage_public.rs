//! AML-DAT-004: a high-business-impact workspace whose storage account is publicly reachable.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-DAT-004",
    area: Area::DataProtection,
    severity: Severity::High,
    title: "High-business-impact workspace's storage account is publicly accessible",
    rationale: "The workspace's storage account holds its datasets, job outputs and models; \
                public network access to it lets the sensitive data be read from anywhere a \
                credential leaks to.",
    remediation: "Keep the workspace's public network access off (amlplan then turns it off on \
                  the storage account it creates), or enable managed-network isolation.",
    policy: &[],
    checkov: &["CKV2_AZURE_50"],
    applies: |k| {
        k.child("storage_account").is_some() && k.body.attr("high_business_impact").is_some()
    },
    check,
};

fn check(r: &Resource, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    if !ctx::high_business_impact(r) {
        return;
    }
    // The storage account amlplan creates for the workspace; one named by ARM ID is not
    // described by the manifest.
    let Some(storage) = ctx.desired(&format!("{}.storage_account", r.address)) else {
        return;
    };
    let access = storage
        .body
        .pointer("/properties/publicNetworkAccess")
        .and_then(|v| v.as_str());
    if access.is_some_and(|a| a.eq_ignore_ascii_case("Enabled")) {
        out.push(Hit::attr(
            r,
            "public_network_access",
            format!(
                "the storage account of high-business-impact workspace {} allows public network access",
                r.address
            ),
        ));
    }
}
