//! The emulator's code per type family, for what the type's
//! [`ArmSemantics`](crate::schema::ArmSemantics) cannot say as data. The family comes from the
//! descriptors ([`Family`], looked up by the request's ARM type in `types`); this module is the
//! one place that dispatches on it, each family's code is in its own file.

mod asset;
mod budget;
pub(crate) mod code;
mod compute;
mod endpoint;
mod key_vault;
mod network;
mod role_assignment;
mod schedule;
mod workspace;

use serde_json::Value;

use super::path::ArmPath;
use super::response::err;
use super::shape::Materialise;
use super::store::StoredResource;
use super::{Emulator, Outcome};
use crate::provider::{ArmError, ArmRequest};
use crate::schema::semantics::Family;

fn invalid_name(name: &str, rule: &str) -> ArmError {
    err(
        400,
        "InvalidResourceName",
        &format!("The resource name '{name}' is invalid: {rule}."),
    )
}

/// A non-empty string property of `properties`.
fn prop<'a>(body: &'a Value, p: &str) -> Option<&'a str> {
    body.get("properties")
        .and_then(|x| x.get(p))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// ARM's name rule of the family, checked before anything else of a PUT.
pub(crate) fn validate_name(family: Family, path: &ArmPath) -> Result<(), ArmError> {
    match family {
        Family::Workspace | Family::OutboundRule => workspace::validate_name(path.name()),
        Family::Compute => compute::validate_name(path.name()),
        _ => Ok(()),
    }
}

/// The properties a PUT body of the family needs (after the name and `location`).
pub(crate) fn validate_body(family: Family, path: &ArmPath, body: &Value) -> Result<(), ArmError> {
    match family {
        Family::Workspace => workspace::validate_workspace(body),
        Family::OutboundRule => workspace::validate_rule(body),
        Family::RoleAssignment => role_assignment::validate(path, body),
        Family::OnlineDeployment => endpoint::validate_deployment(body),
        Family::Budget => budget::validate(body),
        Family::Schedule => schedule::validate(body),
        Family::Compute => compute::validate(body),
        _ => Ok(()),
    }
}

/// Whether a stored body of the family always has `properties` (a private DNS zone and a
/// resource group may go without).
pub(crate) fn has_properties(family: Family) -> bool {
    !matches!(family, Family::DnsZone | Family::ResourceGroup)
}

/// Whether the family reports `properties.provisioningState` even where the request had no
/// `properties` (a private DNS zone).
pub(crate) fn always_reports_state(family: Family) -> bool {
    family == Family::DnsZone
}

/// The family's defaults and rewrites of a request body, after the generic ones.
pub(crate) fn normalise(family: Family, path: &ArmPath, body: &mut Value) {
    match family {
        Family::Workspace => workspace::normalise_workspace(body),
        Family::OutboundRule => workspace::normalise_rule(body),
        Family::Compute => compute::normalise(body),
        Family::OnlineEndpoint => endpoint::normalise_online(body),
        Family::RoleAssignment => role_assignment::normalise(path, body),
        Family::KeyVault => key_vault::normalise(body),
        _ => {}
    }
}

/// The fields the service of the family populates.
pub(crate) fn materialise(family: Family, m: &Materialise<'_>, body: &mut Value) {
    match family {
        Family::Workspace => workspace::materialise_workspace(m, body),
        Family::Compute => compute::materialise(m, body),
        Family::OnlineEndpoint => endpoint::materialise(m, body, true),
        Family::BatchEndpoint => endpoint::materialise(m, body, false),
        Family::EnvironmentVersion => asset::materialise_environment(m, body),
        Family::PrivateEndpoint => network::materialise_private_endpoint(m, body),
        Family::DnsZone => network::materialise_zone(m, body),
        Family::VnetLink => network::materialise_link(m, body),
        Family::DnsRecord => network::materialise_record(m, body),
        Family::RoleAssignment => role_assignment::materialise(m, body),
        _ => {}
    }
}

