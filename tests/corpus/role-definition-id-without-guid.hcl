# expect: E0709 main.hcl:15
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

role_assignment "custom-readers" {
  role           = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/providers/Microsoft.Authorization/roleDefinitions/aml-custom-reader"
  principal_id   = "071c4e32-9cde-4e36-a9a5-fc42c314b53f"
  principal_type = "group"
  scope          = workspace.fraud
}
