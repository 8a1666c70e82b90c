# expect: E0503 main.hcl:13
# expect: E0503 main.hcl:20
# expect: E0503 main.hcl:26
# Values copied from an ARM template.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type = "SystemAssigned"
  }
}

compute_cluster "gpu-train" {
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  priority  = "Dedicated"
  max_nodes = 4
}

online_endpoint "fraud" {
  workspace = workspace.fraud
  auth_mode = "AADToken"
}
