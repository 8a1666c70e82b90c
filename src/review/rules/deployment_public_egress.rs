//! AML-NET-007: Deployment allows public egress.

use super::prelude::*;

fn attr(f: &ReviewFact) -> Option<&'static str> {
    match f {
        ReviewFact::PublicEgress(a) => Some(*a),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-NET-007",
    area: Area::Network,
    severity: Severity::Medium,
    title: "Deployment allows public egress",
    rationale: "A deployment that may call the public internet can send scoring inputs (often personal data) anywhere, and pull code at run time.",
    remediation: "Set `egress_public_network_access = false`; reach what the scoring code needs through the workspace's private endpoints.",
    policy: &[],
    checkov: &[],
    applies: |k| fact(k, attr).is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    if let Some(a) = flag_set(r, attr) {
        out.push(Hit::attr(
            r,
            a,
            format!(
                "{} {} may make outbound calls to the public internet",
                r.kind(),
                r.address
            ),
        ));
    }
}
