# expect: E0505 main.hcl:11
# expect: E0505 main.hcl:12
# expect: E0505 main.hcl:13
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  storage_account      = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-data-rg/providers/Microsoft.KeyVault/vaults/fraudkv"
  key_vault            = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-data-rg/providers/Microsoft.Storage/storageAccounts/fraudsa"
  application_insights = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-ops-rg/providers/Microsoft.OperationalInsights/workspaces/fraud-logs"
  container_registry   = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-ops-rg/providers/Microsoft.ContainerRegistry/registries/fraudacr"
  identity {
    type = "system_assigned"
  }
}
