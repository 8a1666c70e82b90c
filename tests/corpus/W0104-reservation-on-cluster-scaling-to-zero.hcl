# expect: W0104 main.hcl:17
# args: --deny-warnings
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  public_network_access = true
}

compute_cluster "train" {
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  max_nodes = 4
  usage { reservation = "1y" }
}
