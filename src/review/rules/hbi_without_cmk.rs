//! AML-DAT-001: a high-business-impact workspace encrypted with Microsoft-managed keys only.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-DAT-001",
    area: Area::DataProtection,
    // A compliance control rather than an exposure: medium, where the exposures are high.
    severity: Severity::Medium,
    title: "High-business-impact workspace without a customer-managed key",
    rationale: "Sensitive data encrypted only with Microsoft-managed keys cannot be made \
                unreadable by revoking a key you control, and many compliance regimes require \
                customer-managed keys for it.",
    remediation: "Add an `encryption { key_vault, key_identifier }` block (it can be set only when \
                  the workspace is created).",
    policy: &[
        "Azure Machine Learning workspaces should be encrypted with a customer-managed key",
        "Azure Machine Learning workspaces should be encrypted with the use of a customer-managed key",
    ],
    checkov: &[],
    applies: |k| {
        k.body.block("encryption").is_some() && k.body.attr("high_business_impact").is_some()
    },
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    if ctx::high_business_impact(r) && r.body.block("encryption").is_none() {
        out.push(Hit::attr(
            r,
            "high_business_impact",
            format!(
                "high-business-impact workspace {} is not encrypted with a customer-managed key",
                r.address
            ),
        ));
    }
}
