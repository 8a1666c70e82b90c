# expect: E0203 main.hcl:21
# expect: E0203 main.hcl:23
# expect: E0601 main.hcl:27
# expect: E0502 main.hcl:28
# Written from memory of the Azure CLI options: four mistakes in two blocks.
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

compute_cluster "gpu-train" {
  workspace     = workspace.fraud
  vm_size       = "Standard_NC6s_v3"
  vm_priority   = "spot"
  max_nodes     = 4
  min_instances = 0
}

online_endpoint "fraud" {
  workspace = workspace.frud
  auth_mode = "aad"
}
