# expect: E0505 main.hcl:19
# expect: E0505 main.hcl:26
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
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  max_nodes = 4
  subnet    = "subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-network-rg/providers/Microsoft.Network/virtualNetworks/fraud-hub-vnet/subnets/aml-compute"
}

compute_instance "alice-dev" {
  workspace     = workspace.fraud
  vm_size       = "Standard_DS3_v2"
  idle_shutdown = "30m"
  subnet        = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-network-rg/providers/Microsoft.Network/virtualNetworks/fraud-hub-vnet/subnets/"
}

compute_instance "bob-dev" {
  workspace     = workspace.fraud
  vm_size       = "Standard_DS3_v2"
  idle_shutdown = "30m"
  subnet        = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourcegroups/fraud-network-rg/providers/microsoft.network/virtualnetworks/fraud-hub-vnet/subnets/aml-compute"
}
