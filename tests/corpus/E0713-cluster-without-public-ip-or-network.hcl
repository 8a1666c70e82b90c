# expect: E0713 main.hcl:18
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

compute_cluster "cpu" {
  workspace      = workspace.fraud
  vm_size        = "Standard_DS3_v2"
  max_nodes      = 2
  node_public_ip = false
}