/// Changes of an existing resource the family refuses beyond its create-only properties
/// (normalised bodies, the stored one and the incoming one).
pub(crate) fn transition(
    family: Family,
    path: &ArmPath,
    old: &Value,
    new: &Value,
) -> Option<ArmError> {
    match family {
        Family::Workspace => workspace::transition(old, new),
        Family::AssetVersion | Family::EnvironmentVersion | Family::CodeVersion => {
            asset::version_change(path, old, new)
        }
        _ => None,
    }
}

/// What a long-running POST action on a resource of the family is.
pub(crate) enum Action {
    /// Answered at once.
    Answered(Outcome),
    /// A long-running operation, applied when it completes.
    LongRunning,
    /// The family has no such action.
    Unsupported,
}

impl Emulator {
    /// The parent a PUT of `path` needs to exist, if any (an asset version registers its
    /// container; a role assignment's outside scope needs nothing).
    pub(crate) fn required_parent(&self, family: Family, path: &ArmPath) -> Option<ArmPath> {
        let parent = path.parent()?;
        match family {
            Family::AssetVersion | Family::EnvironmentVersion | Family::CodeVersion => {
                let exists = self.state.resources.contains_key(&parent.key());
                asset::parent_to_check(path, exists)
            }
            Family::RoleAssignment if self.scope_is_outside(&parent) => None,
            _ => Some(parent),
        }
    }

    /// What refuses a PUT before it is stored (a soft-deleted workspace's or vault's name).
    pub(crate) fn before_put(
        &self,
        family: Family,
        path: &ArmPath,
        request: &Value,
    ) -> Result<(), ArmError> {
        match family {
            Family::Workspace => self.check_soft_deleted(path),
            Family::KeyVault => self.check_deleted_vault(path, request),
            _ => Ok(()),
        }
    }

    /// Rules of a PUT that depend on other resources.
    pub(crate) fn check_family(
        &self,
        family: Family,
        path: &ArmPath,
        existing: Option<&StoredResource>,
        body: &Value,
    ) -> Result<(), ArmError> {
        match family {
            Family::Workspace => self.check_workspace(path, existing, body),
            Family::OutboundRule => self.check_rule(path),
            Family::Compute => self.check_compute(path, body),
            Family::OnlineEndpoint => {
                self.check_parent_region(path, body)?;
                self.check_traffic(path, body)
            }
            Family::BatchEndpoint => {
                self.check_parent_region(path, body)?;
                self.check_batch_defaults(path, body)
            }
            Family::OnlineDeployment => {
                self.check_parent_region(path, body)?;
                self.check_code_reference(body)
            }
            Family::CodeVersion => self.check_code_version(body),
            Family::RoleAssignment => self.check_role_assignment(path, body),
            _ => Ok(()),
        }
    }

    /// What GET adds to a stored body of the family (computed on read).
    pub(crate) fn read_family(
        &self,
        family: Family,
        path: &ArmPath,
        stored: &StoredResource,
        body: &mut Value,
    ) {
        match family {
            Family::Workspace => self.read_workspace(stored, body),
            Family::OutboundRule => self.read_rule(path, body),
            Family::DnsZone => self.read_zone(stored, body),
            _ => {}
        }
    }

    /// What a LIST of the collection at `collection` shows besides the stored resources.
    pub(crate) fn listed_family(&self, child_family: Family, collection: &ArmPath) -> Vec<Value> {
        match child_family {
            Family::OutboundRule => self.listed_rules(collection),
            _ => Vec::new(),
        }
    }

    /// What happens to a PUT body after it is stored (a workspace's inline outbound rules).
    pub(crate) fn after_put(
        &mut self,
        family: Family,
        key: &str,
        id: &str,
        api_version: &str,
        request: &Value,
    ) {
        if family == Family::KeyVault {
            self.after_put_vault(key);
        }
        if family == Family::Workspace
            && let Some(rules) = request
                .pointer("/properties/managedNetwork/outboundRules")
                .filter(|v| v.is_object())
        {
            self.apply_inline_rules(key, id, api_version, rules);
        }
    }

