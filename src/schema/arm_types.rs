//! ARM types the emulator stores but amlplan does not model as kinds: resource groups,
//! virtual networks and subnets (referenced by ID), asset containers (registered implicitly by
//! a version PUT), asset types amlplan does not manage yet, other DNS record types and the
//! container registry a workspace may name. Their [`ArmSemantics`] live here, in one place;
//! the modelled types' live in their kinds' files.

use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};

const NETWORK: ArmSemantics = ArmSemantics {
    lro: LroStyle::ASYNC_OPERATION,
    operation_urls: OperationUrls::Network,
    etag: true,
    family: Family::Network,
    source: "Microsoft.Network: PUT/DELETE are long-running (Azure-AsyncOperation), resources carry an etag",
    ..ArmSemantics::PLAIN
};

const ASSET_CONTAINER: ArmSemantics = ArmSemantics {
    // `dataType` is the data container's discriminator (mfe.json 2025-09-01: create-only).
    family: Family::AssetContainer,
    source: "mfe.json 2025-09-01: workspace-scoped asset containers are synchronous",
    ..ArmSemantics::PLAIN
};

/// An asset version (the modelled data and model kinds start from it too).
pub const ASSET_VERSION: ArmSemantics = ArmSemantics {
    family: Family::AssetVersion,
    source: "mfe.json 2025-09-01: workspace-scoped asset versions are synchronous and immutable once registered",
    ..ArmSemantics::PLAIN
};

const REGISTRY_ASSET_CONTAINER: ArmSemantics = ArmSemantics {
    lro: LroStyle::ASYNC_PUT,
    operation_urls: OperationUrls::MachineLearning,
    family: Family::AssetContainer,
    source: "mfe.json 2025-12-01 (registries): registry asset container PUTs are long-running (201 + Azure-AsyncOperation, final-state-via original-uri), DELETEs 202 + Location",
    ..ArmSemantics::PLAIN
};

const REGISTRY_ASSET_VERSION: ArmSemantics = ArmSemantics {
    lro: LroStyle::ASYNC_PUT,
    operation_urls: OperationUrls::MachineLearning,
    family: Family::AssetVersion,
    source: "mfe.json 2025-12-01 (registries): registry asset version PUTs are long-running (200/201 + Azure-AsyncOperation, final-state-via original-uri), DELETEs 202 + Location; immutable once registered",
    ..ArmSemantics::PLAIN
};

/// A component version (the `component` kind's type).
pub const COMPONENT_VERSION: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/components/versions",
    ..ASSET_VERSION
};

/// A private DNS record set (the modelled `A` kind starts from it too).
pub const DNS_RECORD: ArmSemantics = ArmSemantics {
    read_only: &["properties.fqdn", "properties.isAutoRegistered"],
    provisioning_state: false,
    etag: true,
    family: Family::DnsRecord,
    source: "bicep-types privatedns 2024-06-01: fqdn and isAutoRegistered readOnly; record sets synchronous (arm-api.md §6)",
    ..ArmSemantics::PLAIN
};

/// The unmodelled types, each once.
pub static UNMODELED: &[ArmSemantics] = &[
    ArmSemantics {
        arm_type: "Microsoft.Resources/resourceGroups",
        provisioning_state: false,
        family: Family::ResourceGroup,
        ..ArmSemantics::PLAIN
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/virtualNetworks",
        ..NETWORK
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/virtualNetworks/subnets",
        ..NETWORK
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/networkSecurityGroups",
        ..NETWORK
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/networkInterfaces",
        ..NETWORK
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/workspaces/environments",
        ..ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/workspaces/data",
        create_only: &["properties.dataType"],
        ..ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/workspaces/models",
        ..ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/workspaces/codes",
        ..ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/workspaces/components",
        ..ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/registries/models",
        ..REGISTRY_ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/registries/environments",
        ..REGISTRY_ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/registries/components",
        ..REGISTRY_ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/registries/codes",
        ..REGISTRY_ASSET_CONTAINER
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/registries/models/versions",
        ..REGISTRY_ASSET_VERSION
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/registries/environments/versions",
        family: Family::EnvironmentVersion,
        ..REGISTRY_ASSET_VERSION
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/registries/components/versions",
        ..REGISTRY_ASSET_VERSION
    },
    ArmSemantics {
        arm_type: "Microsoft.MachineLearningServices/registries/codes/versions",
        ..REGISTRY_ASSET_VERSION
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/privateDnsZones/AAAA",
        ..DNS_RECORD
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/privateDnsZones/CNAME",
        ..DNS_RECORD
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/privateDnsZones/MX",
        ..DNS_RECORD
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/privateDnsZones/PTR",
        ..DNS_RECORD
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/privateDnsZones/SOA",
        ..DNS_RECORD
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/privateDnsZones/SRV",
        ..DNS_RECORD
    },
    ArmSemantics {
        arm_type: "Microsoft.Network/privateDnsZones/TXT",
        ..DNS_RECORD
    },
    ArmSemantics {
        arm_type: "Microsoft.ContainerRegistry/registries",
        ..ArmSemantics::PLAIN
    },
];
