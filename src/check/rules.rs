//! Rules that span more than one attribute or more than one resource: scaling bounds,
//! endpoint traffic, managed-network outbound rules, private-link sub-resources and
//! deprecated settings. The schema tables cannot express these; each is a small function.

use std::collections::HashMap;

use crate::azure::{arm_id, names, subresources};
use crate::diagnostic::Diagnostics;
use crate::diagnostics::{constraints, structure, values};
use crate::lang::value::{Value, format_float};
use crate::model::{Attr, Block, Body, Manifest, Resource};
use crate::source::{Sources, Span};

/// What the kinds' checks may read besides the resource they check.
pub struct RuleCtx<'m> {
    /// [`Manifest::children_by_parent`], built once.
    children: HashMap<&'m str, Vec<&'m Resource>>,
    /// Every resource instance by its address, for rules that read the resource another
    /// one refers to (a compute's workspace).
    resources: HashMap<&'m str, &'m Resource>,
    /// The `azure` block's region, where a resource without its own `location` goes.
    default_location: Option<&'m str>,
    /// Every file read so far, the YAML documents the manifest names among them.
    sources: &'m Sources,
}

impl RuleCtx<'_> {
    /// The YAML document a file attribute names (`documents::load` read it), with its
    /// file ID for spans.
    pub fn document(&self, attr: &Attr) -> Option<(crate::source::FileId, &str)> {
        let path = attr.value.as_str()?;
        let (full, _) = super::documents::resolve(self.sources, attr.span, path);
        let id = self.sources.find(&full)?;
        Some((id, self.sources.get(id).text.as_str()))
    }

    /// The text of a file read in this run.
    pub fn source_text(&self, file: crate::source::FileId) -> &str {
        self.sources.get(file).text.as_str()
    }

    /// Every resource instance of the manifest (in no particular order).
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.resources.values().copied()
    }

    /// The resource instance at `address`, if it is in the manifest.
    pub fn resource(&self, address: &str) -> Option<&Resource> {
        self.resources.get(address).copied()
    }

    /// The resources whose ARM parent is the resource at `address`, in the manifest's order.
    pub fn children(&self, address: &str) -> &[&Resource] {
        self.children.get(address).map_or(&[][..], Vec::as_slice)
    }

    /// The resource that `resource`'s attribute `attr` refers to as a whole (not to an
    /// attribute of it), if it is in the manifest.
    pub fn referenced(&self, resource: &Resource, attr: &str) -> Option<&Resource> {
        let target = resource.body.value(attr).and_then(Value::as_ref)?;
        if !target.attr.is_empty() {
            return None;
        }
        self.resources.get(target.address.as_str()).copied()
    }

    /// Where `resource`'s region comes from, as the lowering decides it: its own `location`
    /// (the attribute), else its parent's, else the `azure` block's (no attribute). `None`
    /// when it is not known here.
    fn location<'a>(&'a self, resource: &'a Resource) -> Option<(&'a str, Option<&'a Attr>)> {
        if let Some(attr) = resource.body.attr("location") {
            return attr.value.as_str().map(|l| (l, Some(attr)));
        }
        match resource
            .parent_address()
            .and_then(|p| self.resources.get(p))
        {
            Some(parent) => self.location(parent),
            None => self.default_location.map(|l| (l, None)),
        }
    }
}

/// Runs every resource's kind checks (its descriptor's `checks`) and the checks every kind
/// shares (a user-assigned identity names its identities).
pub fn check(manifest: &Manifest, sources: &Sources, diags: &mut Diagnostics) {
    let children = manifest.children_by_parent();
    let resources = manifest
        .resources
        .iter()
        .map(|r| (r.address.as_str(), r))
        .collect();
    let default_location = manifest
        .azure
        .as_ref()
        .and_then(|azure| azure.body.str("location"));
    let ctx = RuleCtx {
        children,
        resources,
        default_location,
        sources,
    };
    for resource in &manifest.resources {
        if let Some(identity) = resource.body.block("identity") {
            check_identity(identity, diags);
        }
        for check in resource.schema.checks {
            check(resource, &ctx, diags);
        }
    }
}

