# expect: E0205 main.hcl:14
# expect: E0205 main.hcl:24
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type              = "user_assigned"
    user_assigned_ids = ["/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-prod-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/fraud-uai"]
  }
  encryption {
    key_vault = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-prod-rg/providers/Microsoft.KeyVault/vaults/fraudcmk"
    identity  = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-prod-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/fraud-uai"
  }
}

compute_instance "alice-dev" {
  workspace     = workspace.fraud
  vm_size       = "Standard_DS3_v2"
  idle_shutdown = "30m"
  assigned_user {
    object_id = "4f0602f4-5376-45c5-9c86-e7d3d505290f"
  }
}
