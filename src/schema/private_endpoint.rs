//! `private_endpoint`: a private endpoint (`Microsoft.Network/privateEndpoints`) that gives a
//! workspace (or any private-link resource) an address in one of your subnets.
//!
//! The target, sub-resource and approval mode become the endpoint's one private-link service
//! connection (`privateLinkServiceConnections`, or `manualPrivateLinkServiceConnections` when
//! `manual_approval` is set), which the kind builds itself; `dns_zones` becomes the child
//! resource `privateDnsZoneGroups/default`.

use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    ArmTypeSchema, AttrSchema, AttrType, BlockSchema, DefaultValue, IdTemplate, KindBehavior,
    KindSchema, LoweredAt, NestedSchema,
};
use crate::azure::names::NameRule;

static USAGE: BlockSchema = BlockSchema {
    attrs: &[AttrSchema::new(
        "data_gb_per_month",
        AttrType::Number,
        "",
        "Expected data through the endpoint, in GB per month in both directions, for the cost forecast.",
    )],
    blocks: &[],
};

/// The endpoint's DNS zone group, from `dns_zones`.
static CHILDREN: &[ArmTypeSchema] = &[ArmTypeSchema {
    kind: "dns_zone_group",
    arm_type: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    api_version: "2024-05-01",
    block: "dns_zones",
    constants: &[],
    behavior: KindBehavior::PLAIN,
    semantics: &DNS_ZONE_GROUP_SEMANTICS,
    doc: "The endpoint's one DNS zone group (`default`), one config per zone.",
}];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "private_endpoint",
    arm_type: "Microsoft.Network/privateEndpoints",
    api_version: "2024-05-01",
    name_rule: NameRule::PrivateEndpoint,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "A private endpoint: a network interface in your subnet connected through Private Link to a workspace or other Azure resource.",
    body: BlockSchema {
        attrs: &[
            AttrSchema::new(
                "target",
                AttrType::RefOrArmId {
                    kinds: &["workspace", "feature_store"],
                    arm_types: &[],
                },
                "",
                "The resource the endpoint connects to.",
            )
            .required()
            .create_only()
            .lowered_at(&[
                LoweredAt::own(
                    "properties.privateLinkServiceConnections.0.properties.privateLinkServiceId",
                ),
                LoweredAt::own(
                    "properties.manualPrivateLinkServiceConnections.0.properties.privateLinkServiceId",
                ),
            ]),
            AttrSchema::new(
                "group",
                AttrType::String,
                "",
                "The target's private-link sub-resource (group ID) to connect to (`amlworkspace` for a workspace, `blob`, `vault`, ...).",
            )
            .required()
            .create_only()
            .lowered_at(&[
                LoweredAt::own("properties.privateLinkServiceConnections.0.properties.groupIds"),
                LoweredAt::own(
                    "properties.manualPrivateLinkServiceConnections.0.properties.groupIds",
                ),
            ]),
            AttrSchema::new(
                "subnet",
                AttrType::ArmId(&["Microsoft.Network/virtualNetworks/subnets"]),
                "properties.subnet.id",
                "ARM ID of the existing subnet the endpoint's private IP address comes from.",
            )
            .required()
            .create_only(),
            // Managed zones by reference, or existing ones (say, in a hub subscription) by ID;
            // Azure accepts at most 5 per zone group.
            AttrSchema::new(
                "dns_zones",
                AttrType::List(&AttrType::RefOrArmId {
                    kinds: &["private_dns_zone"],
                    arm_types: &["Microsoft.Network/privateDnsZones"],
                }),
                "",
                "Private DNS zones in which Azure keeps A records for the endpoint (at most 5).",
            )
            .lowered_at(&[LoweredAt::entry(
                "dns_zone_group",
                "properties.privateDnsZoneConfigs",
            )]),
            AttrSchema::new(
                "manual_approval",
                AttrType::Bool,
                "",
                "Whether the connection waits for the target's owner to approve it, instead of being approved automatically.",
            )
            .default(DefaultValue::Bool(false))
            .create_only()
            // Which of the two connection lists holds the one connection.
            .lowered_at(&[
                LoweredAt::own("properties.privateLinkServiceConnections"),
                LoweredAt::own("properties.manualPrivateLinkServiceConnections"),
            ]),
            AttrSchema::new(
                "request_message",
                AttrType::String,
                "",
                "A message to the target's owner with a manual approval request, at most 140 characters.",
            )
            .lowered_at(&[LoweredAt::own(
                "properties.manualPrivateLinkServiceConnections.0.properties.requestMessage",
            )])
            // It is part of the connection `manual_approval` makes create-only as a whole
            // (the planner replaced on a new message while this said updatable).
            .create_only(),
        ],
        blocks: &[NestedSchema {
            name: "usage",
            labels: 0,
            min: 0,
            max: Some(1),
            body: &USAGE,
            arm_path: "",
            create_only: false,
            doc: "Expected usage, used only by the cost forecast.",
        }],
    },
    exports: &[],
    id: IdTemplate::ResourceGroup,
    behavior: KindBehavior {
        case_insensitive_paths: &[
            "location",
            "properties.subnet.id",
            "properties.privateLinkServiceConnections.0.properties.privateLinkServiceId",
            "properties.manualPrivateLinkServiceConnections.0.properties.privateLinkServiceId",
        ],
        cascades_delete: true,
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    constants: &[],
    lower: Some(crate::arm::lower::network::private_endpoint),
    children: CHILDREN,
    role_scope: true,
    checks: &[crate::check::rules::check_private_endpoint_group],
    cost: Some(cost),
    review: &[],
};

