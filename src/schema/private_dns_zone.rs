//! `private_dns_zone`: a private DNS zone (`Microsoft.Network/privateDnsZones`), with its
//! virtual-network links and A records.
//!
//! The zone is a global resource (ARM `location` is always `"global"`, which the lowering
//! sets). Each `vnet_link "NAME"` is the child resource `virtualNetworkLinks/NAME` and each
//! `a_record "NAME"` the child resource `A/NAME`; their attribute paths are relative to those
//! child bodies.

use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    ArmTypeSchema, AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, IdTemplate,
    KindBehavior, KindSchema, NestedSchema, Wire,
};
use crate::azure::names::NameRule;

static RESOLUTION_POLICIES: &[EnumValue] = &[
    EnumValue::new("default", "Default"),
    EnumValue::new("nx_domain_redirect", "NxDomainRedirect"),
];

static VNET_LINK: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "virtual_network",
            AttrType::ArmId(&["Microsoft.Network/virtualNetworks"]),
            "properties.virtualNetwork.id",
            "ARM ID of the virtual network whose resolver answers from this zone.",
        )
        .required()
        .create_only(),
        AttrSchema::new(
            "registration",
            AttrType::Bool,
            "properties.registrationEnabled",
            "Whether VMs in the virtual network get their records registered in the zone automatically.",
        )
        .default(DefaultValue::Bool(false)),
        AttrSchema::new(
            "resolution_policy",
            AttrType::Enum(RESOLUTION_POLICIES),
            "properties.resolutionPolicy",
            "Whether names missing from a privatelink zone fall back to public DNS (`nx_domain_redirect`) or fail (`default`).",
        )
        .default(DefaultValue::Str("default")),
    ],
    blocks: &[],
};

static A_RECORD: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "ttl",
            AttrType::Integer {
                min: Some(0),
                max: Some(2_147_483_647),
            },
            "properties.ttl",
            "How long resolvers may cache the record, in seconds.",
        )
        .default(DefaultValue::Int(3600)),
        // Each address becomes one `{ipv4Address: ...}` element of `properties.aRecords`.
        AttrSchema::new(
            "ipv4",
            AttrType::List(&AttrType::String),
            "properties.aRecords",
            "The IPv4 addresses the name resolves to.",
        )
        .wire(Wire::Wrapped("ipv4Address"))
        .required(),
    ],
    blocks: &[],
};

/// The zone's virtual network links and A record sets, child resources of their own.
static CHILDREN: &[ArmTypeSchema] = &[
    ArmTypeSchema {
        kind: "vnet_link",
        arm_type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        api_version: "2024-06-01",
        block: "vnet_link",
        // A link is global, like its zone.
        constants: &[("location", "global")],
        behavior: KindBehavior {
            case_insensitive_paths: &["location", "properties.virtualNetwork.id"],
            ..KindBehavior::PLAIN
        },
        semantics: &VNET_LINK_SEMANTICS,
        doc: "A link from the zone to a virtual network.",
    },
    ArmTypeSchema {
        kind: "a_record",
        arm_type: "Microsoft.Network/privateDnsZones/A",
        api_version: "2024-06-01",
        block: "a_record",
        constants: &[],
        behavior: KindBehavior::PLAIN,
        semantics: &A_RECORD_SEMANTICS,
        doc: "An A record set of the zone.",
    },
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "private_dns_zone",
    arm_type: "Microsoft.Network/privateDnsZones",
    api_version: "2024-06-01",
    name_rule: NameRule::DnsZone,
    has_tags: true,
    // Always "global": not settable.
    tags_path: "tags",
    has_location: false,
    doc: "A private DNS zone (`privatelink.api.azureml.ms`, ...) linked to virtual networks, where private endpoints get their names.",
    body: BlockSchema {
        attrs: &[
            // The zone's FQDN is its Azure name (part of the resource ID); the block label is
            // only the handle used in references. Redefines the `name` meta-argument as required.
            AttrSchema::new(
                "name",
                AttrType::String,
                "",
                "The zone's DNS name (`privatelink.api.azureml.ms`), which is also its Azure name.",
            )
            .required()
            .create_only(),
        ],
        blocks: &[
            NestedSchema {
                name: "vnet_link",
                labels: 1,
                min: 0,
                max: None,
                body: &VNET_LINK,
                arm_path: "",
                create_only: false,
                doc: "A link that lets a virtual network resolve names in the zone, named by its label.",
            },
            NestedSchema {
                name: "a_record",
                labels: 1,
                min: 0,
                max: None,
                body: &A_RECORD,
                arm_path: "",
                create_only: false,
                doc: "An A record set, whose label is the record name relative to the zone.",
            },
        ],
    },
    exports: &[],
    id: IdTemplate::ResourceGroup,
    behavior: KindBehavior {
        case_insensitive_paths: &["location"],
        // ARM refuses to delete a zone that still has virtual network links.
        cascades_delete: false,
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[("location", "global")],
    lower: Some(crate::arm::lower::network::private_dns_zone),
    children: CHILDREN,
    role_scope: true,
    checks: &[],
    cost: Some(cost),
    review: &[],
};

/// What ARM enforces on private DNS zones: a global resource whose `properties` are all
/// read-only (counts, limits, `internalId`).
static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Network/privateDnsZones",
    read_only: &["properties"],
    lro: LroStyle::ACCEPTED_WITH_BOTH,
    operation_urls: OperationUrls::PrivateDns,
    etag: true,
    family: Family::DnsZone,
    source: "readOnly flags of bicep-types privatedns 2024-06-01; privatedns.json 2024-06-01: PUT, PATCH and DELETE long-running (200/201/202), answered 202 with Azure-AsyncOperation and Location",
    ..ArmSemantics::PLAIN
};

static VNET_LINK_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    // "any attempt to set this value will be ignored" (privatedns.json 2024-06-01).
    read_only: &["properties.virtualNetworkLinkState"],
    lro: LroStyle::ACCEPTED_WITH_BOTH,
    operation_urls: OperationUrls::PrivateDns,
    etag: true,
    family: Family::VnetLink,
    source: "readOnly flags of bicep-types privatedns 2024-06-01; privatedns.json 2024-06-01: PUT, PATCH and DELETE long-running (200/201/202), answered 202 with Azure-AsyncOperation and Location",
    ..ArmSemantics::PLAIN
};

static A_RECORD_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Network/privateDnsZones/A",
    ..super::arm_types::DNS_RECORD
};

/// The kind's cost model: one hosted zone a month (its records and links cost nothing more;
/// queries are billed per million and not forecast).
fn cost(
    resource: &crate::model::Resource,
    ctx: &crate::cost::CostCtx<'_>,
) -> crate::cost::KindCost {
    let region = ctx.region(resource);
    let zone = crate::cost::lines::line(
        "Private DNS zone, hosted",
        ctx.price("private_dns_zone", "", "zone_month", &region),
        crate::cost::Range::fixed(1.0),
        "zone-months",
        "one zone all month; queries ($ per million) are not forecast",
    );
    crate::cost::KindCost::Billed(vec![zone], Vec::new())
}
