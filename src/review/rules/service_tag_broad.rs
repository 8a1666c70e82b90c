//! AML-NET-005: a service-tag outbound rule with a broad tag, all ports or raw addresses.

use super::prelude::*;

/// Tags that cover many owners' resources, or the whole internet.
const BROAD_TAGS: &[&str] = &[
    "Internet",
    "AzureCloud",
    "VirtualNetwork",
    "Storage",
    "Sql",
    "AzureCosmosDB",
    "EventHub",
    "ServiceBus",
    "AzureKeyVault",
    "DataFactory",
    "AppService",
];

pub static RULE: Rule = Rule {
    id: "AML-NET-005",
    area: Area::Network,
    severity: Severity::Medium,
    title: "Service-tag outbound rule is broad",
    rationale: "A service tag without a region (`Storage`, `AzureCloud`) covers every customer's \
                resources of that service; all ports or raw address prefixes open paths no \
                one can tell apart from exfiltration.",
    remediation: "Use a regional tag (`Storage.eastus`), a single port (`443`), or a \
                  `private_endpoint` rule to the one resource needed.",
    policy: &[],
    checkov: &[],
    applies: |k| k.body.block("managed_network").is_some(),
    check,
};

fn all_ports(ports: Option<&str>) -> bool {
    match ports.map(str::trim) {
        None => true,
        Some(p) => matches!(p, "*" | "0-65535" | "1-65535" | ""),
    }
}

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(schema) = ctx::outbound_rule_schema(r) else {
        return;
    };
    for (block, address, path) in ctx::outbound_rules(r) {
        if block.body.str("type") != Some("service_tag")
            || str_attr(&block.body, schema, "action") == Some("deny")
        {
            continue;
        }
        if block.body.attr("address_prefixes").is_some() {
            out.push(Hit::nested(
                block,
                address.clone(),
                path.clone(),
                "address_prefixes",
                "outbound rule allows raw address prefixes, not a service".into(),
            ));
        } else if let Some(tag) = block.body.str("service_tag")
            && BROAD_TAGS.iter().any(|t| t.eq_ignore_ascii_case(tag))
        {
            out.push(Hit::nested(
                block,
                address.clone(),
                path.clone(),
                "service_tag",
                format!(
                    "outbound rule allows the service tag `{}`, which covers every owner's resources",
                    ctx::shown(&block.body, "service_tag").unwrap_or_default()
                ),
            ));
        }
        let ports = block.body.value("ports");
        if ports.is_some_and(|p| p.is_unknown()) {
            continue;
        }
        if all_ports(ports.and_then(|p| p.as_str())) {
            out.push(Hit::nested(
                block,
                address,
                path,
                "ports",
                "outbound rule allows all ports".into(),
            ));
        }
    }
}
