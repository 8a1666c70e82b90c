//! The schema tables: one per resource kind.
//!
//! A [`KindSchema`] says, for every attribute and nested block of a resource kind, its HCL
//! name, type, whether it is required and its default, the allowed values (with their ARM
//! spelling), where it goes in the ARM request body, whether it is create-only (changing it
//! forces replacement) and whether it is sensitive. The checker, `amlplan explain`, the
//! generated language reference and (later) the ARM lowering and the diff all read these
//! tables, so adding a resource kind is adding one table in one new file here.
//!
//! Attributes every resource accepts (`depends_on`, `for_each`, `count`, `name`,
//! `resource_group`, the `lifecycle` block, and `tags`/`location` where ARM has them) are
//! described once in [`meta`], not repeated in every table.

pub mod arm_types;
pub mod batch_deployment;
pub mod batch_endpoint;
pub mod code_asset;
pub mod component;
pub mod compute_cluster;
pub mod compute_instance;
pub mod consumption_budget;
pub mod data_asset;
pub mod datastore;
pub mod descriptor;
pub mod environment;
pub mod feature_store;
pub mod kubernetes_compute;
pub mod manifest_paths;
pub mod meta;
pub mod model;
pub mod monitor;
pub mod online_deployment;
pub mod online_endpoint;
pub mod private_dns_zone;
pub mod private_endpoint;
pub mod reference;
pub mod registry;
pub mod role_assignment;
pub mod schedule;
pub mod semantics;
pub mod serverless_endpoint;
pub mod settings;
pub mod workspace;

use crate::azure::names::NameRule;
pub use descriptor::{
    Adoption, ArmTypeSchema, CostHook, IdTemplate, KindBehavior, KindCheck, LowerHook, ReviewFact,
    Rolling,
};
pub use semantics::{ArmSemantics, arm_semantics, create_only_paths};

/// The type of an attribute, as the checker enforces it.
#[derive(Debug, Clone, Copy)]
pub enum AttrType {
    String,
    Bool,
    Number,
    /// A whole number within bounds (inclusive).
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A duration string (`"30m"`), within bounds in seconds (inclusive).
    Duration {
        min_secs: Option<u64>,
        max_secs: Option<u64>,
    },
    /// One of the listed snake_case values.
    Enum(&'static [EnumValue]),
    /// A reference to a block of one of these kinds (`workspace.fraud`).
    Ref(&'static [&'static str]),
    /// A role assignment's scope: a reference to a block of any kind whose descriptor says
    /// it can be one (`role_scope`), or any well-formed ARM ID.
    RoleScope,
    /// A reference to a block of one of `kinds`, or an ARM ID string of one of `arm_types`.
    /// An empty `arm_types` accepts any well-formed ARM ID.
    RefOrArmId {
        kinds: &'static [&'static str],
        arm_types: &'static [&'static str],
    },
    /// An ARM ID string of one of these resource types (any well-formed ID if empty).
    ArmId(&'static [&'static str]),
    Guid,
    /// A path to a file, relative to the manifest file that names it.
    FilePath,
    /// A path to a directory, relative to the manifest file that names it.
    DirPath,
    /// An Azure VM size (`Standard_DS3_v2`); unknown sizes warn.
    VmSize,
    /// A built-in role name or a role-definition ARM ID.
    Role,
    /// A list of elements of the given type.
    List(&'static AttrType),
    /// A map from string keys to values of the given type.
    Map(&'static AttrType),
    /// Any value (checked by the kind's own rules, if at all).
    Any,
}

impl AttrType {
    /// How the type is written in the language reference and in messages.
    pub fn describe(&self) -> String {
        match self {
            AttrType::String => "string".into(),
            AttrType::Bool => "bool".into(),
            AttrType::Number => "number".into(),
            AttrType::Integer { .. } => "whole number".into(),
            AttrType::Duration { .. } => "duration string".into(),
            AttrType::Enum(values) => values
                .iter()
                .map(|v| format!("\"{}\"", v.hcl))
                .collect::<Vec<_>>()
                .join(" | "),
            AttrType::Ref(kinds) => kinds
                .iter()
                .map(|k| format!("{k} reference"))
                .collect::<Vec<_>>()
                .join(" | "),
            AttrType::RefOrArmId { kinds, .. } => {
                let mut parts: Vec<String> =
                    kinds.iter().map(|k| format!("{k} reference")).collect();
                parts.push("ARM ID".into());
                parts.join(" | ")
            }
            AttrType::RoleScope => {
                let mut parts: Vec<String> = role_scope_kinds()
                    .iter()
                    .map(|k| format!("{k} reference"))
                    .collect();
                parts.push("ARM ID".into());
                parts.join(" | ")
            }
            AttrType::ArmId(_) => "ARM ID string".into(),
            AttrType::Guid => "GUID string".into(),
            AttrType::FilePath => "file path".into(),
            AttrType::DirPath => "directory path".into(),
            AttrType::VmSize => "VM size".into(),
            AttrType::Role => "role name or role definition ID".into(),
            AttrType::List(inner) => format!("list({})", inner.describe()),
            AttrType::Map(inner) => format!("map({})", inner.describe()),
            AttrType::Any => "any".into(),
        }
    }
}

/// One allowed value of an enum attribute: the manifest spelling and the ARM spelling.
#[derive(Debug, Clone, Copy)]
pub struct EnumValue {
    pub hcl: &'static str,
    pub arm: &'static str,
    /// A deprecated value is accepted with a warning (see the kind's own checks).
    pub deprecated: bool,
}

impl EnumValue {
    pub const fn new(hcl: &'static str, arm: &'static str) -> EnumValue {
        EnumValue {
            hcl,
            arm,
            deprecated: false,
        }
    }

    pub const fn deprecated(hcl: &'static str, arm: &'static str) -> EnumValue {
        EnumValue {
            hcl,
            arm,
            deprecated: true,
        }
    }
}

/// A default value, applied when the attribute is absent.
#[derive(Debug, Clone, Copy)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Str(&'static str),
}

