# expect: E0509 main.hcl:15
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "lake" {
  type      = string
  sensitive = true
  default   = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/data-rg/providers/Microsoft.Storage/storageAccounts/fslake"
}

feature_store "features" {
  offline_store = var.lake

  compute_runtime {
    spark_runtime_version = "3.4"
  }
}
