//! Private Link facts: the sub-resources (group IDs) each target type accepts, the private DNS
//! zones each needs, and the Azure service tags an outbound rule may name.
//!
//! A private endpoint or a managed-network outbound rule with a group ID the target does not
//! offer fails at apply time with an unhelpful error, and a private endpoint without the right
//! DNS zone deploys fine but silently resolves to the public address. Both are checkable from
//! the manifest alone with these tables.
//!
//! Zone names are for the Azure commercial cloud; sovereign clouds use other suffixes.
//! Types not listed here are unknown rather than invalid: callers skip the check for them.

/// One Private Link target type and its group IDs with their DNS zones.
struct Target {
    resource_type: &'static str,
    groups: &'static [&'static str],
    zones: &'static [(&'static str, &'static [&'static str])],
}

const STORAGE: &str = "Microsoft.Storage/storageAccounts";
const WEB_SITES: &str = "Microsoft.Web/sites";

static TARGETS: &[Target] = &[
    Target {
        resource_type: STORAGE,
        groups: &[
            "blob",
            "blob_secondary",
            "table",
            "table_secondary",
            "queue",
            "queue_secondary",
            "file",
            "file_secondary",
            "web",
            "web_secondary",
            "dfs",
            "dfs_secondary",
        ],
        // Secondary endpoints share the primary's zone.
        zones: &[
            ("blob", &["privatelink.blob.core.windows.net"]),
            ("blob_secondary", &["privatelink.blob.core.windows.net"]),
            ("table", &["privatelink.table.core.windows.net"]),
            ("table_secondary", &["privatelink.table.core.windows.net"]),
            ("queue", &["privatelink.queue.core.windows.net"]),
            ("queue_secondary", &["privatelink.queue.core.windows.net"]),
            ("file", &["privatelink.file.core.windows.net"]),
            ("file_secondary", &["privatelink.file.core.windows.net"]),
            ("web", &["privatelink.web.core.windows.net"]),
            ("web_secondary", &["privatelink.web.core.windows.net"]),
            ("dfs", &["privatelink.dfs.core.windows.net"]),
            ("dfs_secondary", &["privatelink.dfs.core.windows.net"]),
        ],
    },
    Target {
        resource_type: "Microsoft.KeyVault/vaults",
        groups: &["vault"],
        zones: &[("vault", &["privatelink.vaultcore.azure.net"])],
    },
    Target {
        resource_type: "Microsoft.KeyVault/managedHSMs",
        groups: &["managedhsm"],
        zones: &[("managedhsm", &["privatelink.managedhsm.azure.net"])],
    },
    Target {
        resource_type: "Microsoft.ContainerRegistry/registries",
        groups: &["registry"],
        // The per-region data endpoints (`{region}.data.privatelink.azurecr.io`) live in the
        // same zone.
        zones: &[("registry", &["privatelink.azurecr.io"])],
    },
    Target {
        resource_type: "Microsoft.MachineLearningServices/workspaces",
        groups: &["amlworkspace"],
        zones: &[(
            "amlworkspace",
            &[
                "privatelink.api.azureml.ms",
                "privatelink.notebooks.azure.net",
            ],
        )],
    },
    Target {
        resource_type: "Microsoft.MachineLearningServices/registries",
        groups: &["amlregistry"],
        zones: &[("amlregistry", &["privatelink.api.azureml.ms"])],
    },
    Target {
        resource_type: "Microsoft.CognitiveServices/accounts",
        groups: &["account"],
        zones: &[(
            "account",
            &[
                "privatelink.cognitiveservices.azure.com",
                "privatelink.openai.azure.com",
                "privatelink.services.ai.azure.com",
            ],
        )],
    },
    Target {
        resource_type: "Microsoft.Search/searchServices",
        groups: &["searchService"],
        zones: &[("searchService", &["privatelink.search.windows.net"])],
    },
    Target {
        resource_type: "Microsoft.DocumentDB/databaseAccounts",
        groups: &[
            "Sql",
            "MongoDB",
            "Cassandra",
            "Gremlin",
            "Table",
            "SqlDedicated",
        ],
        zones: &[
            ("Sql", &["privatelink.documents.azure.com"]),
            ("MongoDB", &["privatelink.mongo.cosmos.azure.com"]),
            ("Cassandra", &["privatelink.cassandra.cosmos.azure.com"]),
            ("Gremlin", &["privatelink.gremlin.cosmos.azure.com"]),
            ("Table", &["privatelink.table.cosmos.azure.com"]),
            ("SqlDedicated", &["privatelink.sqlx.cosmos.azure.com"]),
        ],
    },
    Target {
        resource_type: "Microsoft.Sql/servers",
        groups: &["sqlServer"],
        zones: &[("sqlServer", &["privatelink.database.windows.net"])],
    },
    Target {
        resource_type: "Microsoft.DBforPostgreSQL/flexibleServers",
        groups: &["postgresqlServer"],
        zones: &[(
            "postgresqlServer",
            &["privatelink.postgres.database.azure.com"],
        )],
    },
    Target {
        resource_type: "Microsoft.Databricks/workspaces",
        groups: &["databricks_ui_api", "browser_authentication"],
        zones: &[
            ("databricks_ui_api", &["privatelink.azuredatabricks.net"]),
            (
                "browser_authentication",
                &["privatelink.azuredatabricks.net"],
            ),
        ],
    },
    Target {
        resource_type: "Microsoft.EventHub/namespaces",
        groups: &["namespace"],
        zones: &[("namespace", &["privatelink.servicebus.windows.net"])],
    },
    Target {
        resource_type: "Microsoft.ServiceBus/namespaces",
        groups: &["namespace"],
        zones: &[("namespace", &["privatelink.servicebus.windows.net"])],
    },
    Target {
        resource_type: "Microsoft.Cache/Redis",
        groups: &["redisCache"],
        zones: &[("redisCache", &["privatelink.redis.cache.windows.net"])],
    },
    Target {
        resource_type: "Microsoft.AppConfiguration/configurationStores",
        groups: &["configurationStores"],
        zones: &[("configurationStores", &["privatelink.azconfig.io"])],
    },
    Target {
        resource_type: "Microsoft.Synapse/workspaces",
        groups: &["Sql", "SqlOnDemand", "Dev"],
        zones: &[
            ("Sql", &["privatelink.sql.azuresynapse.net"]),
            ("SqlOnDemand", &["privatelink.sql.azuresynapse.net"]),
            ("Dev", &["privatelink.dev.azuresynapse.net"]),
        ],
    },
    Target {
        resource_type: WEB_SITES,
        // Deployment slots add `sites-<slot name>`; see `is_valid_subresource`.
        groups: &["sites"],
        zones: &[("sites", &["privatelink.azurewebsites.net"])],
    },
    Target {
        resource_type: "Microsoft.Insights/privateLinkScopes",
        groups: &["azuremonitor"],
        zones: &[(
            "azuremonitor",
            &[
                "privatelink.monitor.azure.com",
                "privatelink.oms.opinsights.azure.com",
                "privatelink.ods.opinsights.azure.com",
                "privatelink.agentsvc.azure-automation.net",
                "privatelink.blob.core.windows.net",
            ],
        )],
    },
];

