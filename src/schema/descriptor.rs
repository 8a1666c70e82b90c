//! The parts of a kind descriptor besides its attribute tables: how the kind's ARM ID is
//! built, what its body needs beyond the tables, how ARM treats it, and the ARM types of the
//! child and implicit resources it produces.
//!
//! Everything here is `static` data (or a function pointer), read by the generic engine:
//! lowering (`arm::lower`), the checker, the apply and the emulator look a kind up and follow
//! what it declares, instead of matching on its name.

use crate::arm::Desired;
use crate::diagnostic::Diagnostic;
use crate::model::Resource;

/// How a kind's ARM ID is built from the manifest. The segment of a child is derived from the
/// kind's ARM type, so a template never repeats it.
#[derive(Debug, Clone, Copy)]
pub enum IdTemplate {
    /// `{resource group ID}/providers/{arm_type}/{name}` (the block's `resource_group`, else
    /// the `azure` block's).
    ResourceGroup,
    /// `{ID of the block that attribute `parent` refers to}/{last segment of arm_type}/{name}`:
    /// `.../workspaces/w/computes/{name}`.
    Child { parent: &'static str },
    /// An asset version,
    /// `{parent ID}/{second-last segment of arm_type}/{name}/versions/{attribute version}`:
    /// `.../workspaces/w/models/{name}/versions/{version}`.
    VersionedAsset {
        parent: &'static str,
        version: &'static str,
        /// The attribute naming a registry the asset may live in instead of `parent`
        /// (`registries/{r}/models/{name}/versions/{version}`), if the kind allows one.
        registry: Option<&'static str>,
        /// Where the version comes from when the block has no `version` attribute (a
        /// component's YAML file).
        version_from: Option<VersionFrom>,
    },
    /// An extension resource, `{scope ID}/providers/{arm_type}/{name}`, whose scope is the
    /// attribute `scope` (a block reference or an ARM ID) and whose name the kind derives
    /// from the attributes in `name_from` (with the scope ID) by `name`.
    Scoped {
        scope: &'static str,
        name_from: &'static [&'static str],
        name: ScopedName,
    },
}

/// Reads an asset's version from what its block names (a file), if it can.
pub type VersionFrom = fn(&Resource, &crate::source::Sources) -> Option<String>;

/// Derives the name of a scoped resource from its block and its scope ID; `None` while an
/// input is unknown. Invalid inputs are reported to `diags`.
pub type ScopedName = fn(&Resource, &str, &mut Vec<Diagnostic>) -> Option<String>;

impl IdTemplate {
    /// The attribute that names the resource's ARM parent (`workspace`, `endpoint`), if any.
    pub const fn parent_attr(&self) -> Option<&'static str> {
        match self {
            IdTemplate::Child { parent } | IdTemplate::VersionedAsset { parent, .. } => {
                Some(parent)
            }
            IdTemplate::ResourceGroup | IdTemplate::Scoped { .. } => None,
        }
    }

    /// The attribute naming the registry an asset version may live in instead of its
    /// parent, if the kind allows one.
    pub const fn registry_attr(&self) -> Option<&'static str> {
        match self {
            IdTemplate::VersionedAsset { registry, .. } => *registry,
            _ => None,
        }
    }
}

impl IdTemplate {
    /// The attributes whose change moved a resource from ARM ID `old` to `new`, as this
    /// template builds IDs (`name` for the last segment, `resource_group`, the parent or
    /// scope attribute for what comes before, `version` for an asset version's); empty when
    /// none of them did (the `azure` block's subscription or group moved). A scoped
    /// resource's name is derived from attributes in its body, so only its scope is named.
    pub fn moved_attributes(&self, old: &str, new: &str) -> Vec<&'static str> {
        let old: Vec<String> = old.split('/').map(str::to_ascii_lowercase).collect();
        let new: Vec<String> = new.split('/').map(str::to_ascii_lowercase).collect();
        // The same segment `k` from the end / everything but the last `k` segments.
        let same_from_end =
            |k: usize| old.len() >= k && new.len() >= k && old[old.len() - k] == new[new.len() - k];
        let same_head = |k: usize| {
            old.len() >= k && new.len() >= k && old[..old.len() - k] == new[..new.len() - k]
        };
        let mut out = Vec::new();
        match *self {
            IdTemplate::ResourceGroup => {
                // `/subscriptions/{s}/resourceGroups/{group}/...`
                if old.get(4) != new.get(4) {
                    out.push("resource_group");
                }
                if !same_from_end(1) {
                    out.push("name");
                }
            }
            IdTemplate::Child { parent } => {
                if !same_head(2) {
                    out.push(parent);
                }
                if !same_from_end(1) {
                    out.push("name");
                }
            }
            IdTemplate::VersionedAsset {
                parent, version, ..
            } => {
                if !same_head(4) {
                    out.push(parent);
                }
                if !same_from_end(3) {
                    out.push("name");
                }
                if !same_from_end(1) {
                    out.push(version);
                }
            }
            IdTemplate::Scoped { scope, .. } => {
                // `{scope}/providers/{namespace}/{type}/{name}`
                if !same_head(4) {
                    out.push(scope);
                }
            }
        }
        out
    }
}

