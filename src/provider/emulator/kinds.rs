//! What the emulator knows per resource type: its kind, its canonical type name, and how
//! ARM answers writes to it (synchronously, or as a long-running operation polled through
//! `Azure-AsyncOperation` or `Location`).

use super::path::ArmPath;

/// The resource kinds the emulator gives specific semantics to. Anything else is
/// [`Kind::Other`]: stored and returned as sent, written synchronously.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Workspace,
    OutboundRule,
    Compute,
    OnlineEndpoint,
    OnlineDeployment,
    BatchEndpoint,
    BatchDeployment,
    /// `environments`, `data`, `models`, `codes`, `components` (workspace-scoped).
    AssetContainer,
    /// `.../{asset}/versions/{version}`.
    AssetVersion,
    PrivateEndpoint,
    DnsZoneGroup,
    DnsZone,
    VnetLink,
    DnsRecord,
    RoleAssignment,
    StorageAccount,
    /// Other `Microsoft.Network` resources (virtual networks, subnets, ...).
    Network,
    ResourceGroup,
    Other,
}

/// How a write is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lro {
    /// 200/201 (DELETE: 200), done.
    Sync,
    /// 201 (update: 200) with `Azure-AsyncOperation` and `Retry-After`.
    AsyncOperation,
    /// 202 with `Location` and `Retry-After`.
    Location,
}

const AML: &str = "microsoft.machinelearningservices/workspaces";
const ASSETS: [&str; 5] = ["environments", "data", "models", "codes", "components"];

/// Canonical casing of the types the emulator knows, keyed by lower-cased type.
const CANONICAL: &[&str] = &[
    "Microsoft.MachineLearningServices/workspaces",
    "Microsoft.MachineLearningServices/workspaces/outboundRules",
    "Microsoft.MachineLearningServices/workspaces/computes",
    "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
    "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
    "Microsoft.MachineLearningServices/workspaces/batchEndpoints",
    "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments",
    "Microsoft.MachineLearningServices/workspaces/environments",
    "Microsoft.MachineLearningServices/workspaces/environments/versions",
    "Microsoft.MachineLearningServices/workspaces/data",
    "Microsoft.MachineLearningServices/workspaces/data/versions",
    "Microsoft.MachineLearningServices/workspaces/models",
    "Microsoft.MachineLearningServices/workspaces/models/versions",
    "Microsoft.MachineLearningServices/workspaces/codes",
    "Microsoft.MachineLearningServices/workspaces/codes/versions",
    "Microsoft.MachineLearningServices/workspaces/components",
    "Microsoft.MachineLearningServices/workspaces/components/versions",
    "Microsoft.Network/privateEndpoints",
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    "Microsoft.Network/privateDnsZones",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    "Microsoft.Network/privateDnsZones/A",
    "Microsoft.Network/privateDnsZones/AAAA",
    "Microsoft.Network/privateDnsZones/CNAME",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Network/virtualNetworks/subnets",
    "Microsoft.Authorization/roleAssignments",
    "Microsoft.Storage/storageAccounts",
    "Microsoft.KeyVault/vaults",
    "Microsoft.Insights/components",
    "Microsoft.OperationalInsights/workspaces",
    "Microsoft.ContainerRegistry/registries",
    "Microsoft.Resources/resourceGroups",
];