fn target(resource_type: &str) -> Option<&'static Target> {
    TARGETS
        .iter()
        .find(|t| t.resource_type.eq_ignore_ascii_case(resource_type))
}

/// The group IDs a Private Link target type offers, in Azure's spelling. The type is matched
/// without regard to case. `None` means the type is unknown here, so the caller cannot check.
pub fn valid_subresources(resource_type: &str) -> Option<&'static [&'static str]> {
    target(resource_type).map(|t| t.groups)
}

/// Whether `subresource` is a group ID of `resource_type` (ignoring case, and accepting the
/// `sites-<slot>` group IDs of web app deployment slots). `None` when the type is unknown.
pub fn is_valid_subresource(resource_type: &str, subresource: &str) -> Option<bool> {
    let t = target(resource_type)?;
    if t.groups.iter().any(|g| g.eq_ignore_ascii_case(subresource)) {
        return Some(true);
    }
    let is_slot = t.resource_type == WEB_SITES
        && subresource
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("sites-"))
        && subresource.len() > 6;
    Some(is_slot)
}

/// The private DNS zones (commercial cloud) a private endpoint for this type and group ID must
/// be linked to. Empty when the pair is unknown. Both arguments ignore case.
pub fn private_dns_zones(resource_type: &str, subresource: &str) -> &'static [&'static str] {
    let Some(t) = target(resource_type) else {
        return &[];
    };
    if let Some((_, zones)) = t
        .zones
        .iter()
        .find(|(g, _)| g.eq_ignore_ascii_case(subresource))
    {
        return zones;
    }
    if t.resource_type == WEB_SITES && is_valid_subresource(WEB_SITES, subresource) == Some(true) {
        return t.zones[0].1;
    }
    &[]
}

