# expect: E0708 main.hcl:16
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

private_endpoint "kv" {
  target = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-prod-rg/providers/Microsoft.KeyVault/vaults/fraudkv"
  group  = "vaultcore"
  subnet = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-network-rg/providers/Microsoft.Network/virtualNetworks/fraud-hub-vnet/subnets/private-endpoints"
}
