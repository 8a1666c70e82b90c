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

role_assignment "data-scientists" {
  role           = "AzureML Data Scientists"
  principal_id   = "f1801edf-8525-4074-ac69-362c527de83b"
  principal_type = "group"
  scope          = workspace.fraud
}
