//! Azure built-in role definitions that Azure ML deployments commonly assign.
//!
//! A `role_assignment` block names its role in words ("AzureML Data Scientist"), but ARM wants
//! the role definition ID, whose last segment is a GUID that is the same in every tenant. This
//! table turns one into the other without a call to Azure, lets the checker suggest the right
//! spelling for a typo, and flags roles that can grant or take over access (`privileged`) so a
//! security review can point at them.
//!
//! GUIDs were taken from the project's ARM reference notes and cross-checked against published
//! built-in role lists. A role is only listed when its GUID is certain: a wrong GUID would assign
//! a different role than the one the manifest names.

use crate::azure::arm_id;

/// One Azure built-in role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltInRole {
    /// The role's name as Azure spells it.
    pub name: &'static str,
    /// The role definition GUID (lowercase), identical in every tenant.
    pub guid: &'static str,
    /// What the role allows, in a line.
    pub description: &'static str,
    /// The role can change access (role assignments), or has full control of a service's data
    /// or of the resources under its scope.
    pub privileged: bool,
}

const fn role(
    name: &'static str,
    guid: &'static str,
    description: &'static str,
    privileged: bool,
) -> BuiltInRole {
    BuiltInRole {
        name,
        guid,
        description,
        privileged,
    }
}

