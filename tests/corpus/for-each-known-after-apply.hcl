# expect: E0308 main.hcl:25
# Keys of for_each must be known at plan time; principal IDs exist only after apply.
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

compute_cluster "gpu" {
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  max_nodes = 4
  identity {
    type = "system_assigned"
  }
}

role_assignment "blob-readers" {
  for_each     = toset([workspace.fraud.principal_id, compute_cluster.gpu.principal_id])
  role         = "Storage Blob Data Reader"
  principal_id = each.value
  scope        = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-data-rg/providers/Microsoft.Storage/storageAccounts/fraudlakeprod"
}
