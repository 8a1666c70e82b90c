//! The egress report: for each workspace, where traffic may go out to (and which rule allows
//! it), what the service adds by itself, how the workspace is reached, and a one-line verdict.

use super::ctx::{self, Ctx};
use crate::model::Resource;
use crate::schema::descriptor::ReviewFact;

#[derive(Debug, Clone, PartialEq)]
pub struct Egress {
    pub workspace: String,
    pub isolation_mode: String,
    /// What the manifest allows out, in manifest order.
    pub allowed: Vec<Allowed>,
    /// What the service allows by itself (`Required` rules), listed apart.
    pub required: Vec<Allowed>,
    pub inbound: Vec<Inbound>,
    pub verdict: String,
}

/// One outbound destination and what allows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Allowed {
    pub destination: String,
    /// `fqdn`, `private_endpoint`, `service_tag`, `address_prefixes` or `internet`.
    pub kind: &'static str,
    pub ports: Option<String>,
    /// The address of the outbound rule, deployment or compute that allows it, or the name
    /// of a service-added rule.
    pub rule: String,
}

/// One way into the workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbound {
    /// `public network access` or `private endpoint`.
    pub path: &'static str,
    /// The workspace (public access) or the private endpoint's address.
    pub via: String,
    /// The private DNS zones that resolve the endpoint's names.
    pub dns_zones: Vec<String>,
}

/// The report of every workspace (resources of a kind with a managed network), in manifest
/// order.
pub fn report(ctx: &Ctx<'_>) -> Vec<Egress> {
    let mut out: Vec<Egress> = ctx
        .manifest
        .resources
        .iter()
        .filter(|r| r.schema.body.block("managed_network").is_some())
        .map(|ws| workspace(ctx, ws))
        .collect();
    // Deployments and computes that reach the internet on their own, by their workspace.
    for r in &ctx.manifest.resources {
        let own_exit = ctx::fact(r.schema, |f| match f {
            ReviewFact::PublicEgress(a) => Some(("public egress", *a)),
            ReviewFact::NodePublicIp(a) => Some(("node public IP", *a)),
            _ => None,
        });
        let Some((what, attr)) = own_exit else {
            continue;
        };
        if ctx::bool_attr(&r.body, &r.schema.body, attr) != Some(true) {
            continue;
        }
        let root = ctx.root_of(r);
        if let Some(e) = out.iter_mut().find(|e| e.workspace == root.address) {
            e.allowed.push(Allowed {
                destination: format!("internet ({what})"),
                kind: "internet",
                ports: None,
                rule: r.address.clone(),
            });
        }
    }
    // Attached clusters leave by their own network, whatever the workspace's mode says.
    for r in &ctx.manifest.resources {
        if ctx::fact(r.schema, |f| {
            matches!(f, ReviewFact::OwnNetwork).then_some(())
        })
        .is_none()
        {
            continue;
        }
        let Some(ws) = ctx.referenced(r, "workspace") else {
            continue;
        };
        if let Some(e) = out.iter_mut().find(|e| e.workspace == ws.address) {
            e.allowed.push(Allowed {
                destination: "internet (the attached cluster's own network)".into(),
                kind: "internet",
                ports: None,
                rule: r.address.clone(),
            });
        }
    }
    for e in &mut out {
        e.verdict = verdict(e);
    }
    out
}