    /// A DELETE of a resource that is not stored: `None` for the usual 204.
    pub(crate) fn delete_missing(
        &mut self,
        family: Family,
        req: &ArmRequest,
        path: &ArmPath,
        purge: bool,
    ) -> Option<Outcome> {
        match family {
            Family::Workspace => self.delete_missing_workspace(req, path, purge),
            Family::OutboundRule => self.delete_missing_rule(path),
            _ => None,
        }
    }

    /// What refuses a DELETE of an existing resource.
    pub(crate) fn before_delete(
        &self,
        family: Family,
        req: &ArmRequest,
        path: &ArmPath,
    ) -> Result<(), ArmError> {
        match family {
            Family::Compute => compute::before_delete(req),
            Family::OnlineDeployment => self.check_deployment_delete(path),
            Family::DnsZone => self.check_zone_delete(path),
            _ => Ok(()),
        }
    }

    /// What removing a resource does beyond removing it and its descendants: a workspace is
    /// soft-deleted unless purged.
    pub(crate) fn after_remove(
        &mut self,
        family: Family,
        key: &str,
        path: &ArmPath,
        stored: StoredResource,
        purge: bool,
    ) {
        match family {
            Family::Workspace if !purge => workspace::soft_delete(self, key, stored),
            Family::KeyVault => key_vault::soft_delete(self, key, stored),
            Family::OnlineDeployment => self.after_remove_deployment(path),
            _ => {}
        }
    }

    /// What finishing a create does beyond `Succeeded`.
    pub(crate) fn after_create(&mut self, family: Family, key: &str, path: &ArmPath) {
        match family {
            Family::Workspace => self.after_create_workspace(key),
            Family::Compute => self.after_create_compute(path),
            _ => {}
        }
    }

    /// The POST action `action` (lower-cased) on the resource at `owner_key`.
    pub(crate) fn action(
        &self,
        family: Family,
        owner_key: &str,
        action: &str,
    ) -> Result<Action, ArmError> {
        let long_running = match family {
            Family::Workspace => self.workspace_action(owner_key, action)?,
            Family::Compute => compute::is_action(action),
            Family::OnlineEndpoint | Family::BatchEndpoint => {
                let online = family == Family::OnlineEndpoint;
                if let Some(answer) = self.endpoint_action(owner_key, action, online) {
                    return Ok(Action::Answered(answer));
                }
                endpoint::is_action(action)
            }
            _ => false,
        };
        Ok(if long_running {
            Action::LongRunning
        } else {
            Action::Unsupported
        })
    }

    /// Applies a finished long-running action.
    pub(crate) fn apply_action(
        &mut self,
        family: Family,
        key: &str,
        name: &str,
        body: Option<&Value>,
    ) {
        match family {
            Family::Workspace => self.apply_workspace_action(key, name, body),
            Family::Compute => self.apply_compute_action(key, name, body),
            _ => {}
        }
    }

    /// The body of a finished action's `Location` poll, if it has one.
    pub(crate) fn action_result(&self, family: Family, key: &str, name: &str) -> Option<Value> {
        match family {
            Family::Workspace => self.workspace_action_result(key, name),
            _ => None,
        }
    }
}

/// Whether a LIST with `listViewType` (`ActiveOnly` when absent, `ArchivedOnly`, `All`) shows
/// `item`: archived asset versions are hidden by default, as Azure ML hides them.
pub(crate) fn listed_in_view(family: Family, view: Option<&str>, item: &Value) -> bool {
    match family {
        Family::AssetVersion | Family::EnvironmentVersion | Family::CodeVersion => {
            asset::listed_in_view(view, item)
        }
        _ => true,
    }
}

/// A synchronous DELETE of the family answers with the deleted resource.
pub(crate) fn delete_returns_body(family: Family) -> bool {
    family == Family::RoleAssignment
}
