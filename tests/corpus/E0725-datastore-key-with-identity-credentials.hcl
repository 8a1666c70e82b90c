# expect: E0725 main.hcl:25
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "lake_key" {
  type      = string
  sensitive = true
  default   = "c2VjcmV0LWtleQ=="
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

datastore "lake" {
  workspace       = workspace.fraud
  type            = "azure_blob"
  storage_account = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-prod-rg/providers/Microsoft.Storage/storageAccounts/fraudlake"
  container       = "raw"
  account_key     = var.lake_key
}
