//! ARM resource IDs of the manifest's resources, and the names of the resources amlplan
//! creates implicitly for a workspace.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::unknown::marker;
use crate::diagnostic::Diagnostic;
use crate::diagnostics::structure;
use crate::lang::value::{Value, format_number};
use crate::model::{Manifest, Resource};
use crate::schema::IdTemplate;
use crate::schema::descriptor::{collection_segment, last_segment};

/// The `azure` block: where resources go unless they say otherwise.
#[derive(Debug, Clone)]
pub(crate) struct Azure {
    pub subscription: String,
    pub resource_group: String,
    pub location: String,
    /// The Microsoft Entra tenant, if the manifest names it.
    pub tenant: Option<String>,
}

impl Azure {
    pub fn from_manifest(manifest: &Manifest, diags: &mut Vec<Diagnostic>) -> Azure {
        let get = |name: &str| {
            manifest
                .azure
                .as_ref()
                .and_then(|b| b.body.str(name))
                .map(str::to_string)
        };
        if manifest.azure.is_none() {
            diags.push(structure::missing_azure_block(None));
        }
        let mut required = |name: &str| {
            get(name).unwrap_or_else(|| {
                if let Some(block) = &manifest.azure {
                    diags.push(structure::azure_setting_unknown(name, block.header_span()));
                }
                marker().to_string()
            })
        };
        Azure {
            subscription: required("subscription_id"),
            resource_group: required("resource_group"),
            location: required("location"),
            tenant: get("tenant_id"),
        }
    }

    /// `/subscriptions/{sub}/resourceGroups/{rg}`.
    pub fn resource_group_id(&self, resource_group: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{resource_group}",
            self.subscription
        )
    }
}

/// The ARM ID of every resource, by address.
pub(crate) fn resolve(
    manifest: &Manifest,
    sources: &crate::source::Sources,
    azure: &Azure,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, String> {
    let mut resolver = Resolver {
        sources,
        by_address: manifest
            .resources
            .iter()
            .map(|r| (r.address.as_str(), r))
            .collect(),
        azure,
        ids: HashMap::with_capacity(manifest.resources.len()),
        diags,
    };
    for resource in &manifest.resources {
        resolver.id(&resource.address, 0);
    }
    resolver
        .ids
        .into_iter()
        .filter_map(|(address, id)| id.map(|id| (address, id)))
        .collect()
}

struct Resolver<'m, 'd> {
    sources: &'m crate::source::Sources,
    by_address: HashMap<&'m str, &'m Resource>,
    azure: &'m Azure,
    ids: HashMap<String, Option<String>>,
    diags: &'d mut Vec<Diagnostic>,
}

/// IDs nest at most a few levels (deployment, endpoint, workspace; an assignment's scope); a
/// deeper chain can only be a cycle, which the checker reports.
const MAX_DEPTH: usize = 16;

impl Resolver<'_, '_> {
    fn id(&mut self, address: &str, depth: usize) -> Option<String> {
        if let Some(id) = self.ids.get(address) {
            return id.clone();
        }
        if depth > MAX_DEPTH {
            return None;
        }
        let resource = *self.by_address.get(address)?;
        let id = self.compute(resource, depth);
        self.ids.insert(address.to_string(), id.clone());
        id
    }

    /// The ID by the kind's template: the segments come from the kind's ARM type.
    fn compute(&mut self, r: &Resource, depth: usize) -> Option<String> {
        let kind = r.schema;
        let name = &r.name;
        let id = match kind.id {
            IdTemplate::ResourceGroup => format!(
                "{}/providers/{}/{name}",
                self.resource_group(r),
                kind.arm_type
            ),
            IdTemplate::Child { parent } => format!(
                "{}/{}/{name}",
                self.parent_id(r, parent, depth)?,
                last_segment(kind.arm_type)
            ),
            IdTemplate::VersionedAsset {
                version,
                version_from,
                ..
            } => {
                let parent = self.parent_id(r, r.parent_attr().unwrap_or_default(), depth)?;
                let version = match r.body.value(version) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(n)) => format_number(n),
                    None => version_from
                        .and_then(|from| from(r, self.sources))
                        .unwrap_or_else(|| marker().to_string()),
                    _ => marker().to_string(),
                };
                format!(
                    "{parent}/{}/{name}/versions/{version}",
                    collection_segment(kind.arm_type)
                )
            }
            IdTemplate::Scoped {
                scope,
                name: derive,
                ..
            } => {
                let scope = self.scope_id(r, scope, depth)?;
                let name = derive(r, &scope, self.diags).unwrap_or_else(|| marker().to_string());
                format!("{scope}/providers/{}/{name}", kind.arm_type)
            }
        };
        Some(id)
    }

    fn resource_group(&self, r: &Resource) -> String {
        let rg = r
            .body
            .str("resource_group")
            .unwrap_or(&self.azure.resource_group);
        self.azure.resource_group_id(rg)
    }

    fn parent_id(&mut self, r: &Resource, attr: &str, depth: usize) -> Option<String> {
        match r.body.value(attr).and_then(Value::as_ref) {
            Some(reference) => Some(
                self.id(&reference.address, depth + 1)
                    .unwrap_or_else(|| marker().to_string()),
            ),
            None => {
                // The checker requires the attribute and its type, so a checked manifest
                // never gets here.
                self.diags
                    .push(crate::diagnostics::engine::lowering_without_parent(
                        &r.address,
                        attr,
                        r.header_span(),
                    ));
                None
            }
        }
    }

    /// A role assignment's scope: a referenced resource's ID, or the ARM ID string given.
    fn scope_id(&mut self, r: &Resource, attr: &str, depth: usize) -> Option<String> {
        match r.body.value(attr) {
            Some(Value::Ref(reference)) => match reference.attr.as_slice() {
                [] => Some(
                    self.id(&reference.address, depth + 1)
                        .unwrap_or_else(|| marker().to_string()),
                ),
                [one] if one == "id" => Some(
                    self.id(&reference.address, depth + 1)
                        .unwrap_or_else(|| marker().to_string()),
                ),
                _ => Some(marker().to_string()),
            },
            Some(Value::String(s)) => Some(s.trim_end_matches('/').to_string()),
            Some(_) => Some(marker().to_string()),
            None => {
                // Required by the checker: a checked manifest never gets here.
                self.diags
                    .push(crate::diagnostics::engine::lowering_without_parent(
                        &r.address,
                        attr,
                        r.header_span(),
                    ));
                None
            }
        }
    }
}