fn workspace(ctx: &Ctx<'_>, ws: &Resource) -> Egress {
    let mode = ctx::isolation_mode(ws)
        .unwrap_or(crate::arm::UNKNOWN_TEXT)
        .to_string();
    let mode_shown = ctx::isolation_mode_shown(ws);
    let mut allowed = Vec::new();
    let mut required = Vec::new();
    match mode.as_str() {
        "disabled" => allowed.push(Allowed {
            destination: "internet (not restricted by the workspace)".into(),
            kind: "internet",
            ports: None,
            rule: format!("{}.managed_network.isolation_mode", ws.address),
        }),
        "allow_internet_outbound" => allowed.push(Allowed {
            destination: "internet".into(),
            kind: "internet",
            ports: None,
            rule: format!("{}.managed_network.isolation_mode", ws.address),
        }),
        _ => {}
    }
    if mode != "disabled" {
        let schema = ctx::outbound_rule_schema(ws);
        for (block, address, _) in ctx::outbound_rules(ws) {
            let Some(schema) = schema else { break };
            if ctx::str_attr(&block.body, schema, "action") == Some("deny") {
                continue;
            }
            let text = |name: &str| ctx::shown(&block.body, name);
            let (kind, destination, ports) = match block.body.str("type") {
                Some("fqdn") => ("fqdn", text("destination"), None),
                Some("private_endpoint") => {
                    let target = block.body.value("resource_id").and_then(|v| {
                        v.as_ref()
                            .map(|r| r.address.clone())
                            .or_else(|| text("resource_id"))
                    });
                    let sub = text("subresource").unwrap_or_default();
                    (
                        "private_endpoint",
                        target.map(|t| format!("{t} ({sub})")),
                        None,
                    )
                }
                Some("service_tag") => match block.body.value("address_prefixes") {
                    Some(_) if ctx::is_sensitive(&block.body, "address_prefixes") => (
                        "address_prefixes",
                        Some(crate::sensitive::SHOWN.to_string()),
                        Some(text("ports").unwrap_or_else(|| "*".into())),
                    ),
                    Some(prefixes) => (
                        "address_prefixes",
                        prefixes.as_list().map(|l| {
                            l.iter()
                                .filter_map(|v| v.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }),
                        Some(text("ports").unwrap_or_else(|| "*".into())),
                    ),
                    None => (
                        "service_tag",
                        text("service_tag"),
                        Some(text("ports").unwrap_or_else(|| "*".into())),
                    ),
                },
                _ => continue,
            };
            allowed.push(Allowed {
                destination: destination.unwrap_or_else(|| "(known after apply)".into()),
                kind,
                ports,
                rule: address,
            });
        }
        required = required_rules(ctx, ws, &mode);
    }
    let mut inbound = Vec::new();
    let public = ctx::fact(ws.schema, |f| match f {
        ReviewFact::PublicNetworkAccess(a) => Some(*a),
        _ => None,
    })
    .and_then(|a| ctx::bool_attr(&ws.body, &ws.schema.body, a));
    if public == Some(true) {
        inbound.push(Inbound {
            path: "public network access",
            via: ws.address.clone(),
            dns_zones: Vec::new(),
        });
    }
    for pe in ctx.endpoints_to(&ws.address) {
        inbound.push(Inbound {
            path: "private endpoint",
            via: pe.address.clone(),
            dns_zones: dns_zone_names(ctx, pe),
        });
    }
    Egress {
        workspace: ws.address.clone(),
        isolation_mode: mode_shown,
        allowed,
        required,
        inbound,
        verdict: String::new(),
    }
}

/// The names of the DNS zones a private endpoint lists (a zone block's `name`, or the last
/// segment of a zone's ARM ID), each with whether it is sensitive (and must not be shown).
pub fn dns_zones(ctx: &Ctx<'_>, pe: &Resource) -> Vec<(String, bool)> {
    let Some(list) = pe.body.value("dns_zones").and_then(|v| v.as_list()) else {
        return Vec::new();
    };
    let listed_sensitive = ctx::is_sensitive(&pe.body, "dns_zones");
    list.iter()
        .filter_map(|v| match v.as_ref() {
            Some(reference) => ctx.resource(&reference.address).and_then(|z| {
                let name = z.body.str("name")?;
                Some((name.to_string(), ctx::is_sensitive(&z.body, "name")))
            }),
            None => v
                .as_str()
                .and_then(|id| id.rsplit('/').next())
                .map(|n| (n.to_string(), listed_sensitive)),
        })
        .collect()
}

/// [`dns_zones`] as shown: sensitive names as `(sensitive value)`.
pub fn dns_zone_names(ctx: &Ctx<'_>, pe: &Resource) -> Vec<String> {
    dns_zones(ctx, pe)
        .into_iter()
        .map(|(name, hidden)| {
            if hidden {
                crate::sensitive::SHOWN.to_string()
            } else {
                name
            }
        })
        .collect()
}

/// The `Required` rules the service adds, read from the lowered workspace (the storage
/// account, key vault and registry IDs it will have, implicit ones included).
fn required_rules(ctx: &Ctx<'_>, ws: &Resource, mode: &str) -> Vec<Allowed> {
    let mut out = Vec::new();
    let desired = ctx.desired(&ws.address);
    let body = desired.map(|d| &d.body);
    for (property, subresources) in crate::azure::managed_network::REQUIRED_PRIVATE_ENDPOINTS {
        let Some(target) = body
            .and_then(|b| b.pointer(&format!("/properties/{property}")))
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let path = format!("properties.{property}");
        let target = if desired.is_some_and(|d| d.sensitive.contains(&path)) {
            crate::sensitive::SHOWN
        } else {
            target
        };
        let name = target.rsplit('/').next().unwrap_or(target);
        for sub in *subresources {
            out.push(Allowed {
                destination: format!("{target} ({sub})"),
                kind: "private_endpoint",
                ports: None,
                rule: format!("__SYS_PE_{name}_{sub}"),
            });
        }
    }
    if mode == "allow_only_approved_outbound" {
        let location = body
            .and_then(|b| b.get("location"))
            .and_then(|v| v.as_str())
            .unwrap_or("global");
        for tag in crate::azure::managed_network::required_service_tags(location) {
            out.push(Allowed {
                rule: format!("__SYS_ST_{}", tag.replace('.', "_")),
                destination: tag,
                kind: "service_tag",
                ports: Some("443".into()),
            });
        }
    }
    out
}

/// One line: can data leave, and how the workspace is reached.
fn verdict(e: &Egress) -> String {
    let internet = e.allowed.iter().any(|a| a.kind == "internet");
    let broad = e.allowed.iter().any(|a| {
        a.destination.contains('*')
            || a.kind == "address_prefixes"
            || a.ports.as_deref() == Some("*")
    });
    let out = if internet {
        let via: Vec<&str> = e
            .allowed
            .iter()
            .filter(|a| a.kind == "internet")
            .map(|a| a.rule.as_str())
            .collect();
        format!(
            "open: outbound internet traffic is allowed ({})",
            via.join(", ")
        )
    } else if broad {
        format!(
            "restricted, with broad rules: {} approved destination(s), some matching many hosts",
            e.allowed.len()
        )
    } else {
        format!(
            "restricted: outbound only to {} approved destination(s) and {} the service requires",
            e.allowed.len(),
            e.required.len()
        )
    };
    let public = e.inbound.iter().any(|i| i.path == "public network access");
    let private = e
        .inbound
        .iter()
        .filter(|i| i.path == "private endpoint")
        .count();
    let inbound = match (public, private) {
        (true, _) => "inbound: public network access is on".to_string(),
        (false, 0) => "inbound: no path (public access off, no private endpoint)".to_string(),
        (false, n) => format!("inbound: private endpoints only ({n})"),
    };
    format!("{out}; {inbound}")
}