/// The built-in roles amlplan knows, grouped by service.
pub static BUILT_IN_ROLES: &[BuiltInRole] = &[
    // General.
    role(
        "Owner",
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        "Full control of all resources, including granting access to others.",
        true,
    ),
    role(
        "Contributor",
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Create and manage all resources, but not grant access to others.",
        true,
    ),
    role(
        "Reader",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "View all resources; no changes.",
        false,
    ),
    role(
        "User Access Administrator",
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        "Manage who has access to resources (role assignments).",
        true,
    ),
    role(
        "Role Based Access Control Administrator",
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        "Manage role assignments; optionally limited by a condition.",
        true,
    ),
    // Azure Machine Learning and Azure AI.
    role(
        "AzureML Data Scientist",
        "f6c7c914-8db3-469d-8ca1-694a8f32e121",
        "Run jobs and manage assets and endpoints in a workspace, but not the workspace itself or its computes.",
        false,
    ),
    role(
        "AzureML Compute Operator",
        "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
        "Create, manage and delete compute in a workspace.",
        false,
    ),
    role(
        "AzureML Registry User",
        "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
        "Read and use assets in an Azure ML registry.",
        false,
    ),
    role(
        "AzureML Metrics Writer (preview)",
        "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
        "Write metrics to a workspace (used by online endpoint identities).",
        false,
    ),
    role(
        "Azure Machine Learning Workspace Connection Secrets Reader",
        "ea01e6af-a1c1-4350-9563-ad00f8c72ec5",
        "Read the secrets of workspace connections.",
        false,
    ),
    role(
        "Azure AI Developer",
        "64702f94-c441-49e6-a78b-ef80e0188fee",
        "Do everything inside an Azure AI or ML workspace except create or delete workspaces and hubs.",
        false,
    ),
    role(
        "Azure AI Administrator",
        "b78c5d69-af96-48a3-bf8d-a8b4d589de94",
        "Full control-plane access to Azure AI hubs and workspaces and their dependencies.",
        true,
    ),
    // Storage.
    role(
        "Storage Blob Data Reader",
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        "Read and list blob containers and blobs.",
        false,
    ),
    role(
        "Storage Blob Data Contributor",
        "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "Read, write and delete blob containers and blobs.",
        false,
    ),
    role(
        "Storage Blob Data Owner",
        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        "Full access to blob containers and blobs, including POSIX ACLs.",
        true,
    ),
    role(
        "Storage File Data Privileged Contributor",
        "69566ab7-960f-475b-8e7c-b3118f30c6bd",
        "Read, write, delete and change ACLs on files in Azure file shares.",
        false,
    ),
    role(
        "Storage Account Contributor",
        "17d1049b-9a84-46fb-8f53-869881c3d3ab",
        "Manage storage accounts, including their access keys.",
        false,
    ),
    // Key Vault.
    role(
        "Key Vault Administrator",
        "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        "All data-plane operations on a key vault and its keys, secrets and certificates.",
        true,
    ),
    role(
        "Key Vault Reader",
        "21090545-7ca7-4776-b22c-e363652d74d2",
        "Read key vault metadata and the metadata of its keys, secrets and certificates; no secret values.",
        false,
    ),
    role(
        "Key Vault Secrets User",
        "4633458b-17de-408a-b874-0445c86b69e6",
        "Read secret contents.",
        false,
    ),
    role(
        "Key Vault Secrets Officer",
        "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        "Perform any action on the secrets of a key vault.",
        false,
    ),
    role(
        "Key Vault Crypto Service Encryption User",
        "e147488a-f6f5-4113-8e2d-b22465e65bf6",
        "Read key metadata and wrap/unwrap with keys (customer-managed key encryption).",
        false,
    ),
    // Container Registry.
    role(
        "AcrPull",
        "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        "Pull images from a container registry.",
        false,
    ),
    role(
        "AcrPush",
        "8311e382-0749-4cb8-b61a-304f252e45ec",
        "Push and pull images in a container registry.",
        false,
    ),
    // Monitoring.
    role(
        "Monitoring Reader",
        "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
        "Read monitoring data and settings.",
        false,
    ),
    role(
        "Monitoring Contributor",
        "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
        "Read monitoring data and edit monitoring settings.",
        false,
    ),
    role(
        "Monitoring Metrics Publisher",
        "3913510d-42f4-4e42-8a64-420c390055eb",
        "Publish metrics to Azure Monitor.",
        false,
    ),
    role(
        "Log Analytics Reader",
        "73c42c96-874c-492b-b04d-ab87d138a893",
        "Read and search Log Analytics data.",
        false,
    ),
    // Networking and identity.
    role(
        "Network Contributor",
        "4d97b98b-1d4f-4787-a291-c67834d212e7",
        "Manage networks, but not access to them.",
        false,
    ),
    role(
        "Private DNS Zone Contributor",
        "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
        "Manage private DNS zones and record sets, but not access to them.",
        false,
    ),
    role(
        "Managed Identity Operator",
        "f1a07417-d97a-45cb-824c-7a7467783830",
        "Read and assign user-assigned managed identities.",
        false,
    ),
    // Cognitive Services and Search.
    role(
        "Cognitive Services User",
        "a97b65f3-24c7-4388-baec-2e87135dc908",
        "Read and list keys of Cognitive Services accounts and call their APIs.",
        false,
    ),
    role(
        "Cognitive Services OpenAI User",
        "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
        "Call Azure OpenAI deployments (inference).",
        false,
    ),
    role(
        "Cognitive Services OpenAI Contributor",
        "a001fd3d-188f-4b5d-821b-7da978bf7442",
        "Manage Azure OpenAI deployments and fine-tuning, and call them.",
        false,
    ),
    role(
        "Search Index Data Reader",
        "1407120a-92aa-4202-b7e9-c0e197c71c8f",
        "Query the indexes of an Azure AI Search service.",
        false,
    ),
];

/// The built-in role with this exact name, ignoring ASCII case.
pub fn role_by_name(name: &str) -> Option<&'static BuiltInRole> {
    BUILT_IN_ROLES
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name))
}

/// The built-in role with this definition GUID, ignoring case.
pub fn role_by_guid(guid: &str) -> Option<&'static BuiltInRole> {
    BUILT_IN_ROLES
        .iter()
        .find(|r| r.guid.eq_ignore_ascii_case(guid))
}

/// The names of all known built-in roles, in table order.
pub fn role_names() -> impl Iterator<Item = &'static str> {
    BUILT_IN_ROLES.iter().map(|r| r.name)
}