/// How a manifest value goes on the wire where that differs from the plain JSON form of its
/// type. Enum values are mapped by their [`EnumValue`]s, whatever the wire form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    Plain,
    /// A bool sent as `"Enabled"` (`true`) or `"Disabled"` (`false`).
    EnabledDisabled,
    /// A bool ARM names the other way round (`local_auth` → `disableLocalAuth`).
    Negated,
    /// A list of IDs sent as a map from each ID to `{}` (`userAssignedIdentities`).
    IdMap,
    /// A duration (`"30m"`) sent in ISO 8601 (`PT30M`); the default of duration attributes.
    IsoDuration,
    /// A path to a file whose content is sent (a conda file), read relative to the manifest
    /// file that names it.
    FileContent,
    /// Each element of a list (or a single value) sent as an object `{KEY: value}`
    /// (`ipv4` → `aRecords: [{ipv4Address: ...}]`).
    Wrapped(&'static str),
    /// An integer sent as its decimal text (an autoscale setting's capacities: `"2"`).
    DecimalText,
}

impl Wire {
    /// The wire form an attribute of type `ty` has unless it says otherwise.
    pub const fn default_for(ty: &AttrType) -> Wire {
        match ty {
            AttrType::Duration { .. } => Wire::IsoDuration,
            _ => Wire::Plain,
        }
    }

