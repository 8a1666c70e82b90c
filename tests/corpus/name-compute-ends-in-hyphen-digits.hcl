# expect: E0507 main.hcl:15
# expect: E0507 main.hcl:22
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

compute_instance "alice-dev-123" {
  workspace     = workspace.fraud
  vm_size       = "Standard_DS3_v2"
  idle_shutdown = "30m"
}

compute_cluster "gpu" {
  name      = "gpu-train-2"
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  max_nodes = 4
}
