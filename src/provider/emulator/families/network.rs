//! Private endpoints, private DNS zones, their virtual network links and record sets: the
//! network interface and connection states a private endpoint gets, a zone's record and link
//! counts and limits, a zone that cannot be deleted while links remain.

use serde_json::{Value, json};

use super::super::Emulator;
use super::super::path::ArmPath;
use super::super::response::err;
use super::super::shape::{Materialise, guid, props_mut};
use super::super::store::StoredResource;
use crate::provider::ArmError;

pub(super) fn materialise_private_endpoint(m: &Materialise<'_>, body: &mut Value) {
    let key = m.path.key();
    let sub = m.path.subscription().unwrap_or_default().to_string();
    let rg = m.path.resource_group().unwrap_or_default().to_string();
    let p = props_mut(body);
    p.insert(
        "networkInterfaces".into(),
        json!([{"id": format!(
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/{}.nic.{}",
            m.name,
            guid(&format!("{key}#nic"))
        )}]),
    );
    for list in [
        "privateLinkServiceConnections",
        "manualPrivateLinkServiceConnections",
    ] {
        let manual = list.starts_with("manual");
        if let Some(conns) = p.get_mut(list).and_then(Value::as_array_mut) {
            for c in conns {
                if let Some(cp) = c.get_mut("properties").and_then(Value::as_object_mut) {
                    cp.insert(
                        "privateLinkServiceConnectionState".into(),
                        if manual {
                            json!({"status": "Pending", "description": "Awaiting approval", "actionsRequired": "None"})
                        } else {
                            json!({"status": "Approved", "description": "Auto-Approved", "actionsRequired": "None"})
                        },
                    );
                }
            }
        }
    }
}

pub(super) fn materialise_zone(m: &Materialise<'_>, body: &mut Value) {
    let key = m.path.key();
    let p = props_mut(body);
    p.insert("maxNumberOfRecordSets".into(), json!(25_000));
    p.insert("maxNumberOfVirtualNetworkLinks".into(), json!(1_000));
    p.insert(
        "maxNumberOfVirtualNetworkLinksWithRegistration".into(),
        json!(100),
    );
    p.insert("internalId".into(), json!(guid(&format!("{key}#internal"))));
}

pub(super) fn materialise_link(_: &Materialise<'_>, body: &mut Value) {
    props_mut(body).insert("virtualNetworkLinkState".into(), json!("Completed"));
}

pub(super) fn materialise_record(m: &Materialise<'_>, body: &mut Value) {
    let zone = m.path.names.first().cloned().unwrap_or_default();
    let fqdn = if m.name == "@" {
        format!("{zone}.")
    } else {
        format!("{}.{zone}.", m.name)
    };
    let p = props_mut(body);
    p.insert("fqdn".into(), json!(fqdn));
    p.insert("isAutoRegistered".into(), json!(false));
}

impl Emulator {
    /// A zone reads with its record set and link counts (the SOA record counts).
    pub(super) fn read_zone(&self, stored: &StoredResource, body: &mut Value) {
        let prefix = format!("{}/", stored.id.to_ascii_lowercase());
        let (mut records, mut links, mut registering) = (1u64, 0u64, 0u64);
        for (k, r) in self.under(&prefix) {
            let rest = &k[prefix.len()..];
            if rest.matches('/').count() != 1 {
                continue;
            }
            if rest.starts_with("virtualnetworklinks/") {
                links += 1;
                if r.body
                    .pointer("/properties/registrationEnabled")
                    .and_then(Value::as_bool)
                    == Some(true)
                {
                    registering += 1;
                }
            } else {
                records += 1;
            }
        }
        if let Some(p) = body.get_mut("properties").and_then(Value::as_object_mut) {
            p.insert("numberOfRecordSets".into(), json!(records));
            p.insert("numberOfVirtualNetworkLinks".into(), json!(links));
            p.insert(
                "numberOfVirtualNetworkLinksWithRegistration".into(),
                json!(registering),
            );
        }
    }

    /// A zone with virtual network links cannot be deleted.
    pub(super) fn check_zone_delete(&self, path: &ArmPath) -> Result<(), ArmError> {
        let prefix = format!("{}/virtualnetworklinks/", path.key());
        if self.under(&prefix).next().is_some() {
            return Err(err(
                409,
                "Conflict",
                &format!(
                    "Cannot delete private DNS zone '{}' while it has virtual network links; delete the links first.",
                    path.name()
                ),
            ));
        }
        Ok(())
    }
}
