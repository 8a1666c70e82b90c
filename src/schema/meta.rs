//! Attributes and blocks every resource accepts, described once instead of in every table:
//! the meta-arguments (`depends_on`, `for_each`, `count`, `name`, `resource_group`), `tags` and
//! `location` (only where the kind's [`KindSchema::has_tags`] / [`KindSchema::has_location`] say
//! ARM has them) and the `lifecycle` block. It also holds the managed-identity block body that
//! several kinds share.
//!
//! # ARM paths in nested blocks
//!
//! Across all tables, the `arm_path` of an attribute inside a nested block is relative to the
//! block's own `arm_path` (so one body, such as a probe or the identity block, can be reused at
//! several places). Where the block's `arm_path` is empty the kind lowers the block itself (for
//! example into a child resource such as `workspaces/outboundRules`), and the attribute paths are
//! relative to the body the kind builds for one occurrence of the block.

use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, KindSchema, NestedSchema, Wire,
};

/// Meta-arguments any resource block accepts, whatever its kind.
pub static META_ATTRS: &[AttrSchema] = &[
    AttrSchema::new(
        "depends_on",
        AttrType::Any,
        "",
        "Extra dependencies, as a list of block references, besides those implied by references.",
    ),
    AttrSchema::new(
        "for_each",
        AttrType::Any,
        "",
        "A map or set of strings; one instance of the block is made per element (`each.key`, `each.value`).",
    ),
    AttrSchema::new(
        "count",
        AttrType::Integer {
            min: Some(0),
            max: None,
        },
        "",
        "The number of instances of the block to make (`count.index` is 0-based).",
    ),
    // The Azure name is part of the resource ID: a new name is a new resource.
    AttrSchema::new(
        "name",
        AttrType::String,
        "",
        "The resource's name in Azure, overriding the block label.",
    )
    .create_only(),
    AttrSchema::new(
        "resource_group",
        AttrType::String,
        "",
        "The resource group to put the resource in, overriding the one in the `azure` block.",
    )
    .create_only(),
];

/// `tags`, accepted where the kind's `has_tags` is set.
pub static TAGS: AttrSchema = AttrSchema::new(
    "tags",
    AttrType::Map(&AttrType::String),
    "tags",
    "Azure tags, as a map of string keys to string values.",
);

/// `location`, accepted where the kind's `has_location` is set.
pub static LOCATION: AttrSchema = AttrSchema::new(
    "location",
    AttrType::String,
    "location",
    "The Azure region, overriding the one in the `azure` block.",
)
.create_only();

static LIFECYCLE_BODY: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "prevent_destroy",
            AttrType::Bool,
            "",
            "Makes any plan that would delete or replace the resource an error.",
        )
        .default(DefaultValue::Bool(false)),
        AttrSchema::new(
            "ignore_changes",
            AttrType::List(&AttrType::String),
            "",
            "Attribute names whose differences from Azure are not planned as updates.",
        ),
        AttrSchema::new(
            "replace_versions",
            AttrType::Bool,
            "",
            "For versioned assets, deletes and re-creates a version whose content changed instead of asking for a version bump.",
        )
        .default(DefaultValue::Bool(false)),
        AttrSchema::new(
            "delete_old_versions",
            AttrType::Bool,
            "",
            "For versioned assets, deletes the old version after a version bump (and on destroy) instead of archiving it; old versions are kept by default for lineage.",
        )
        .default(DefaultValue::Bool(false)),
        AttrSchema::new(
            "create_before_destroy",
            AttrType::Bool,
            "",
            "On replacement, creates the new resource before deleting the old one (needs a new name).",
        )
        .default(DefaultValue::Bool(false)),
    ],
    blocks: &[],
};

/// The `lifecycle` block any resource accepts.
pub static LIFECYCLE: NestedSchema = NestedSchema {
    name: "lifecycle",
    labels: 0,
    min: 0,
    max: Some(1),
    body: &LIFECYCLE_BODY,
    arm_path: "",
    create_only: false,
    doc: "How amlplan plans changes to this resource: protection against deletion, ignored attributes, replacement order.",
};

/// Whether `name` is a meta-argument any resource accepts. `tags` and `location` are not:
/// they depend on the kind (see [`kind_attr`]).
pub fn is_meta_attr(name: &str) -> bool {
    META_ATTRS.iter().any(|a| a.name == name)
}

/// The schema of attribute `name` on a block of `kind`: the kind's own attributes first (a kind
/// may redefine a meta-argument, as `private_dns_zone` does with `name`), then the
/// meta-arguments, then `tags` and `location` where ARM has them.
pub fn kind_attr(kind: &'static KindSchema, name: &str) -> Option<&'static AttrSchema> {
    kind.body
        .attr(name)
        .or_else(|| META_ATTRS.iter().find(|a| a.name == name))
        .or_else(|| (kind.has_tags && name == TAGS.name).then_some(&TAGS))
        .or_else(|| (kind.has_location && name == LOCATION.name).then_some(&LOCATION))
}

/// The managed-identity types, with ARM's spelling.
pub static IDENTITY_TYPES: &[EnumValue] = &[
    EnumValue::new("system_assigned", "SystemAssigned"),
    EnumValue::new("user_assigned", "UserAssigned"),
    EnumValue::new("system_and_user_assigned", "SystemAssigned,UserAssigned"),
];

/// The user-assigned identity resource type.
pub static UAI_TYPE: &[&str] = &["Microsoft.ManagedIdentity/userAssignedIdentities"];

/// The body of the `identity` block shared by computes and endpoints (ARM `identity`).
pub static IDENTITY_BODY: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "type",
            AttrType::Enum(IDENTITY_TYPES),
            "type",
            "Which managed identities the resource has: system-assigned, user-assigned or both.",
        )
        .required(),
        // ARM wants a map keyed by identity ID with empty objects as values; the lowering turns
        // the list into that map.
        AttrSchema::new(
            "user_assigned_ids",
            AttrType::List(&AttrType::ArmId(UAI_TYPE)),
            "userAssignedIdentities",
            "ARM IDs of the user-assigned identities to attach.",
        )
        .wire(Wire::IdMap),
    ],
    blocks: &[],
};

/// The `identity` block as most kinds use it (updatable, at ARM `identity`).
pub static IDENTITY: NestedSchema = NestedSchema {
    name: "identity",
    labels: 0,
    min: 0,
    max: Some(1),
    body: &IDENTITY_BODY,
    arm_path: "identity",
    create_only: false,
    doc: "The managed identity the resource uses to reach other Azure resources.",
};
