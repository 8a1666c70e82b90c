# expect: E0712 main.hcl:23
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
  managed_network {
    isolation_mode = "allow_internet_outbound"
  }
}

compute_cluster "gpu" {
  workspace      = workspace.fraud
  vm_size        = "Standard_NC6s_v3"
  max_nodes      = 2
  node_public_ip = false
  # The workspace's computes run in its managed network, not in a VNet of the user's.
  subnet = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-network-rg/providers/Microsoft.Network/virtualNetworks/fraud-hub-vnet/subnets/aml-compute"
}
