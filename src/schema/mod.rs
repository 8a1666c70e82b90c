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

pub mod batch_deployment;
pub mod batch_endpoint;
pub mod compute_cluster;
pub mod compute_instance;
pub mod data_asset;
pub mod environment;
pub mod meta;
pub mod model;
pub mod online_deployment;
pub mod online_endpoint;
pub mod private_dns_zone;
pub mod private_endpoint;
pub mod reference;
pub mod role_assignment;
pub mod settings;
pub mod workspace;

use crate::azure::names::NameRule;

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
            doc,
        }
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
    pub doc: &'static str,
}

/// Exports every resource has.
pub const COMMON_EXPORTS: &[ExportSchema] = &[
    ExportSchema {
        name: "id",
        doc: "The ARM resource ID.",
    },
    ExportSchema {
        name: "name",
        doc: "The resource's name in Azure.",
    },
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
    /// ARM has `location` on this type (tracked resources).
    pub has_location: bool,
    pub doc: &'static str,
    pub body: BlockSchema,
    /// Attributes known after apply, besides [`COMMON_EXPORTS`].
    pub exports: &'static [ExportSchema],
}

impl KindSchema {
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
    &compute_cluster::SCHEMA,
    &compute_instance::SCHEMA,
    &environment::SCHEMA,
    &data_asset::SCHEMA,
    &model::SCHEMA,
    &online_endpoint::SCHEMA,
    &online_deployment::SCHEMA,
    &batch_endpoint::SCHEMA,
    &batch_deployment::SCHEMA,
    &private_endpoint::SCHEMA,
    &private_dns_zone::SCHEMA,
    &role_assignment::SCHEMA,
];

pub fn kind(name: &str) -> Option<&'static KindSchema> {
    KINDS.iter().copied().find(|k| k.kind == name)
}

pub fn kind_names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.kind)
}
