//! AML-IAM-005: Compute accepts local (key) authentication.

use super::prelude::*;

fn attr(f: &ReviewFact) -> Option<&'static str> {
    match f {
        ReviewFact::LocalAuth(a) => Some(*a),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-IAM-005",
    area: Area::Identity,
    severity: Severity::Medium,
    title: "Compute accepts local (key) authentication",
    rationale: "Key-based local authentication bypasses Microsoft Entra ID: no conditional access, no per-user audit, and keys that leak stay valid.",
    remediation: "Set `local_auth = false` so only Microsoft Entra ID identities can use the compute.",
    policy: &[
        "Azure Machine Learning Computes should have local authentication methods disabled",
        "Configure Azure Machine Learning Computes to disable local authentication methods",
    ],
    checkov: &["CKV_AZURE_142"],
    applies: |k| fact(k, attr).is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    if let Some(a) = flag_set(r, attr) {
        out.push(Hit::attr(
            r,
            a,
            format!(
                "{} {} accepts key-based (local) authentication",
                r.kind(),
                r.address
            ),
        ));
    }
}