/// A compute cluster's `min_nodes` is at most its `max_nodes`.
pub fn check_nodes(resource: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    check_min_max(&resource.body, "min_nodes", "max_nodes", diags);
}

/// An online deployment's `scale` block has `min_instances` at most `max_instances`.
pub fn check_instances(resource: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    if let Some(scale) = resource.body.block("scale") {
        check_min_max(&scale.body, "min_instances", "max_instances", diags);
    }
}

/// An online endpoint's traffic names its own deployments and sums correctly.
pub fn check_traffic(endpoint: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    traffic(endpoint, ctx.children(&endpoint.address), diags);
}

/// A compute's network: a custom subnet only where the workspace has no managed network
/// (Azure ML runs a managed network's computes in that network; see
/// `schema::compute_cluster` for the source), and nodes without public IPs only where there
/// is a subnet or a managed network to reach Azure through.
pub fn check_compute_network(compute: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(workspace) = ctx.referenced(compute, "workspace") else {
        return;
    };
    let network = workspace.body.block("managed_network");
    let isolation_attr = network.and_then(|n| n.body.attr("isolation_mode"));
    let isolation = match isolation_attr {
        Some(attr) => match attr.value.as_str() {
            Some(mode) => mode,
            // Known only later: nothing to say.
            None => return,
        },
        None => "disabled",
    };
    let managed = isolation != "disabled";
    let subnet = compute.body.attr("subnet").filter(|a| !a.value.is_null());
    if let Some(subnet) = subnet
        && managed
    {
        diags.push(constraints::subnet_under_managed_network(
            &compute.address,
            &workspace.address,
            isolation,
            subnet.span,
            isolation_attr.map(|a| a.span),
        ));
    }
    // Only where written: the default (false) without a network is a question of the
    // default itself, not of this manifest.
    let explicit_no_public_ip = compute
        .body
        .attr("node_public_ip")
        .filter(|a| a.value.as_bool() == Some(false));
    if let Some(public_ip) = explicit_no_public_ip
        && subnet.is_none()
        && !managed
    {
        diags.push(constraints::no_public_ip_without_network(
            &compute.address,
            &workspace.address,
            public_ip.span,
        ));
    }
}

/// An endpoint or deployment lives in its workspace's region: its own `location`, where
/// written, must be its parent's (ARM refuses another; see `schema::online_endpoint`).
pub fn check_same_region(resource: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(own) = resource.body.attr("location") else {
        return;
    };
    let Some(location) = own.value.as_str() else {
        return;
    };
    let Some(parent) = resource.parent_address().and_then(|p| ctx.resources.get(p)) else {
        return;
    };
    let Some((parent_location, set_at)) = ctx.location(parent) else {
        return;
    };
    let region = |l: &str| l.replace(' ', "").to_ascii_lowercase();
    if region(location) != region(parent_location) {
        diags.push(constraints::location_differs_from_parent(
            &resource.address,
            location,
            own.span,
            &parent.address,
            parent_location,
            set_at.map(|a| a.span),
        ));
    }
}

fn check_min_max(body: &Body, min: &str, max: &str, diags: &mut Diagnostics) {
    let (Some(lo), Some(hi)) = (body.attr(min), body.attr(max)) else {
        return;
    };
    let (Some(l), Some(h)) = (lo.value.as_f64(), hi.value.as_f64()) else {
        return;
    };
    if l > h {
        diags.push(constraints::min_above_max(
            min,
            &format_float(l),
            lo.span,
            max,
            &format_float(h),
            hi.span,
        ));
    }
}

/// A user-assigned identity type needs the identities to assign.
fn check_identity(identity: &Block, diags: &mut Diagnostics) {
    let Some(type_attr) = identity.body.attr("type") else {
        return;
    };
    let Some(kind) = type_attr.value.as_str() else {
        return;
    };
    let needs_ids = matches!(kind, "user_assigned" | "system_and_user_assigned");
    let has_ids = identity
        .body
        .value("user_assigned_ids")
        .is_some_and(|v| !matches!(v, Value::List(l) if l.is_empty()));
    if needs_ids && !has_ids {
        diags.push(structure::user_assigned_ids_missing(kind, type_attr.span));
    }
}

