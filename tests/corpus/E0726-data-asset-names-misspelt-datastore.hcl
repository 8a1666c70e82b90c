# expect: E0726 main.hcl:26
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

datastore "lake" {
  workspace       = workspace.fraud
  type            = "adls_gen2"
  storage_account = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-prod-rg/providers/Microsoft.Storage/storageAccounts/fraudlake"
  container       = "raw"
}

data_asset "transactions" {
  workspace = workspace.fraud
  version   = "1"
  type      = "uri_folder"
  # A typo: the datastore is `lake`.
  path      = "azureml://datastores/lakes/paths/transactions/"
}