/// The subscription-scoped role definition ID, the form ARM returns on GET (so plans compare
/// equal to what Azure reports).
pub fn role_definition_id(subscription: &str, guid: &str) -> String {
    format!(
        "/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
    )
}

/// The role definition GUID in a role definition ID (tenant- or subscription-scoped).
pub fn role_definition_guid(id: &str) -> Result<String, String> {
    let parsed = arm_id::expect_type(id, &["Microsoft.Authorization/roleDefinitions"])
        .map_err(|e| e.to_string())?;
    if parsed.resource_group.is_some() {
        return Err(
            "a role definition ID has no resource group (use `/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>`)"
                .to_string(),
        );
    }
    let guid = parsed.name().unwrap_or_default();
    if !arm_id::is_guid(guid) {
        return Err(format!(
            "the last segment of a role definition ID must be a GUID (got `{guid}`)"
        ));
    }
    Ok(guid.to_ascii_lowercase())
}

/// Up to `n` known role names closest to `name` (for "did you mean"), best first. Names that
/// are not plausibly a misspelling are left out, so the result may be empty.
pub fn closest(name: &str, n: usize) -> Vec<&'static str> {
    const THRESHOLD: f64 = 0.75;
    let wanted = name.to_ascii_lowercase();
    let mut scored: Vec<(f64, &'static str)> = BUILT_IN_ROLES
        .iter()
        .filter(|r| crate::suggest::comparable(&wanted, r.name))
        .map(|r| {
            let score = strsim::jaro_winkler(&wanted, &r.name.to_ascii_lowercase());
            (score, r.name)
        })
        .filter(|(score, _)| *score >= THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn table_is_well_formed() {
        let mut names = HashSet::new();
        let mut guids = HashSet::new();
        for r in BUILT_IN_ROLES {
            assert!(arm_id::is_guid(r.guid), "{}: bad GUID {}", r.name, r.guid);
            assert_eq!(r.guid, r.guid.to_ascii_lowercase(), "{}", r.name);
            assert!(
                names.insert(r.name.to_ascii_lowercase()),
                "duplicate {}",
                r.name
            );
            assert!(guids.insert(r.guid), "duplicate GUID {}", r.guid);
            assert!(!r.description.is_empty(), "{}", r.name);
        }
    }

    #[test]
    fn required_roles_are_present_with_known_guids() {
        let expected = [
            ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
            ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
            ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
            (
                "User Access Administrator",
                "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
            ),
            (
                "Role Based Access Control Administrator",
                "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
            ),
            (
                "AzureML Data Scientist",
                "f6c7c914-8db3-469d-8ca1-694a8f32e121",
            ),
            (
                "AzureML Compute Operator",
                "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
            ),
            (
                "AzureML Registry User",
                "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
            ),
            (
                "AzureML Metrics Writer (preview)",
                "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
            ),
            (
                "Storage Blob Data Reader",
                "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            ),
            (
                "Storage Blob Data Contributor",
                "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
            ),
            (
                "Storage Blob Data Owner",
                "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
            ),
            (
                "Key Vault Secrets User",
                "4633458b-17de-408a-b874-0445c86b69e6",
            ),
            (
                "Key Vault Administrator",
                "00482a5a-887f-4fb3-b363-3b7fe8e74483",
            ),
            ("Key Vault Reader", "21090545-7ca7-4776-b22c-e363652d74d2"),
            ("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d"),
            ("AcrPush", "8311e382-0749-4cb8-b61a-304f252e45ec"),
            ("Azure AI Developer", "64702f94-c441-49e6-a78b-ef80e0188fee"),
            (
                "Azure AI Administrator",
                "b78c5d69-af96-48a3-bf8d-a8b4d589de94",
            ),
            (
                "Azure Machine Learning Workspace Connection Secrets Reader",
                "ea01e6af-a1c1-4350-9563-ad00f8c72ec5",
            ),
            ("Monitoring Reader", "43d0d8ad-25c7-4714-9337-8ba259a9fe05"),
            (
                "Network Contributor",
                "4d97b98b-1d4f-4787-a291-c67834d212e7",
            ),
            (
                "Private DNS Zone Contributor",
                "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
            ),
            (
                "Cognitive Services OpenAI User",
                "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
            ),
        ];
        for (name, guid) in expected {
            let r = role_by_name(name).unwrap_or_else(|| panic!("missing {name}"));
            assert_eq!(r.guid, guid, "{name}");
        }
    }

    #[test]
    fn privileged_flags() {
        let privileged: HashSet<&str> = BUILT_IN_ROLES
            .iter()
            .filter(|r| r.privileged)
            .map(|r| r.name)
            .collect();
        let expected: HashSet<&str> = [
            "Owner",
            "Contributor",
            "User Access Administrator",
            "Role Based Access Control Administrator",
            "Key Vault Administrator",
            "Azure AI Administrator",
            "Storage Blob Data Owner",
        ]
        .into_iter()
        .collect();
        assert_eq!(privileged, expected);
    }

    #[test]
    fn lookup_by_name_is_exact_but_case_insensitive() {
        assert_eq!(
            role_by_name("azureml data scientist").unwrap().guid,
            "f6c7c914-8db3-469d-8ca1-694a8f32e121"
        );
        assert_eq!(role_by_name("ACRPULL").unwrap().name, "AcrPull");
        assert!(role_by_name("AzureML Data Scientists").is_none());
        assert!(role_by_name(" Owner").is_none());
        assert!(role_by_name("").is_none());
    }

    #[test]
    fn lookup_by_guid() {
        assert_eq!(
            role_by_guid("8E3AF657-A8FF-443C-A75C-2FE8C4BCB635")
                .unwrap()
                .name,
            "Owner"
        );
        assert!(role_by_guid("00000000-0000-0000-0000-000000000000").is_none());
    }

    #[test]
    fn names_iterate_in_table_order() {
        let names: Vec<&str> = role_names().collect();
        assert_eq!(names.len(), BUILT_IN_ROLES.len());
        assert_eq!(names[0], "Owner");
        assert!(names.contains(&"AzureML Compute Operator"));
    }

    #[test]
    fn definition_ids_round_trip() {
        let guid = "f6c7c914-8db3-469d-8ca1-694a8f32e121";
        let id = role_definition_id("11111111-2222-3333-4444-555555555555", guid);
        assert_eq!(
            id,
            "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.Authorization/roleDefinitions/f6c7c914-8db3-469d-8ca1-694a8f32e121"
        );
        assert_eq!(role_definition_guid(&id).unwrap(), guid);
        assert_eq!(
            role_definition_guid(
                "/providers/Microsoft.Authorization/roleDefinitions/F6C7C914-8DB3-469D-8CA1-694A8F32E121"
            )
            .unwrap(),
            guid
        );
    }

    #[test]
    fn definition_guid_errors() {
        let e = role_definition_guid(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
        )
        .unwrap_err();
        assert!(
            e.contains("`Microsoft.Authorization/roleDefinitions`"),
            "{e}"
        );
        let e = role_definition_guid(
            "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/owner",
        )
        .unwrap_err();
        assert_eq!(
            e,
            "the last segment of a role definition ID must be a GUID (got `owner`)"
        );
        let e = role_definition_guid(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        )
        .unwrap_err();
        assert!(
            e.starts_with("a role definition ID has no resource group"),
            "{e}"
        );
        assert!(role_definition_guid("Owner").is_err());
    }

    #[test]
    fn closest_suggests_misspellings() {
        assert_eq!(
            closest("AzureML Data Scientists", 1),
            ["AzureML Data Scientist"]
        );
        assert_eq!(closest("acr pull", 1), ["AcrPull"]);
        assert_eq!(
            closest("Storage Blob Data Writer", 3)[0],
            "Storage Blob Data Reader"
        );
        assert!(closest("zzzzqqq", 3).is_empty());
        assert!(closest("Owner", 0).is_empty());
        assert!(closest("Key Vault", 5).len() <= 5);
    }
}
