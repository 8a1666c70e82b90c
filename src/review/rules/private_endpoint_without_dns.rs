//! AML-NET-011: a private endpoint whose names no private DNS zone resolves.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-NET-011",
    area: Area::Network,
    severity: Severity::Medium,
    title: "Private endpoint without private DNS zones",
    rationale: "Without private DNS zones, the target's host names keep resolving to its public \
                address: clients either fail or silently go over the public endpoint.",
    remediation: "List the zones of the endpoint's group in `dns_zones` (`privatelink.api.azureml.ms` \
                  and `privatelink.notebooks.azure.net` for `amlworkspace`).",
    policy: &["Configure Azure Machine Learning workspace to use private DNS zones"],
    checkov: &[],
    applies: |k| k.body.attr("dns_zones").is_some() && k.body.attr("group").is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let zones = r.body.value("dns_zones");
    let empty = match zones {
        None => true,
        Some(v) => v.as_list().is_some_and(<[_]>::is_empty),
    };
    if empty {
        out.push(Hit::attr(
            r,
            "dns_zones",
            format!("private endpoint {} has no private DNS zones", r.address),
        ));
    }
}