    /// A value as ARM holds it, back in the form the manifest writes it (`"Enabled"` → `true`,
    /// `PT30M` → `"30m"`, `"LowPriority"` → `"low_priority"`, an ID map → its list of IDs), so
    /// the plan reads like the manifest. What does not have the expected wire shape (the
    /// markers for sensitive and unknown values among it) is returned as it is. A file's
    /// content stays the content: the path it was read from is not on the wire.
    pub fn manifest_form(self, ty: &AttrType, value: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value as Json;
        let same = || value.clone();
        match (ty, self) {
            (AttrType::Bool, Wire::EnabledDisabled) => match value.as_str() {
                Some(s) if s.eq_ignore_ascii_case("enabled") => Json::Bool(true),
                Some(s) if s.eq_ignore_ascii_case("disabled") => Json::Bool(false),
                _ => same(),
            },
            (AttrType::Bool, Wire::Negated) => {
                value.as_bool().map_or_else(same, |b| Json::Bool(!b))
            }
            (AttrType::Duration { .. }, Wire::IsoDuration) => value
                .as_str()
                .and_then(|s| crate::lang::duration::parse_iso8601(s).ok())
                .map_or_else(same, |d| {
                    Json::String(crate::lang::duration::format_human(d))
                }),
            (_, Wire::DecimalText) => value
                .as_str()
                .and_then(|s| s.parse::<i64>().ok())
                .map_or_else(same, Json::from),
            (AttrType::Enum(values), _) => value
                .as_str()
                .and_then(|s| values.iter().find(|v| v.arm.eq_ignore_ascii_case(s)))
                .map_or_else(same, |v| Json::String(v.hcl.to_string())),
            (_, Wire::Wrapped(key)) => match value.as_array() {
                Some(items) => {
                    let inner: Vec<Json> = items
                        .iter()
                        .map(|i| i.get(key).cloned().unwrap_or_else(|| i.clone()))
                        .collect();
                    match (ty, inner.as_slice()) {
                        (AttrType::List(_), _) => Json::Array(inner),
                        (_, [one]) => one.clone(),
                        _ => Json::Array(inner),
                    }
                }
                None => same(),
            },
            (AttrType::List(_), Wire::IdMap) => match value.as_object() {
                Some(map) => Json::Array(map.keys().map(|k| Json::String(k.clone())).collect()),
                None => same(),
            },
            (AttrType::List(inner), _) => match value.as_array() {
                Some(items) => Json::Array(
                    items
                        .iter()
                        .map(|v| Wire::default_for(inner).manifest_form(inner, v))
                        .collect(),
                ),
                None => same(),
            },
            (AttrType::Map(inner), _) => match value.as_object() {
                Some(map) => Json::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), Wire::default_for(inner).manifest_form(inner, v)))
                        .collect(),
                ),
                None => same(),
            },
            _ => same(),
        }
    }
}

/// Where a kind's lowering hook puts an attribute it lowers itself (one with no `arm_path`, or
/// one it moves into another plan entry): a dotted path from the root of an entry's body.
/// Declared next to the attribute, so the plan can name the attribute behind that path and
/// the create-only and `ignore_changes` rules reach it.
#[derive(Debug, Clone, Copy)]
pub struct LoweredAt {
    /// The plan entry's kind (`dns_zone_group`, `endpoint_traffic`); empty for the resource's
    /// own entry.
    pub entry: &'static str,
    pub path: &'static str,
}

impl LoweredAt {
    /// At `path` in the resource's own entry.
    pub const fn own(path: &'static str) -> LoweredAt {
        LoweredAt { entry: "", path }
    }

