# expect: E0209 main.hcl:12
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
  identity {
    type              = "user_assigned"
    user_assigned_ids = ["/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-prod-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/fraud-uai"]
  }
}