pub fn check_priority(resource: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(attr) = resource.body.attr("priority") else {
        return;
    };
    if attr.value.as_str() == Some("low_priority") {
        diags.push(constraints::low_priority_retired(attr.span));
    }
}

fn traffic(endpoint: &Resource, deployments: &[&Resource], diags: &mut Diagnostics) {
    for (attr_name, limit) in [("traffic", None), ("mirror_traffic", Some(50.0))] {
        let Some(attr) = endpoint.body.attr(attr_name) else {
            continue;
        };
        let Value::Map(map) = &attr.value else {
            continue;
        };
        for key in map.keys() {
            if !deployments.iter().any(|r| r.name == *key) {
                let names: Vec<&str> = deployments.iter().map(|r| r.name.as_str()).collect();
                let mut d = constraints::traffic_unknown_deployment(
                    attr_name,
                    key,
                    &endpoint.address,
                    &names,
                    attr.span,
                );
                if attr.sensitive {
                    // Neither the key nor the deployment names closest to it.
                    d = crate::sensitive::hide(d, &attr.value);
                    d.help = None;
                }
                diags.push(d);
            }
        }
        let share = |v: &Value| {
            v.as_f64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        };
        if map.values().any(|v| share(v).is_none()) {
            continue;
        }
        let sum: f64 = map.values().filter_map(share).sum();
        match limit {
            None if !map.is_empty() && sum != 100.0 => {
                diags.push(constraints::traffic_sum(&format_float(sum), attr.span))
            }
            Some(limit) if sum > limit => diags.push(constraints::mirror_traffic_sum(
                &format_float(sum),
                attr.span,
            )),
            _ => {}
        }
    }
}

pub fn check_managed_network(workspace: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(network) = workspace.body.block("managed_network") else {
        return;
    };
    let isolation = network.body.str("isolation_mode").unwrap_or("disabled");
    let isolation_span = network.body.attr("isolation_mode").map(|a| a.span);
    for rule in network.body.blocks("outbound_rule") {
        if let Some((label, span)) = rule.labels.first()
            && let Err(e) = names::check_name(names::NameRule::OutboundRule, label)
        {
            diags.push(values::invalid_outbound_rule_name(
                label,
                &e,
                names::describe(names::NameRule::OutboundRule),
                *span,
            ));
        }
        check_outbound_rule(rule, isolation, isolation_span, network, diags);
    }
}

/// Which attributes belong to which outbound rule type.
const RULE_FIELDS: &[(&str, &[&str], &[&str])] = &[
    ("fqdn", &["destination"], &["destination"]),
    (
        "private_endpoint",
        &["resource_id", "subresource"],
        &["resource_id", "subresource", "spark"],
    ),
    (
        "service_tag",
        &[],
        &[
            "service_tag",
            "protocol",
            "ports",
            "address_prefixes",
            "action",
        ],
    ),
];

