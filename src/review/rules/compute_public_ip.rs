//! AML-NET-008: Compute nodes have public IP addresses.

use super::prelude::*;

fn attr(f: &ReviewFact) -> Option<&'static str> {
    match f {
        ReviewFact::NodePublicIp(a) => Some(*a),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-NET-008",
    area: Area::Network,
    severity: Severity::High,
    title: "Compute nodes have public IP addresses",
    rationale: "Nodes with public IP addresses are reachable from, and can send data to, the internet directly, outside any network isolation.",
    remediation: "Set `node_public_ip = false` and place the compute in a subnet or the workspace's managed network.",
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
                "{} {} gives its nodes public IP addresses",
                r.kind(),
                r.address
            ),
        ));
    }
}
