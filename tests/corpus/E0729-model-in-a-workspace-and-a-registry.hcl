# expect: E0729 main.hcl:22
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud-dev" {
  identity {
    type = "system_assigned"
  }
}

registry "central" {
  replication_locations = ["eastus", "westeurope"]
}

model "fraud" {
  workspace = workspace.fraud-dev
  version   = "7"
  path      = "azureml://datastores/workspaceblobstore/paths/models/fraud/7/"
  registry  = registry.central
}
