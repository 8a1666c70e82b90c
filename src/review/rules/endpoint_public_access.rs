//! AML-NET-006: an endpoint (a resource inside a workspace) with public network access.

use super::prelude::*;

fn attr(k: &KindSchema) -> Option<&'static str> {
    fact(k, |f| match f {
        ReviewFact::PublicNetworkAccess(a) => Some(*a),
        _ => None,
    })
}

pub static RULE: Rule = Rule {
    id: "AML-NET-006",
    area: Area::Network,
    severity: Severity::Medium,
    title: "Online endpoint allows public network access",
    rationale: "A scoring URL reachable from the public internet can be called (and probed) from \
                anywhere; with key auth a leaked key is enough to use the model.",
    remediation: "Set `public_network_access = false` and call the endpoint through the \
                  workspace's private endpoint.",
    policy: &[],
    checkov: &[],
    applies: |k| attr(k).is_some() && k.id.parent_attr().is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(a) = attr(r.schema) else { return };
    if bool_attr(&r.body, &r.schema.body, a) == Some(true) {
        out.push(Hit::attr(
            r,
            a,
            format!(
                "{} {} accepts requests from the public internet",
                r.kind(),
                r.address
            ),
        ));
    }
}
