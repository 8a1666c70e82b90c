//! AML-NET-002: a high-business-impact workspace whose managed network lets traffic out freely.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-NET-002",
    area: Area::Network,
    severity: Severity::High,
    title: "High-business-impact workspace without outbound isolation",
    rationale: "A workspace marked `high_business_impact` holds sensitive data; with isolation \
                `disabled` or `allow_internet_outbound`, any job or notebook can copy that data \
                to any host on the internet.",
    remediation: "Set `managed_network { isolation_mode = \"allow_only_approved_outbound\" }` and \
                  allow only the destinations the workspace needs with outbound rules.",
    policy: &[
        "Azure Machine Learning and Ai Studio should use Allow Only Approved Outbound Managed Vnet mode",
    ],
    checkov: &[],
    applies: |k| {
        k.body.block("managed_network").is_some() && k.body.attr("high_business_impact").is_some()
    },
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    if !ctx::high_business_impact(r) {
        return;
    }
    let Some(mode) = ctx::isolation_mode(r) else {
        return;
    };
    if mode == "allow_only_approved_outbound" {
        return;
    }
    let message = format!(
        "high-business-impact workspace {} has isolation mode `{mode}`, so data can leave for any internet host",
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
        None => Hit::attr(r, "high_business_impact", message),
    });
}