/// The Azure names of the resources amlplan creates for a workspace that does not name its
/// own storage account, key vault or Application Insights component.
///
/// Every name is derived from the workspace's name plus the first 8 hex digits of the
/// SHA-256 of `subscription|resource group|workspace name` (lowercased, as ARM compares them),
/// so the same workspace always gets the same names and workspaces of the same name in other
/// resource groups or subscriptions get different ones (storage account and key vault names
/// are global):
///
/// - storage account: the workspace name's letters and digits, lowercased, at most 16 of
///   them, then the hash (`fraud1a2b3c4d`): 3 to 24 lowercase letters and digits;
/// - key vault: `kv-`, the name as a slug (lowercase letters, digits and single hyphens) of at
///   most 12 characters, `-`, the hash: at most 24 characters, starting with a letter, ending
///   with a hex digit, no consecutive hyphens;
/// - Application Insights: `appi-{slug}-{hash}`;
/// - Log Analytics workspace: `log-{slug}-{hash}` (4 to 63 letters, digits and hyphens,
///   starting and ending with a letter or digit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplicitNames {
    pub storage_account: String,
    pub key_vault: String,
    pub application_insights: String,
    pub log_analytics: String,
}

pub fn implicit_names(subscription: &str, resource_group: &str, workspace: &str) -> ImplicitNames {
    let seed = format!("{subscription}|{resource_group}|{workspace}").to_ascii_lowercase();
    let digest = Sha256::digest(seed.as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let alnum: String = workspace
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .take(16)
        .collect();
    let with_slug = |prefix: &str, max: usize| {
        let slug = slug(workspace, max);
        if slug.is_empty() {
            format!("{prefix}-{hash}")
        } else {
            format!("{prefix}-{slug}-{hash}")
        }
    };
    ImplicitNames {
        storage_account: format!("{alnum}{hash}"),
        key_vault: with_slug("kv", 12),
        application_insights: with_slug("appi", 64),
        log_analytics: with_slug("log", 40),
    }
}

/// Lowercase letters and digits with single hyphens between runs of them, at most `max`
/// characters, not starting or ending with a hyphen.
fn slug(name: &str, max: usize) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(max);
    out.trim_end_matches('-').to_string()
}