/// What ARM enforces on private endpoints. The connection fields are lowered by the kind
/// itself, so their create-only paths are listed here (terraform ForceNew); `subnet` is
/// create-only through its attribute.
static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Network/privateEndpoints",
    create_only: &[
        "properties.customNetworkInterfaceName",
        "properties.privateLinkServiceConnections[].name",
        "properties.privateLinkServiceConnections[].properties.privateLinkServiceId",
        "properties.privateLinkServiceConnections[].properties.groupIds",
        "properties.manualPrivateLinkServiceConnections[].name",
        "properties.manualPrivateLinkServiceConnections[].properties.privateLinkServiceId",
        "properties.manualPrivateLinkServiceConnections[].properties.groupIds",
    ],
    read_only: &["properties.networkInterfaces"],
    lro: LroStyle::ASYNC_OPERATION,
    operation_urls: OperationUrls::Network,
    requires_location: true,
    etag: true,
    family: Family::PrivateEndpoint,
    source: "readOnly flags of bicep-types network 2025-05-01, create-only from arm-api.md §6 (terraform ForceNew)",
    ..ArmSemantics::PLAIN
};

static DNS_ZONE_GROUP_SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    lro: LroStyle::ASYNC_OPERATION,
    operation_urls: OperationUrls::Network,
    source: "arm-api.md §8: Network PUT/DELETE through Azure-AsyncOperation",
    ..ArmSemantics::PLAIN
};

/// The kind's cost model: the endpoint's hours, and the data through it from
/// `usage { data_gb_per_month }`.
fn cost(
    resource: &crate::model::Resource,
    ctx: &crate::cost::CostCtx<'_>,
) -> crate::cost::KindCost {
    use crate::cost::lines::line;
    use crate::cost::{HOURS_PER_MONTH, Range, number, usage};
    let region = ctx.region(resource);
    let gb = usage(resource).and_then(|u| number(u, "data_gb_per_month"));
    let hours = line(
        "Private endpoint, hours",
        ctx.price("private_endpoint", "", "hour", &region),
        Range::fixed(HOURS_PER_MONTH),
        "hours",
        "exists all month",
    );
    let data = line(
        "Private endpoint, data processed",
        ctx.price("private_endpoint", "", "gb", &region),
        Range::fixed(gb.unwrap_or(0.0)),
        "GB",
        match gb {
            Some(g) => format!("{g} GB a month in both directions (usage)"),
            None => "0 GB: no usage { data_gb_per_month }".to_string(),
        },
    );
    crate::cost::KindCost::Billed(vec![hours, data], Vec::new())
}
