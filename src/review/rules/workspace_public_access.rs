//! AML-NET-001: a top-level resource (a workspace) reachable from the public internet.

use super::prelude::*;

fn attr(k: &KindSchema) -> Option<&'static str> {
    fact(k, |f| match f {
        ReviewFact::PublicNetworkAccess(a) => Some(*a),
        _ => None,
    })
}

pub static RULE: Rule = Rule {
    id: "AML-NET-001",
    area: Area::Network,
    severity: Severity::High,
    title: "Workspace allows public network access",
    rationale: "A workspace reachable from the public internet exposes its studio, APIs, data and \
                models to anyone holding a credential, bypassing the private network.",
    remediation: "Set `public_network_access = false` and reach the workspace through a \
                  `private_endpoint` with its private DNS zones.",
    policy: &[
        "Azure Machine Learning Workspaces should disable public network access",
        "Configure Azure Machine Learning Workspaces to disable public network access",
    ],
    checkov: &["CKV_AZURE_144", "CKV2_AZURE_49"],
    // Resources without a parent: workspaces (child resources are AML-NET-006's, registries
    // AML-NET-017's).
    applies: |k| {
        attr(k).is_some()
            && k.id.parent_attr().is_none()
            && fact(k, |f| matches!(f, ReviewFact::SharesAssets).then_some(())).is_none()
    },
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(a) = attr(r.schema) else { return };
    if bool_attr(&r.body, &r.schema.body, a) == Some(true) {
        out.push(Hit::attr(
            r,
            a,
            format!(
                "{} {} can be reached from the public internet",
                r.kind(),
                r.address
            ),
        ));
    }
}
