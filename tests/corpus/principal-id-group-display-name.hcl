# expect: E0506 main.hcl:16
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

role_assignment "readers" {
  role           = "Reader"
  principal_id   = "Fraud Readers"
  principal_type = "group"
  scope          = workspace.fraud
}
