//! What Azure adds by itself to a workspace's managed network: the outbound rules of category
//! `Required`. With isolation on, the service reaches the workspace's storage account, key
//! vault and container registry through private endpoints of its own; in
//! `allow_only_approved_outbound` mode it also allows the service tags the workspace needs.

/// The workspace properties naming the resources the service reaches through private
/// endpoints, with the sub-resources it connects to.
pub const REQUIRED_PRIVATE_ENDPOINTS: &[(&str, &[&str])] = &[
    ("storageAccount", &["blob", "file"]),
    ("keyVault", &["vault"]),
    ("containerRegistry", &["registry"]),
];

/// The service tags allowed in `allow_only_approved_outbound` mode, TCP port 443
/// (`BatchNodeManagement` is regional: `BatchNodeManagement.{location}`).
pub fn required_service_tags(location: &str) -> Vec<String> {
    [
        "AzureActiveDirectory",
        "AzureMachineLearning",
        "BatchNodeManagement.",
        "AzureResourceManager",
        "AzureFrontDoor",
        "MicrosoftContainerRegistry",
        "AzureMonitor",
    ]
    .iter()
    .map(|t| {
        if t.ends_with('.') {
            format!("{t}{location}")
        } else {
            (*t).to_string()
        }
    })
    .collect()
}
