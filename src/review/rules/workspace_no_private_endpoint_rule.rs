//! AML-NET-015: an isolated managed network without a private-endpoint outbound rule.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-NET-015",
    area: Area::Network,
    severity: Severity::Info,
    title: "Managed network has no private-endpoint outbound rule",
    rationale: "With isolation on and no `private_endpoint` outbound rule, data sources beyond \
                the workspace's own storage are reached over public endpoints (through FQDN or \
                service-tag rules) rather than Private Link.",
    remediation: "Reach data stores through `outbound_rule` blocks of `type = \"private_endpoint\"`.",
    policy: &[],
    checkov: &["CKV_AZURE_243"],
    applies: |k| k.body.block("managed_network").is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(block) = r.body.block("managed_network") else {
        return;
    };
    if ctx::isolation_mode(r).is_none_or(|m| m == "disabled") {
        return;
    }
    let has_pe = ctx::outbound_rules(r)
        .iter()
        .any(|(b, _, _)| b.body.str("type") == Some("private_endpoint"));
    if !has_pe {
        out.push(Hit::nested(
            block,
            r.address.clone(),
            "managed_network".into(),
            "isolation_mode",
            format!(
                "the managed network of workspace {} has no private-endpoint outbound rule",
                r.address
            ),
        ));
    }
}