/// The ID segment of a child type: `computes` of `Microsoft.MachineLearningServices/workspaces/computes`.
pub fn last_segment(arm_type: &str) -> &str {
    arm_type.rsplit('/').next().unwrap_or(arm_type)
}

/// The collection of a versioned type: `models` of `.../workspaces/models/versions`.
pub fn collection_segment(arm_type: &str) -> &str {
    arm_type.rsplit('/').nth(1).unwrap_or(arm_type)
}

/// How ARM treats resources of a type, as the diff and the apply must know it.
#[derive(Debug, Clone, Copy)]
pub struct KindBehavior {
    /// Paths compared case-insensitively (locations, VM sizes, IDs ARM re-cases).
    pub case_insensitive_paths: &'static [&'static str],
    /// Paths ARM never reads back (passwords, creation-time triggers): never drift. Listed
    /// for an entry only where its body sets them.
    pub server_paths: &'static [&'static str],
    /// Query parameters DELETE needs (`underlyingResourceAction=Delete`).
    pub delete_query: &'static [(&'static str, &'static str)],
    /// Its DELETE deletes what lives inside it (a workspace its computes, endpoints and
    /// assets; an endpoint its deployments; a private endpoint its DNS zone group).
    pub cascades_delete: bool,
    /// An immutable asset version: a content change cannot be an update.
    pub versioned_asset: bool,
    /// DELETE soft-deletes; re-creating the same name needs a purge.
    pub soft_delete: bool,
    /// PUT is retried on `PrincipalNotFound` (a principal still replicating).
    pub retry_principal_not_found: bool,
    /// A partial entry: owns some properties of its parent's resource (GET, merge, PUT).
    pub partial: bool,
    /// String paths holding YAML documents, compared by their parsed meaning (a conda file
    /// the service or `az ml` re-serialised is no change).
    pub yaml_paths: &'static [&'static str],
    /// An update of these paths rolls the resource's instances (see [`Rolling`]).
    pub rolling: Option<Rolling>,
    /// A create ARM refuses because the resource already exists under another name is
    /// adopted instead (see [`Adoption`]).
    pub adoption: Option<Adoption>,
}

/// How a resource made outside amlplan is adopted when ARM refuses to create the manifest's
/// (a role assignment for the same scope, principal and role exists under another name).
#[derive(Debug, Clone, Copy)]
pub struct Adoption {
    /// The ARM ID of the existing resource an error names, for the entry being written.
    pub existing_id: fn(&Desired, &crate::provider::ArmError) -> Option<String>,
    /// Whether the existing resource (as GET returns it) is what the entry asks for; why not
    /// otherwise.
    pub matches: fn(&Desired, &serde_json::Value) -> Result<(), String>,
}

/// Updates that replace a resource's instances one by one while it keeps serving (an online
/// deployment's code, model or environment): the plan says so, with the share of live
/// traffic its parent routes to it.
#[derive(Debug, Clone, Copy)]
pub struct Rolling {
    /// Body paths whose change rolls the instances.
    pub paths: &'static [&'static str],
    /// Where the parent resource holds its traffic map by child name (`properties.traffic`).
    pub parent_traffic: &'static str,
}

impl KindBehavior {
    /// Nothing special; descriptors start from this with struct-update syntax.
    pub const PLAIN: KindBehavior = KindBehavior {
        case_insensitive_paths: &[],
        server_paths: &[],
        delete_query: &[],
        cascades_delete: false,
        versioned_asset: false,
        soft_delete: false,
        retry_principal_not_found: false,
        partial: false,
        yaml_paths: &[],
        rolling: None,
        adoption: None,
    };

    /// An asset version (environment, data, model): immutable once registered.
    pub const VERSIONED_ASSET: KindBehavior = KindBehavior {
        versioned_asset: true,
        ..KindBehavior::PLAIN
    };
}

