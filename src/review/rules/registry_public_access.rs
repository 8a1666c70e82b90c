//! AML-NET-017: a registry reachable from the public internet.

use super::prelude::*;

fn attr(k: &KindSchema) -> Option<&'static str> {
    fact(k, |f| match f {
        ReviewFact::PublicNetworkAccess(a) => Some(*a),
        _ => None,
    })
}

fn shares_assets(k: &KindSchema) -> bool {
    fact(k, |f| matches!(f, ReviewFact::SharesAssets).then_some(())).is_some()
}

pub static RULE: Rule = Rule {
    id: "AML-NET-017",
    area: Area::Network,
    severity: Severity::High,
    title: "Registry allows public network access",
    rationale: "A registry holds the models, environments and components that every workspace \
                using it deploys; reachable from the public internet, it can be read (and, with \
                a write role, changed) from outside every private network that uses it, so one \
                leaked credential reaches production models in every region.",
    remediation: "Set `public_network_access = false` and reach the registry through a \
                  `private_endpoint` (group `amlregistry`) from each network that uses it; \
                  workspaces with a managed network reach it through a private-endpoint \
                  outbound rule.",
    policy: &[],
    checkov: &[],
    applies: |k| attr(k).is_some() && shares_assets(k),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(a) = attr(r.schema) else { return };
    if bool_attr(&r.body, &r.schema.body, a) == Some(true) {
        let how = if r.body.attr(a).is_some() {
            ""
        } else {
            " (the default)"
        };
        out.push(Hit::attr(
            r,
            a,
            format!(
                "{} {} can be reached from the public internet{how}",
                r.kind(),
                r.address
            ),
        ));
    }
}