fn check_outbound_rule(
    rule: &Block,
    isolation: &str,
    isolation_span: Option<Span>,
    network: &Block,
    diags: &mut Diagnostics,
) {
    let Some(type_attr) = rule.body.attr("type") else {
        return;
    };
    let Some(rule_type) = type_attr.value.as_str() else {
        return;
    };
    let Some((_, required, allowed)) = RULE_FIELDS.iter().find(|(t, _, _)| *t == rule_type) else {
        return;
    };
    let label = rule.label().unwrap_or_default();
    for field in *required {
        if !rule.body.attrs.contains_key(*field) {
            diags.push(constraints::outbound_rule_missing(
                rule_type,
                field,
                rule.header_span(),
                type_attr.span,
            ));
        }
    }
    if rule_type == "service_tag"
        && !rule.body.attrs.contains_key("service_tag")
        && !rule.body.attrs.contains_key("address_prefixes")
    {
        diags.push(constraints::service_tag_rule_without_destination(
            rule.header_span(),
            type_attr.span,
        ));
    }
    for attr in rule.body.attrs.values() {
        if attr.name == "type" || allowed.contains(&attr.name.as_str()) {
            continue;
        }
        let owner = RULE_FIELDS
            .iter()
            .find(|(_, _, a)| a.contains(&attr.name.as_str()))
            .map(|(t, _, _)| *t);
        if let Some(owner) = owner {
            diags.push(constraints::outbound_rule_foreign_attribute(
                &attr.name,
                owner,
                label,
                rule_type,
                attr.key_span,
                type_attr.span,
            ));
        }
    }
    if rule_type == "fqdn" && isolation != "allow_only_approved_outbound" {
        diags.push(constraints::fqdn_rule_needs_approved_outbound(
            label,
            type_attr.span,
            isolation_span.map(|span| (isolation, span)),
            network.header_span(),
        ));
    }
    if rule_type == "service_tag" {
        if let Some(ports) = rule.body.attr("ports")
            && let Some(text) = ports.value.as_str()
            && let Err(e) = check_ports(text)
        {
            diags.push(constraints::invalid_port_range(
                &format!("{text:?}"),
                &e,
                ports.span,
            ));
        }
        if let Some(tag) = rule.body.attr("service_tag")
            && let Some(text) = tag.value.as_str()
            && !subresources::is_known_service_tag(text)
        {
            diags.push(constraints::unknown_service_tag(
                text,
                tag.span,
                subresources::SERVICE_TAGS.iter().copied(),
            ));
        }
    }
    if rule_type == "private_endpoint"
        && let Some(sub) = rule.body.attr("subresource")
        && let Some(sub_text) = sub.value.as_str()
        && let Some(target_type) = rule.body.value("resource_id").and_then(target_type)
    {
        check_subresource(&target_type, sub_text, sub.span, diags);
    }
}

/// The ARM type of a private-link target: a reference to one of our blocks or an ID string.
fn target_type(value: &Value) -> Option<String> {
    match value {
        Value::Ref(r) if r.attr.is_empty() || r.attr == ["id"] => {
            crate::schema::kind(&r.kind).map(|k| k.arm_type.to_string())
        }
        Value::String(s) => arm_id::ArmId::parse(s)
            .ok()
            .and_then(|id| id.resource_type()),
        _ => None,
    }
}

fn check_subresource(target_type: &str, sub: &str, span: Span, diags: &mut Diagnostics) {
    let Some(valid) = subresources::valid_subresources(target_type) else {
        return;
    };
    if valid.iter().any(|v| v.eq_ignore_ascii_case(sub)) {
        return;
    }
    diags.push(constraints::invalid_subresource(
        sub,
        target_type,
        valid,
        span,
    ));
}

pub fn check_private_endpoint_group(resource: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(group) = resource.body.attr("group") else {
        return;
    };
    let Some(text) = group.value.as_str() else {
        return;
    };
    let Some(target) = resource.body.value("target").and_then(target_type) else {
        return;
    };
    check_subresource(&target, text, group.span, diags);
}

/// Port syntax of a service-tag rule: `*`, a port, a range, or a comma-separated list.
pub fn check_ports(text: &str) -> Result<(), String> {
    if text.trim() == "*" {
        return Ok(());
    }
    let port = |p: &str| -> Result<u32, String> {
        let n: u32 = p
            .trim()
            .parse()
            .map_err(|_| format!("`{}` is not a port number", p.trim()))?;
        if (1..=65535).contains(&n) {
            Ok(n)
        } else {
            Err(format!("port {n} is outside 1-65535"))
        }
    };
    if text.trim().is_empty() {
        return Err("no ports given".into());
    }
    for part in text.split(',') {
        match part.split_once('-') {
            Some((lo, hi)) => {
                let (lo, hi) = (port(lo)?, port(hi)?);
                if lo > hi {
                    return Err(format!("range {lo}-{hi} is backwards"));
                }
            }
            None => {
                port(part)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_ports;

    #[test]
    fn ports() {
        assert!(check_ports("443").is_ok());
        assert!(check_ports("80,443").is_ok());
        assert!(check_ports("1000-2000").is_ok());
        assert!(check_ports("*").is_ok());
        assert!(check_ports("0").is_err());
        assert!(check_ports("70000").is_err());
        assert!(check_ports("2000-1000").is_err());
        assert!(check_ports("http").is_err());
        assert!(check_ports("").is_err());
    }
}
