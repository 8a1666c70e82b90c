# expect: E0714 main.hcl:16
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

batch_endpoint "scoring" {
  workspace = workspace.fraud
  location  = "westeurope"
}
