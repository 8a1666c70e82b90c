//! AML-NET-016: a workspace (not marked high business impact) without approved-only outbound.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-NET-016",
    area: Area::Network,
    severity: Severity::Low,
    title: "Workspace does not restrict outbound traffic to approved destinations",
    rationale: "Without `allow_only_approved_outbound`, jobs, notebooks and endpoints in the \
                workspace can reach any host on the internet, which is the usual way data leaves.",
    remediation: "Set `managed_network { isolation_mode = \"allow_only_approved_outbound\" }` and \
                  add an outbound rule per destination the workspace needs.",
    policy: &[
        "Azure Machine Learning and Ai Studio should use Allow Only Approved Outbound Managed Vnet mode",
    ],
    checkov: &[],
    applies: |k| k.body.block("managed_network").is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    // A high-business-impact workspace is AML-NET-002's.
    if ctx::high_business_impact(r) {
        return;
    }
    let Some(mode) = ctx::isolation_mode(r) else {
        return;
    };
    if mode == "allow_only_approved_outbound" {
        return;
    }
    let message = format!(
        "workspace {} has isolation mode `{mode}`: outbound traffic is not limited to approved destinations",
        r.address
    );
    out.push(match r.body.block("managed_network") {
        Some(block) => Hit::nested(
            block,
            r.address.clone(),
            "managed_network".into(),
            "isolation_mode",
            message,
        ),
        None => Hit::block(r, message),
    });
}