/// Azure service tags commonly used in outbound rules, in Azure's spelling.
///
/// Only tags that name Azure services are listed. The NSG-only virtual tags `Internet`,
/// `VirtualNetwork` and `AzureLoadBalancer` are left out on purpose: they do not identify a
/// service, and an outbound rule naming `Internet` would undo the isolation it belongs to.
pub const SERVICE_TAGS: &[&str] = &[
    "ActionGroup",
    "ApiManagement",
    "AppConfiguration",
    "AppService",
    "AppServiceManagement",
    "AzureActiveDirectory",
    "AzureActiveDirectoryDomainServices",
    "AzureArcInfrastructure",
    "AzureBackup",
    "AzureBotService",
    "AzureCloud",
    "AzureCognitiveSearch",
    "AzureConnectors",
    "AzureContainerRegistry",
    "AzureCosmosDB",
    "AzureDatabricks",
    "AzureDataExplorerManagement",
    "AzureDataLake",
    "AzureDevOps",
    "AzureDigitalTwins",
    "AzureEventGrid",
    "AzureFrontDoor.Backend",
    "AzureFrontDoor.FirstParty",
    "AzureFrontDoor.Frontend",
    "AzureIoTHub",
    "AzureKeyVault",
    "AzureMachineLearning",
    "AzureMonitor",
    "AzureOpenDatasets",
    "AzurePortal",
    "AzureResourceManager",
    "AzureSignalR",
    "AzureSiteRecovery",
    "AzureTrafficManager",
    "AzureUpdateDelivery",
    "BatchNodeManagement",
    "CognitiveServicesFrontend",
    "CognitiveServicesManagement",
    "DataFactory",
    "DataFactoryManagement",
    "EventHub",
    "GatewayManager",
    "GuestAndHybridManagement",
    "HDInsight",
    "LogicApps",
    "LogicAppsManagement",
    "MicrosoftCloudAppSecurity",
    "MicrosoftContainerRegistry",
    "PowerBI",
    "PowerQueryOnline",
    "ServiceBus",
    "ServiceFabric",
    "Sql",
    "SqlManagement",
    "Storage",
    "StorageSyncService",
    "WindowsVirtualDesktop",
];

/// Whether `tag` is a known service tag or a regional form of one (`Storage.eastus`,
/// `BatchNodeManagement.westeurope`). Case is ignored. The region part must look like an Azure
/// region name (letters then letters or digits); it is not checked against a region list.
pub fn is_known_service_tag(tag: &str) -> bool {
    let known = |t: &str| SERVICE_TAGS.iter().any(|k| k.eq_ignore_ascii_case(t));
    if known(tag) {
        return true;
    }
    match tag.rsplit_once('.') {
        Some((base, region)) => known(base) && looks_like_region(region),
        None => false,
    }
}