    /// At `path` in the produced entry of kind `entry`.
    pub const fn entry(entry: &'static str, path: &'static str) -> LoweredAt {
        LoweredAt { entry, path }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct AttrSchema {
    pub name: &'static str,
    pub ty: AttrType,
    pub required: bool,
    pub default: Option<DefaultValue>,
    /// Dotted path of the property in the ARM request body (`properties.friendlyName`);
    /// empty where the attribute does not map onto one property (the kind lowers it itself).
    pub arm_path: &'static str,
    /// Changing it on an existing resource forces replacement.
    pub create_only: bool,
    /// Never shown in any output.
    pub sensitive: bool,
    /// How the value goes on the wire.
    pub wire: Wire,
    /// Where the kind's lowering hook puts it, besides (or instead of) `arm_path`.
    pub lowered: &'static [LoweredAt],
    pub doc: &'static str,
}

impl AttrSchema {
    /// An optional, updatable, non-sensitive attribute with no default; the table entries
    /// start from this and override fields with struct-update syntax.
    pub const fn new(
        name: &'static str,
        ty: AttrType,
        arm_path: &'static str,
        doc: &'static str,
    ) -> AttrSchema {
        AttrSchema {
            name,
            ty,
            required: false,
            default: None,
            arm_path,
            create_only: false,
            sensitive: false,
            wire: Wire::default_for(&ty),
            lowered: &[],
            doc,
        }
    }

    /// Lowered by the kind's hook at these paths (see [`LoweredAt`]).
    pub const fn lowered_at(mut self, at: &'static [LoweredAt]) -> AttrSchema {
        self.lowered = at;
        self
    }

    /// Sent in another form than its type's plain one.
    pub const fn wire(mut self, wire: Wire) -> AttrSchema {
        self.wire = wire;
        self
    }

    pub const fn required(mut self) -> AttrSchema {
        self.required = true;
        self
    }

    pub const fn create_only(mut self) -> AttrSchema {
        self.create_only = true;
        self
    }

    pub const fn sensitive(mut self) -> AttrSchema {
        self.sensitive = true;
        self
    }

    pub const fn default(mut self, value: DefaultValue) -> AttrSchema {
        self.default = Some(value);
        self
    }
}

/// A nested block (`identity`, `managed_network`, `outbound_rule "pypi"`, `usage`).
#[derive(Debug, Clone, Copy)]
pub struct NestedSchema {
    pub name: &'static str,
    /// Number of labels the block takes (0 or 1).
    pub labels: usize,
    /// Minimum and maximum number of occurrences (`None` = unbounded).
    pub min: u32,
    pub max: Option<u32>,
    pub body: &'static BlockSchema,
    /// Where the block goes in the ARM body (empty if the kind lowers it itself).
    pub arm_path: &'static str,
    /// Changing anything inside forces replacement.
    pub create_only: bool,
    pub doc: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct BlockSchema {
    pub attrs: &'static [AttrSchema],
    pub blocks: &'static [NestedSchema],
}

impl BlockSchema {
    pub fn attr(&self, name: &str) -> Option<&'static AttrSchema> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn block(&self, name: &str) -> Option<&'static NestedSchema> {
        self.blocks.iter().find(|b| b.name == name)
    }
}

/// An attribute that exists only after apply (`scoring_uri`, `principal_id`) or is derived
/// (`id`, `name`), usable in references `KIND.NAME.ATTR`.
#[derive(Debug, Clone, Copy)]
pub struct ExportSchema {
    pub name: &'static str,
    /// Where ARM's answer for the resource holds it (`identity.principalId`).
    pub arm_path: &'static str,
    pub doc: &'static str,
}

impl ExportSchema {
    pub const fn new(name: &'static str, arm_path: &'static str, doc: &'static str) -> Self {
        ExportSchema {
            name,
            arm_path,
            doc,
        }
    }
}

/// Exports every resource has.
pub const COMMON_EXPORTS: &[ExportSchema] = &[
    ExportSchema::new("id", "id", "The ARM resource ID."),
    ExportSchema::new("name", "name", "The resource's name in Azure."),
];

#[derive(Debug, Clone, Copy)]
pub struct KindSchema {
    /// The block type in the manifest (`workspace`).
    pub kind: &'static str,
    /// The ARM resource type (`Microsoft.MachineLearningServices/workspaces`).
    pub arm_type: &'static str,
    pub api_version: &'static str,
    /// The rule the resource's Azure name must satisfy.
    pub name_rule: NameRule,
    /// ARM has `tags` on this type.
    pub has_tags: bool,
    /// Where `tags` go in the body: `tags` for tracked resources, `properties.tags` for
    /// asset versions (proxy resources with tags of their own).
    pub tags_path: &'static str,
    /// ARM has `location` on this type (tracked resources).
    pub has_location: bool,
    pub doc: &'static str,
    pub body: BlockSchema,
    /// Attributes known after apply, besides [`COMMON_EXPORTS`].
    pub exports: &'static [ExportSchema],
    /// How the ARM ID is built.
    pub id: IdTemplate,
    /// How ARM treats the resource.
    pub behavior: KindBehavior,
    /// What ARM enforces on the type, as the emulator enforces it.
    pub semantics: &'static ArmSemantics,
    /// Fixed string properties the body always carries (discriminators such as
    /// `properties.computeType`), by dotted path.
    pub constants: &'static [(&'static str, &'static str)],
    /// The kind's own lowering, where the generic one is not enough (`None`: generic).
    pub lower: Option<LowerHook>,
    /// The child, implicit and partial entries the kind's lowering produces.
    pub children: &'static [ArmTypeSchema],
    /// A role assignment can have a block of this kind as its `scope`.
    pub role_scope: bool,
    /// The kind's checks beyond its tables (run by `check::rules`).
    pub checks: &'static [KindCheck],
    /// The kind's cost model (`None`: the forecast says it has none).
    pub cost: Option<CostHook>,
    /// What the security review needs to know about the kind (`src/review/`).
    pub review: &'static [ReviewFact],
}

impl KindSchema {
    /// The child, implicit or partial entry kind `name` this kind produces.
    pub fn child(&self, name: &str) -> Option<&'static ArmTypeSchema> {
        self.children.iter().find(|c| c.kind == name)
    }

    pub fn export(&self, name: &str) -> Option<&'static ExportSchema> {
        COMMON_EXPORTS
            .iter()
            .chain(self.exports.iter())
            .find(|e| e.name == name)
    }
}

/// Every resource kind, in the order the language reference lists them.
pub static KINDS: &[&KindSchema] = &[
    &workspace::SCHEMA,
    &feature_store::SCHEMA,
    &registry::SCHEMA,
    &compute_cluster::SCHEMA,
    &compute_instance::SCHEMA,
    &kubernetes_compute::SCHEMA,
    &environment::SCHEMA,
    &datastore::SCHEMA,
    &data_asset::SCHEMA,
    &model::SCHEMA,
    &component::SCHEMA,
    &schedule::SCHEMA,
    &monitor::SCHEMA,
    &online_endpoint::SCHEMA,
    &online_deployment::SCHEMA,
    &batch_endpoint::SCHEMA,
    &batch_deployment::SCHEMA,
    &private_endpoint::SCHEMA,
    &private_dns_zone::SCHEMA,
    &role_assignment::SCHEMA,
    &serverless_endpoint::SCHEMA,
];

pub fn kind(name: &str) -> Option<&'static KindSchema> {
    KINDS.iter().copied().find(|k| k.kind == name)
}

