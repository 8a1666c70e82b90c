//! Planning: comparing the desired ARM state with what exists, and the resulting actions.
//!
//! [`planner::plan`] is a pure function of three inputs — the desired resources (from
//! [`crate::arm::lower`]), the prior state (what amlplan applied before) and the actual
//! resources (what a refresh read from ARM) — and produces a [`Plan`]. Reading ARM and
//! writing files happen in the commands; the plan itself does no I/O.

pub mod compare;
pub mod outputs;
pub mod planner;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::arm::{Desired, Origin, PathRule};
use crate::diagnostic::Diagnostic;

pub use compare::LeafChange;

/// Version of the JSON plan format (`--format json` and plan files).
/// 1.1 added each change's `manifest_path` and `location` (`resource_changes[].changes`,
/// `drift[].changes`), and `after_unknown` and `arm.id_unknown`; 1.2 added `output_changes`,
/// `old_version` (an asset version archived or kept instead of deleted) and `summary.archive`.
pub const FORMAT_VERSION: &str = "1.2";

/// What apply will do to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    NoOp,
    Create,
    Update,
    /// Delete, then create (the default: most Azure names are unique, so both cannot exist).
    DeleteThenCreate,
    /// Create the replacement first (`create_before_destroy`), then delete the old one.
    CreateThenDelete,
    Delete,
}

impl Action {
    /// Terraform's `actions` array.
    pub fn terraform_actions(self) -> Vec<&'static str> {
        match self {
            Action::NoOp => vec!["no-op"],
            Action::Create => vec!["create"],
            Action::Update => vec!["update"],
            Action::DeleteThenCreate => vec!["delete", "create"],
            Action::CreateThenDelete => vec!["create", "delete"],
            Action::Delete => vec!["delete"],
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Action::NoOp => " ",
            Action::Create => "+",
            Action::Update => "~",
            Action::DeleteThenCreate => "-/+",
            Action::CreateThenDelete => "+/-",
            Action::Delete => "-",
        }
    }

    /// The resource that exists now goes away (deleted, or deleted as part of a replacement).
    pub fn deletes(self) -> bool {
        self == Action::Delete || self.is_replace()
    }

    pub fn is_replace(self) -> bool {
        matches!(self, Action::DeleteThenCreate | Action::CreateThenDelete)
    }
}

/// What amlplan applied to a resource before (from the state).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prior {
    pub address: String,
    pub kind: String,
    pub id: String,
    pub api_version: String,
    /// The last applied request body (sensitive values already redacted).
    pub applied_body: Value,
    /// The state's hash of the last applied body before redaction: how a change of a value
    /// that is both redacted and never read back from ARM (a password) is seen. Empty where
    /// unknown.
    #[serde(default)]
    pub request_hash: String,
    pub depends_on: Vec<String>,
    /// For a partial entry, the address of the resource it is part of.
    pub partial_of: Option<String>,
    /// The state's salted digests of the write-only values last sent, by path, and the salt
    /// (see `state::secret_digest`).
    #[serde(default)]
    pub secret_digests: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub salt: String,
    /// Adopted from outside amlplan under its own ID, which the manifest's entry then means.
    #[serde(default)]
    pub adopted: bool,
    /// The paths `applied_body` holds redacted; `None` for a state written before the list
    /// (its placeholders are read instead).
    #[serde(default)]
    pub sensitive_paths: Option<Vec<String>>,
}

impl Prior {
    /// The body paths of `applied_body` that hold redacted values.
    pub fn redacted_paths(&self) -> Vec<String> {
        match &self.sensitive_paths {
            Some(paths) => paths.clone(),
            None => compare::redacted_paths(&self.applied_body),
        }
    }
}

/// One resource's planned change.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceChange {
    pub address: String,
    pub kind: String,
    pub action: Action,
    /// Why: "the ARM ID changes", "`vm_size` cannot be changed in place", ...
    pub reason: Option<String>,
    /// The attributes that change (redacted where sensitive).
    pub changes: Vec<LeafChange>,
    /// For replacements: the create-only attributes that force it.
    pub replace_paths: Vec<PathRule>,
    /// What exists now (for updates, replacements and deletes), redacted.
    pub before: Option<Value>,
    /// The resource exists in ARM now.
    pub exists: bool,
    /// The desired resource (absent for deletes).
    pub desired: Option<Desired>,
    /// The prior resource (for deletes and replacements of a resource with another ID).
    pub prior: Option<Prior>,
    /// For an asset version the change leaves behind (a version bump's old version, a
    /// removed version): what happens to it instead of a DELETE. `None` deletes it (the
    /// `delete_old_versions` lifecycle flag, and every other kind).
    pub old_version: Option<OldVersion>,
    /// A create that recovers the soft-deleted resource of its name (a deleted, purge-
    /// protected Key Vault) with the type's recover property: the ID of the deleted copy.
    pub recovers: Option<String>,
}