impl Kind {
    pub fn of(path: &ArmPath) -> Kind {
        let t = path.type_key();
        if let Some(rest) = t.strip_prefix(AML) {
            return match rest {
                "" => Kind::Workspace,
                "/outboundrules" => Kind::OutboundRule,
                "/computes" => Kind::Compute,
                "/onlineendpoints" => Kind::OnlineEndpoint,
                "/onlineendpoints/deployments" => Kind::OnlineDeployment,
                "/batchendpoints" => Kind::BatchEndpoint,
                "/batchendpoints/deployments" => Kind::BatchDeployment,
                _ => {
                    let parts: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
                    match parts.as_slice() {
                        [a] if ASSETS.contains(a) => Kind::AssetContainer,
                        [a, "versions"] if ASSETS.contains(a) => Kind::AssetVersion,
                        _ => Kind::Other,
                    }
                }
            };
        }
        match t.as_str() {
            "microsoft.network/privateendpoints" => Kind::PrivateEndpoint,
            "microsoft.network/privateendpoints/privatednszonegroups" => Kind::DnsZoneGroup,
            "microsoft.network/privatednszones" => Kind::DnsZone,
            "microsoft.network/privatednszones/virtualnetworklinks" => Kind::VnetLink,
            "microsoft.authorization/roleassignments" => Kind::RoleAssignment,
            "microsoft.storage/storageaccounts" => Kind::StorageAccount,
            "microsoft.resources/resourcegroups" => Kind::ResourceGroup,
            _ if t.starts_with("microsoft.network/privatednszones/") => Kind::DnsRecord,
            _ if t.starts_with("microsoft.network/") => Kind::Network,
            _ => Kind::Other,
        }
    }

    pub fn put_lro(self) -> Lro {
        match self {
            Kind::Workspace | Kind::OutboundRule | Kind::StorageAccount => Lro::Location,
            Kind::Compute
            | Kind::OnlineEndpoint
            | Kind::OnlineDeployment
            | Kind::BatchEndpoint
            | Kind::BatchDeployment
            | Kind::PrivateEndpoint
            | Kind::DnsZoneGroup
            | Kind::DnsZone
            | Kind::VnetLink
            | Kind::Network => Lro::AsyncOperation,
            Kind::AssetContainer
            | Kind::AssetVersion
            | Kind::DnsRecord
            | Kind::RoleAssignment
            | Kind::ResourceGroup
            | Kind::Other => Lro::Sync,
        }
    }

    pub fn patch_lro(self) -> Lro {
        match self.put_lro() {
            // AML endpoints, deployments and computes answer PATCH with 202 + Location.
            Lro::AsyncOperation
                if matches!(
                    self,
                    Kind::Compute
                        | Kind::OnlineEndpoint
                        | Kind::OnlineDeployment
                        | Kind::BatchEndpoint
                        | Kind::BatchDeployment
                ) =>
            {
                Lro::Location
            }
            other => other,
        }
    }

    /// Long-running deletes answer 202 + `Location`; synchronous ones 200.
    pub fn delete_is_lro(self) -> bool {
        self.put_lro() != Lro::Sync
    }

    /// Tracked resources ARM refuses without a `location`.
    pub fn requires_location(self) -> bool {
        matches!(
            self,
            Kind::Workspace
                | Kind::Compute
                | Kind::OnlineEndpoint
                | Kind::OnlineDeployment
                | Kind::BatchEndpoint
                | Kind::BatchDeployment
                | Kind::PrivateEndpoint
                | Kind::DnsZone
                | Kind::StorageAccount
        )
    }

    /// Whether the service reports `properties.provisioningState` for the kind.
    pub fn has_provisioning_state(self) -> bool {
        !matches!(
            self,
            Kind::RoleAssignment | Kind::DnsRecord | Kind::ResourceGroup
        )
    }

    /// AML kinds whose endpoints/deployments report `x-ms-async-operation-timeout`.
    pub fn reports_operation_timeout(self) -> bool {
        matches!(
            self,
            Kind::OnlineEndpoint
                | Kind::OnlineDeployment
                | Kind::BatchEndpoint
                | Kind::BatchDeployment
        )
    }
}

/// The type as ARM reports it: the canonical casing for known types, else as sent.
pub(crate) fn canonical_type(path: &ArmPath) -> String {
    let key = path.type_key();
    CANONICAL
        .iter()
        .find(|c| c.eq_ignore_ascii_case(&key))
        .map(|c| (*c).to_string())
        .unwrap_or_else(|| path.resource_type())
}

/// Operation-status path segments (`Azure-AsyncOperation` style), lower-cased.
pub(crate) const ASYNC_OPERATION_TYPES: [&str; 4] = [
    "mfeoperationsstatus",
    "operations",
    "privatednsoperationstatuses",
    "operationstatuses",
];
/// Operation-result path segments (`Location` style), lower-cased.
pub(crate) const LOCATION_OPERATION_TYPES: [&str; 3] = [
    "mfeoperationresults",
    "operationresults",
    "privatednsoperationresults",
];

