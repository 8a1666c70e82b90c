//! AML-NET-009: Compute SSH port open to the internet.

use super::prelude::*;

fn attr(f: &ReviewFact) -> Option<&'static str> {
    match f {
        ReviewFact::PublicSsh(a) => Some(*a),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-NET-009",
    area: Area::Network,
    severity: Severity::High,
    title: "Compute SSH port open to the internet",
    rationale: "An SSH port open to the public internet invites brute-force and credential-stuffing attacks on the nodes that hold training data.",
    remediation: "Set `ssh_public_access = false`; connect through a private network or use the studio's terminal.",
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
                "{} {} opens its SSH port to the public internet",
                r.kind(),
                r.address
            ),
        ));
    }
}
