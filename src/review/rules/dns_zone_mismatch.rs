//! AML-NET-012: a private endpoint whose DNS zones do not fit its group.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-NET-012",
    area: Area::Network,
    severity: Severity::Medium,
    title: "Private DNS zone does not fit the private endpoint's group",
    rationale: "Azure writes the endpoint's records into the zones it is given; a zone for \
                another service (or a missing one) leaves the target's names resolving publicly.",
    remediation: "Use the zones of the group: `privatelink.api.azureml.ms` and \
                  `privatelink.notebooks.azure.net` for `amlworkspace`, \
                  `privatelink.blob.core.windows.net` for `blob`, and so on.",
    policy: &["Configure Azure Machine Learning workspace to use private DNS zones"],
    checkov: &[],
    applies: |k| k.body.attr("dns_zones").is_some() && k.body.attr("group").is_some(),
    check,
};

/// The ARM type of the private endpoint's target.
fn target_type(r: &Resource, ctx: &Ctx<'_>) -> Option<String> {
    let target = r.body.value("target")?;
    match target.as_ref() {
        Some(reference) => ctx
            .resource(&reference.address)
            .map(|t| t.schema.arm_type.to_string()),
        None => crate::azure::arm_id::ArmId::parse(target.as_str()?)
            .ok()?
            .resource_type(),
    }
}

fn check(r: &Resource, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(group) = r.body.str("group") else {
        return;
    };
    let Some(ty) = target_type(r, ctx) else {
        return;
    };
    let expected = crate::azure::subresources::private_dns_zones(&ty, group);
    let zones = super::super::egress::dns_zones(ctx, r);
    if expected.is_empty() || zones.is_empty() {
        return;
    }
    let group = ctx::shown(&r.body, "group").unwrap_or_default();
    for (zone, hidden) in &zones {
        if !expected.iter().any(|e| e.eq_ignore_ascii_case(zone)) {
            let zone = if *hidden {
                crate::sensitive::SHOWN
            } else {
                zone.as_str()
            };
            out.push(Hit::attr(
                r,
                "dns_zones",
                format!(
                    "private endpoint {} lists zone `{zone}`, which does not serve group `{group}` (expected: {})",
                    r.address,
                    expected.join(", ")
                ),
            ));
        }
    }
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| !zones.iter().any(|(z, _)| z.eq_ignore_ascii_case(e)))
        .collect();
    if !missing.is_empty() {
        out.push(Hit::attr(
            r,
            "dns_zones",
            format!(
                "private endpoint {} for group `{group}` lacks the zone(s) {}",
                r.address,
                missing.join(", ")
            ),
        ));
    }
}