/// A plan entry's kind, as [`by_kind_name`] finds it: a manifest kind or one of the child,
/// implicit or partial kinds a manifest kind produces.
#[derive(Debug, Clone, Copy)]
pub enum EntryKind {
    Kind(&'static KindSchema),
    Produced(&'static ArmTypeSchema),
}

impl EntryKind {
    pub fn behavior(&self) -> &'static KindBehavior {
        match self {
            EntryKind::Kind(k) => &k.behavior,
            EntryKind::Produced(t) => &t.behavior,
        }
    }

    pub fn arm_type(&self) -> &'static str {
        match self {
            EntryKind::Kind(k) => k.arm_type,
            EntryKind::Produced(t) => t.arm_type,
        }
    }

    pub fn semantics(&self) -> &'static ArmSemantics {
        match self {
            EntryKind::Kind(k) => k.semantics,
            EntryKind::Produced(t) => t.semantics,
        }
    }

    pub fn api_version(&self) -> &'static str {
        match self {
            EntryKind::Kind(k) => k.api_version,
            EntryKind::Produced(t) => t.api_version,
        }
    }
}

/// The descriptor of any plan entry's kind (`workspace`, `outbound_rule`, `storage_account`,
/// `endpoint_traffic`), for the apply and the state, which know entries by kind name.
pub fn by_kind_name(name: &str) -> Option<EntryKind> {
    kind(name).map(EntryKind::Kind).or_else(|| {
        produced_entries()
            .find(|c| c.kind == name)
            .map(EntryKind::Produced)
    })
}

/// The plan entries settings blocks produce (a `budget` with `alert` blocks), which belong
/// to no resource kind.
pub static SETTING_ENTRIES: &[&ArmTypeSchema] = &[&consumption_budget::ENTRY];

/// Every entry type besides the kinds' own: the kinds' children, then [`SETTING_ENTRIES`].
pub fn produced_entries() -> impl Iterator<Item = &'static ArmTypeSchema> {
    KINDS
        .iter()
        .flat_map(|k| k.children.iter())
        .chain(SETTING_ENTRIES.iter().copied())
}

/// Every exported attribute of any kind ([`COMMON_EXPORTS`] first), once per name: an export
/// name means the same ARM path on every kind that has it (a test holds them to that).
pub fn all_exports() -> &'static [&'static ExportSchema] {
    static ALL: std::sync::LazyLock<Vec<&'static ExportSchema>> = std::sync::LazyLock::new(|| {
        let mut out: Vec<&'static ExportSchema> = Vec::new();
        for e in COMMON_EXPORTS
            .iter()
            .chain(KINDS.iter().flat_map(|k| k.exports))
        {
            if !out.iter().any(|o| o.name == e.name) {
                out.push(e);
            }
        }
        out
    });
    &ALL
}

/// The kinds a role assignment can be scoped to, in [`KINDS`] order.
pub fn role_scope_kinds() -> &'static [&'static str] {
    static SCOPES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        KINDS
            .iter()
            .filter(|k| k.role_scope)
            .map(|k| k.kind)
            .collect()
    });
    &SCOPES
}

pub fn kind_names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.kind)
}