fn looks_like_region(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn tables_are_consistent() {
        let mut types = HashSet::new();
        for t in TARGETS {
            assert!(
                types.insert(t.resource_type.to_ascii_lowercase()),
                "duplicate {}",
                t.resource_type
            );
            let groups: HashSet<&str> = t.groups.iter().copied().collect();
            assert_eq!(groups.len(), t.groups.len(), "{}", t.resource_type);
            // Every group has zones, and zones name only listed groups.
            assert_eq!(t.zones.len(), t.groups.len(), "{}", t.resource_type);
            for (g, zones) in t.zones {
                assert!(
                    groups.contains(g),
                    "{}: zone for unknown {g}",
                    t.resource_type
                );
                assert!(!zones.is_empty());
                for z in *zones {
                    assert!(
                        crate::azure::names::check_name(crate::azure::names::NameRule::DnsZone, z)
                            .is_ok(),
                        "{z}"
                    );
                    assert!(z.starts_with("privatelink."), "{z}");
                }
            }
        }
    }

    #[test]
    fn storage_group_ids() {
        let groups = valid_subresources("Microsoft.Storage/storageAccounts").unwrap();
        for g in [
            "blob",
            "blob_secondary",
            "file",
            "dfs",
            "dfs_secondary",
            "queue",
            "table",
            "web",
            "web_secondary",
        ] {
            assert!(groups.contains(&g), "{g}");
        }
        assert!(!groups.contains(&"vault"));
    }

    #[test]
    fn lookup_ignores_type_case() {
        assert_eq!(
            valid_subresources("microsoft.keyvault/VAULTS"),
            Some(&["vault"][..])
        );
        assert_eq!(
            valid_subresources("Microsoft.MachineLearningServices/workspaces"),
            Some(&["amlworkspace"][..])
        );
        assert_eq!(
            valid_subresources("Microsoft.MachineLearningServices/registries"),
            Some(&["amlregistry"][..])
        );
        assert_eq!(
            valid_subresources("Microsoft.ContainerRegistry/registries"),
            Some(&["registry"][..])
        );
        assert_eq!(valid_subresources("Microsoft.Unknown/things"), None);
    }

    #[test]
    fn other_targets() {
        assert_eq!(
            valid_subresources("Microsoft.DocumentDB/databaseAccounts").unwrap()[..5],
            ["Sql", "MongoDB", "Cassandra", "Gremlin", "Table"]
        );
        assert_eq!(
            valid_subresources("Microsoft.Synapse/workspaces").unwrap(),
            ["Sql", "SqlOnDemand", "Dev"]
        );
        assert_eq!(
            valid_subresources("Microsoft.Databricks/workspaces").unwrap(),
            ["databricks_ui_api", "browser_authentication"]
        );
        for (ty, g) in [
            ("Microsoft.CognitiveServices/accounts", "account"),
            ("Microsoft.Search/searchServices", "searchService"),
            ("Microsoft.Sql/servers", "sqlServer"),
            ("Microsoft.EventHub/namespaces", "namespace"),
            ("Microsoft.Cache/Redis", "redisCache"),
            (
                "Microsoft.AppConfiguration/configurationStores",
                "configurationStores",
            ),
            ("Microsoft.Web/sites", "sites"),
        ] {
            assert_eq!(valid_subresources(ty).unwrap(), [g], "{ty}");
        }
    }

    #[test]
    fn validity_check() {
        let st = "Microsoft.Storage/storageAccounts";
        assert_eq!(is_valid_subresource(st, "blob"), Some(true));
        assert_eq!(is_valid_subresource(st, "BLOB"), Some(true));
        assert_eq!(is_valid_subresource(st, "vault"), Some(false));
        assert_eq!(is_valid_subresource("Microsoft.Foo/bars", "x"), None);
        assert_eq!(
            is_valid_subresource("Microsoft.Web/sites", "sites-staging"),
            Some(true)
        );
        assert_eq!(
            is_valid_subresource("Microsoft.Web/sites", "sites-"),
            Some(false)
        );
        assert_eq!(
            is_valid_subresource("Microsoft.Storage/storageAccounts", "sites-staging"),
            Some(false)
        );
    }

    #[test]
    fn dns_zones() {
        assert_eq!(
            private_dns_zones(
                "Microsoft.MachineLearningServices/workspaces",
                "amlworkspace"
            ),
            [
                "privatelink.api.azureml.ms",
                "privatelink.notebooks.azure.net"
            ]
        );
        assert_eq!(
            private_dns_zones(
                "Microsoft.MachineLearningServices/registries",
                "amlregistry"
            ),
            ["privatelink.api.azureml.ms"]
        );
        assert_eq!(
            private_dns_zones("microsoft.storage/storageaccounts", "Blob"),
            ["privatelink.blob.core.windows.net"]
        );
        assert_eq!(
            private_dns_zones("Microsoft.Storage/storageAccounts", "dfs"),
            ["privatelink.dfs.core.windows.net"]
        );
        assert_eq!(
            private_dns_zones("Microsoft.Storage/storageAccounts", "file"),
            ["privatelink.file.core.windows.net"]
        );
        assert_eq!(
            private_dns_zones("Microsoft.KeyVault/vaults", "vault"),
            ["privatelink.vaultcore.azure.net"]
        );
        assert_eq!(
            private_dns_zones("Microsoft.ContainerRegistry/registries", "registry"),
            ["privatelink.azurecr.io"]
        );
        assert_eq!(
            private_dns_zones("Microsoft.Web/sites", "sites-staging"),
            ["privatelink.azurewebsites.net"]
        );
        assert!(private_dns_zones("Microsoft.KeyVault/vaults", "blob").is_empty());
        assert!(private_dns_zones("Microsoft.Foo/bars", "blob").is_empty());
    }

    #[test]
    fn service_tags() {
        for t in [
            "AzureActiveDirectory",
            "AzureMachineLearning",
            "AzureResourceManager",
            "AzureFrontDoor.Frontend",
            "AzureFrontDoor.FirstParty",
            "MicrosoftContainerRegistry",
            "AzureMonitor",
            "Storage",
            "AzureKeyVault",
            "AzureContainerRegistry",
            "BatchNodeManagement",
            "DataFactory",
            "Sql",
            "AzureCosmosDB",
            "EventHub",
            "ServiceBus",
            "AppService",
            "AzureCloud",
        ] {
            assert!(SERVICE_TAGS.contains(&t), "{t} missing from SERVICE_TAGS");
            assert!(is_known_service_tag(t), "{t}");
        }
        let unique: HashSet<String> = SERVICE_TAGS
            .iter()
            .map(|t| t.to_ascii_lowercase())
            .collect();
        assert_eq!(unique.len(), SERVICE_TAGS.len());
    }

    #[test]
    fn regional_and_case_variants() {
        assert!(is_known_service_tag("Storage.eastus"));
        assert!(is_known_service_tag("BatchNodeManagement.westeurope"));
        assert!(is_known_service_tag("AzureCloud.eastus2"));
        assert!(is_known_service_tag("storage.EastUS"));
        assert!(is_known_service_tag("azuremachinelearning"));
        assert!(is_known_service_tag("AzureFrontDoor.Frontend"));
    }

    #[test]
    fn unknown_tags() {
        assert!(!is_known_service_tag(""));
        assert!(!is_known_service_tag("Internet"));
        assert!(!is_known_service_tag("VirtualNetwork"));
        assert!(!is_known_service_tag("Storages"));
        assert!(!is_known_service_tag("Storage."));
        assert!(!is_known_service_tag("Storage.2east"));
        assert!(!is_known_service_tag("Storage.east-us"));
        assert!(!is_known_service_tag("Foo.eastus"));
        assert!(!is_known_service_tag(".eastus"));
    }
}
