# expect: E0503 main.hcl:18
# expect: E0503 main.hcl:25
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

data_asset "fraud-raw" {
  workspace = workspace.fraud
  version   = "1"
  type      = "UriFolder"
  path      = "azureml://datastores/workspaceblobstore/paths/fraud/raw/"
}

role_assignment "pipeline" {
  role           = "AzureML Data Scientist"
  principal_id   = "2c6a3b8e-5f0d-4c47-9b1e-8d2f7a6c4e13"
  principal_type = "ServicePrincipal"
  scope          = workspace.fraud
}