/// The operation URL paths (async-operation, location) for an operation on `resource`, as
/// the resource's provider spells them.
pub(crate) fn operation_paths(resource: &ArmPath, location: &str, op_id: &str) -> (String, String) {
    let sub = resource
        .subscription()
        .unwrap_or("00000000-0000-0000-0000-000000000000");
    let ns = resource.namespace.as_str();
    if ns.eq_ignore_ascii_case("Microsoft.MachineLearningServices") {
        let base = format!(
            "/subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{location}"
        );
        return (
            format!("{base}/mfeOperationsStatus/{op_id}"),
            format!("{base}/mfeOperationResults/{op_id}"),
        );
    }
    if resource
        .type_key()
        .starts_with("microsoft.network/privatednszones")
    {
        let rg = resource.resource_group().unwrap_or("default");
        let base = format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network");
        return (
            format!("{base}/privateDnsOperationStatuses/{op_id}"),
            format!("{base}/privateDnsOperationResults/{op_id}"),
        );
    }
    if ns.eq_ignore_ascii_case("Microsoft.Network") {
        let base = format!("/subscriptions/{sub}/providers/Microsoft.Network/locations/{location}");
        return (
            format!("{base}/operations/{op_id}"),
            format!("{base}/operationResults/{op_id}"),
        );
    }
    let base = format!("/subscriptions/{sub}/providers/{ns}/locations/{location}");
    (
        format!("{base}/operationStatuses/{op_id}"),
        format!("{base}/operationResults/{op_id}"),
    )
}

/// For an operation-status path: (operation id, polled through `Location`?).
pub(crate) fn operation_of(path: &ArmPath) -> Option<(String, bool)> {
    if path.is_collection() || path.types.is_empty() {
        return None;
    }
    let last = path.last_type();
    let under_provider_root = path.types.len() == 1 || {
        let first = path.types[0].to_ascii_lowercase();
        first == "locations" && path.types.len() == 2
    };
    if !under_provider_root {
        return None;
    }
    let id = path.name().to_string();
    if ASYNC_OPERATION_TYPES.contains(&last.as_str()) {
        Some((id, false))
    } else if LOCATION_OPERATION_TYPES.contains(&last.as_str()) {
        Some((id, true))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_styles() {
        let ws = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w";
        let k = |p: &str| Kind::of(&ArmPath::parse(p).unwrap());
        assert_eq!(k(ws), Kind::Workspace);
        assert_eq!(k(&format!("{ws}/computes/c")), Kind::Compute);
        assert_eq!(
            k(&format!("{ws}/environments/e/versions/1")),
            Kind::AssetVersion
        );
        assert_eq!(k(&format!("{ws}/data/d")), Kind::AssetContainer);
        assert_eq!(
            k(&format!(
                "{ws}/providers/Microsoft.Authorization/roleAssignments/x"
            )),
            Kind::RoleAssignment
        );
        assert_eq!(
            k(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z/A/r"
            ),
            Kind::DnsRecord
        );
        assert_eq!(Kind::Workspace.put_lro(), Lro::Location);
        assert_eq!(Kind::Compute.put_lro(), Lro::AsyncOperation);
        assert_eq!(Kind::OnlineEndpoint.patch_lro(), Lro::Location);
        assert_eq!(Kind::RoleAssignment.put_lro(), Lro::Sync);
    }

    #[test]
    fn operation_paths_round_trip() {
        for p in [
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
        ] {
            let r = ArmPath::parse(p).unwrap();
            let (a, l) = operation_paths(&r, "westeurope", "op1");
            assert_eq!(
                operation_of(&ArmPath::parse(&a).unwrap()),
                Some(("op1".into(), false)),
                "{a}"
            );
            assert_eq!(
                operation_of(&ArmPath::parse(&l).unwrap()),
                Some(("op1".into(), true)),
                "{l}"
            );
            assert_eq!(operation_of(&r), None);
        }
    }
}
