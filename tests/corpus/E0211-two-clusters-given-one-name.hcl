# expect: E0211 main.hcl:23
# Two blocks, one Azure compute: both set name = "gpu-train".
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

compute_cluster "gpu-small" {
  name      = "gpu-train"
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  max_nodes = 2
}

compute_cluster "gpu-large" {
  name      = "gpu-train"
  workspace = workspace.fraud
  vm_size   = "Standard_NC24s_v3"
  max_nodes = 4
}