/// A kind's own lowering, for what the generic schema-table lowering cannot say (child
/// entries, bodies built from several attributes, implicit resources). A hook usually calls
/// `arm::lower::generic` first and adjusts or adds to what it returns.
pub type LowerHook = fn(&crate::arm::lower::Ctx<'_>, &Resource) -> Vec<Desired>;

/// A check the kind's tables cannot express (bounds between attributes, traffic sums).
pub type KindCheck =
    fn(&Resource, &crate::check::rules::RuleCtx<'_>, &mut crate::diagnostic::Diagnostics);

/// The kind's cost model: what one resource of the kind is billed per month (lines built
/// with `cost::lines`), or why nothing is billed for it.
pub type CostHook = fn(&Resource, &crate::cost::CostCtx<'_>) -> crate::cost::KindCost;

/// What the security review (`src/review/`) needs to know about a kind: which of its
/// attributes play a part its rules look at. A rule selects the kinds it applies to by these
/// facts, so a new kind is reviewed by declaring them, without a change to any rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFact {
    /// This boolean attribute opens the resource to the public internet when true.
    PublicNetworkAccess(&'static str),
    /// This enum attribute selects how callers authenticate; `key` is its key-auth value.
    AuthMode {
        attr: &'static str,
        key: &'static str,
    },
    /// This boolean attribute gives nodes public IP addresses.
    NodePublicIp(&'static str),
    /// This boolean attribute opens the SSH port to the public internet.
    PublicSsh(&'static str),
    /// This boolean attribute enables key-based (local) authentication.
    LocalAuth(&'static str),
    /// This attribute places the nodes in a subnet of the user's own VNet.
    Subnet(&'static str),
    /// This duration attribute stops the resource when idle.
    IdleShutdown(&'static str),
    /// This whole-number attribute is the number of nodes kept running when idle.
    MinNodes(&'static str),
    /// This boolean attribute lets the resource call the public internet.
    PublicEgress(&'static str),
    /// This map or string attribute is passed as plain text (environment variables), where a
    /// secret would be readable by anyone who can read the resource.
    PlainText(&'static str),
    /// This enum attribute selects how the resource reaches storage; `values` are the ones
    /// that keep a shared secret (an account key, a SAS token) in the workspace.
    StoredSecret {
        attr: &'static str,
        values: &'static [&'static str],
    },
    /// The resource shares its assets (models, environments, components) with every
    /// workspace that uses it, across subscriptions and regions.
    SharesAssets,
    /// The resource's workloads run in a network the user operates (an attached cluster),
    /// which no workspace managed network covers.
    OwnNetwork,
    /// The resource serves the model its attribute `model` names in the environment its
    /// attribute `environment` names (training/serving skew is checked against the model).
    Serves {
        model: &'static str,
        environment: &'static str,
    },
}

/// An ARM type a kind produces besides its own resource: a child resource that is a plan
/// entry of its own (`outbound_rule`), a resource amlplan manages implicitly
/// (`storage_account`), or a partial entry (`endpoint_traffic`).
#[derive(Debug, Clone, Copy)]
pub struct ArmTypeSchema {
    /// The plan entry's kind (`Desired::kind`, the state's `kind`).
    pub kind: &'static str,
    /// The ARM type (the parent's for a partial entry).
    pub arm_type: &'static str,
    pub api_version: &'static str,
    /// The manifest block it is lowered from (`managed_network.outbound_rule`), empty for an
    /// implicit resource.
    pub block: &'static str,
    /// Fixed string properties its body always carries, by dotted path.
    pub constants: &'static [(&'static str, &'static str)],
    pub behavior: KindBehavior,
    /// What ARM enforces on the type (shared with the parent for a partial entry).
    pub semantics: &'static super::semantics::ArmSemantics,
    pub doc: &'static str,
}

impl ArmTypeSchema {
    /// The ID segment of a child resource (`outboundRules`).
    pub fn segment(&self) -> &'static str {
        last_segment(self.arm_type)
    }
}

#[cfg(test)]
mod tests {
    use super::IdTemplate;

    const WS: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w";

    #[test]
    fn moved_attributes_name_the_part_of_the_id_that_changed() {
        let group = IdTemplate::ResourceGroup;
        let other_group = WS.replace("/rg/", "/rg2/");
        assert_eq!(group.moved_attributes(WS, &other_group), ["resource_group"]);
        assert_eq!(group.moved_attributes(WS, &format!("{WS}2")), ["name"]);
        let asset = IdTemplate::VersionedAsset {
            parent: "workspace",
            version: "version",
            registry: None,
            version_from: None,
        };
        let v1 = format!("{WS}/models/m/versions/1");
        assert_eq!(
            asset.moved_attributes(&v1, &format!("{WS}/models/m/versions/2")),
            ["version"]
        );
        assert_eq!(
            asset.moved_attributes(&v1, &format!("{WS}2/models/m/versions/1")),
            ["workspace"]
        );
        let child = IdTemplate::Child {
            parent: "workspace",
        };
        assert_eq!(
            child.moved_attributes(&format!("{WS}/computes/c"), &format!("{WS}/computes/C")),
            Vec::<&str>::new(),
            "IDs are case-insensitive"
        );
    }
}
