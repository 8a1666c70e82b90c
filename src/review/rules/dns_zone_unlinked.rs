//! AML-NET-013: a private DNS zone that no virtual network resolves from.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-NET-013",
    area: Area::Network,
    severity: Severity::Medium,
    title: "Private DNS zone linked to no virtual network",
    rationale: "A private DNS zone answers only for the VNets linked to it; unlinked, its \
                private endpoint records are never used and clients resolve public addresses.",
    remediation: "Add a `vnet_link` block for every VNet whose clients reach the endpoints.",
    policy: &[],
    checkov: &[],
    applies: |k| k.body.block("vnet_link").is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    if r.body.blocks("vnet_link").next().is_none() {
        let name = ctx::shown(&r.body, "name").unwrap_or_else(|| r.name.clone());
        out.push(Hit::block(
            r,
            format!(
                "private DNS zone {} (`{name}`) is linked to no virtual network",
                r.address
            ),
        ));
    }
}
