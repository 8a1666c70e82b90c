//! AML-DAT-002: a workspace encrypted with Microsoft-managed keys only.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-DAT-002",
    area: Area::DataProtection,
    severity: Severity::Low,
    title: "Workspace without a customer-managed key",
    rationale: "With Microsoft-managed keys only, you cannot revoke access to the workspace's \
                data by revoking a key; the Azure Policy built-in audits every workspace for it.",
    remediation: "Add an `encryption { key_vault, key_identifier }` block when the workspace is \
                  created, if its data calls for it.",
    policy: &[
        "Azure Machine Learning workspaces should be encrypted with a customer-managed key",
        "Azure Machine Learning workspaces should be encrypted with the use of a customer-managed key",
    ],
    checkov: &[],
    applies: |k| k.body.block("encryption").is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    // A high-business-impact workspace is AML-DAT-001's.
    if !ctx::high_business_impact(r) && r.body.block("encryption").is_none() {
        out.push(Hit::block(
            r,
            format!(
                "workspace {} is not encrypted with a customer-managed key",
                r.address
            ),
        ));
    }
}