/// What becomes of an asset version a plan no longer manages. Old versions are what runs,
/// registered models and audits refer to, so by default they are archived, as Azure ML does,
/// not deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OldVersion {
    /// PUT again with `isArchived: true`, after the new version and everything that used the
    /// old one are written; then the state forgets it.
    Archive,
    /// Left as it is and forgotten: the manifest still names it by ID (`used_by`).
    Keep { used_by: String },
}

impl ResourceChange {
    /// The prior object this change archives (a version bump's old version, or the removed
    /// version itself).
    pub fn archives(&self) -> Option<&Prior> {
        match self.old_version {
            Some(OldVersion::Archive) => self.prior.as_ref(),
            _ => None,
        }
    }
}

impl ResourceChange {
    /// The ARM actions an update runs because a PUT may not change what they change (a
    /// compute instance's `resize`), in the descriptor's order; empty for other changes.
    pub fn update_actions(&self) -> Vec<&'static crate::schema::semantics::UpdateAction> {
        let Some(d) = self
            .desired
            .as_ref()
            .filter(|_| self.action == Action::Update)
        else {
            return Vec::new();
        };
        let Some(entry) = crate::schema::by_kind_name(&d.kind) else {
            return Vec::new();
        };
        crate::schema::semantics::update_actions(entry.arm_type(), &d.body)
            .into_iter()
            .filter(|a| {
                self.changes
                    .iter()
                    .any(|c| crate::json_path::is_within(&c.path, a.path))
            })
            .collect()
    }

    /// An update whose every change is made by [`Self::update_actions`]: no PUT is needed.
    pub fn only_update_actions(&self) -> bool {
        let actions = self.update_actions();
        !actions.is_empty()
            && self.changes.iter().all(|c| {
                actions
                    .iter()
                    .any(|a| crate::json_path::is_within(&c.path, a.path))
            })
    }

    /// `via action resize, updateIdleShutdownSetting` for an update that runs actions (the
    /// plans say how an update is made when it is not a PUT).
    pub fn via_actions(&self) -> Option<String> {
        let names: Vec<&str> = self.update_actions().iter().map(|a| a.action).collect();
        (!names.is_empty()).then(|| format!("via action {}", names.join(", ")))
    }

    /// The ID apply writes to (the new one) or deletes (the old one).
    pub fn id(&self) -> &str {
        self.desired
            .as_ref()
            .map(|d| d.id.as_str())
            .or(self.prior.as_ref().map(|p| p.id.as_str()))
            .unwrap_or_default()
    }
}

/// A change made outside amlplan.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    pub address: String,
    pub kind: String,
    /// The resource was deleted outside amlplan.
    pub deleted: bool,
    /// Leaves that differ from what amlplan last applied (redacted where sensitive).
    pub changes: Vec<LeafChange>,
    /// The manifest attributes behind the paths, where the resource is still in the manifest.
    pub origins: Vec<Origin>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub add: usize,
    pub change: usize,
    pub replace: usize,
    pub destroy: usize,
    /// Asset versions archived instead of deleted.
    pub archive: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every resource, sorted by address, no-ops included.
    pub changes: Vec<ResourceChange>,
    pub drift: Vec<Drift>,
    /// Problems that make the plan unappliable (a protected resource would be destroyed, an
    /// asset version's content changed).
    pub errors: Vec<Diagnostic>,
    /// `--refresh-only`: only drift, no actions.
    pub refresh_only: bool,
    /// What ARM computed for the resources the root outputs refer to (by address, the
    /// exported attributes as they are now), so outputs of unchanged resources are known.
    pub exports: crate::apply::Known,
}

impl Plan {
    pub fn summary(&self) -> Summary {
        self.summary_of(|_| true)
    }

    /// The summary of the changes `counted` keeps (after apply: those whose operations all
    /// succeeded).
    pub fn summary_of(&self, counted: impl Fn(&ResourceChange) -> bool) -> Summary {
        let mut s = Summary::default();
        for c in self.changes.iter().filter(|c| counted(c)) {
            match c.action {
                Action::Create => s.add += 1,
                Action::Update => s.change += 1,
                Action::DeleteThenCreate | Action::CreateThenDelete => s.replace += 1,
                Action::Delete if c.old_version.is_some() => {}
                Action::Delete => s.destroy += 1,
                Action::NoOp => {}
            }
            if c.archives().is_some() {
                s.archive += 1;
            }
        }
        s
    }

    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.action != Action::NoOp)
    }
}
