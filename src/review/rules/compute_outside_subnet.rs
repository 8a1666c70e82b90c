//! AML-NET-010: a compute outside any subnet, in a workspace without managed isolation.

use super::prelude::*;

fn attr(f: &ReviewFact) -> Option<&'static str> {
    match f {
        ReviewFact::Subnet(a) => Some(*a),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-NET-010",
    area: Area::Network,
    severity: Severity::Medium,
    title: "Compute is in no virtual network",
    rationale: "A compute without a subnet, in a workspace without managed-network isolation, \
                runs in Azure's default network: nothing you control filters its traffic.",
    remediation: "Set `subnet` to a subnet of your VNet, or give the workspace a \
                  `managed_network` with isolation on.",
    policy: &["Azure Machine Learning Computes should be in a virtual network"],
    checkov: &[],
    applies: |k| fact(k, attr).is_some(),
    check,
};

fn check(r: &Resource, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(a) = fact(r.schema, attr) else {
        return;
    };
    if r.body.attr(a).is_some() {
        return;
    }
    let Some(workspace) = r.parent_address().and_then(|p| ctx.resource(p)) else {
        return;
    };
    if ctx::isolation_mode(workspace) == Some("disabled") {
        out.push(Hit::block(
            r,
            format!(
                "{} {} has no subnet, and workspace {} has no managed-network isolation",
                r.kind(),
                r.address,
                workspace.address
            ),
        ));
    }
}
