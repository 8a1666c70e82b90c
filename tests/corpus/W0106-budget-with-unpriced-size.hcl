# expect: W0106 main.hcl:10
# args: --deny-warnings
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

# The catalogue has no price for this size in japaneast: the budget check counts it as 0.
budget "monthly" {
  amount = 5000
}

workspace "fraud" {
  public_network_access = true
}

compute_cluster "gpu-train" {
  workspace = workspace.fraud
  location  = "japaneast"
  vm_size   = "Standard_NC6s_v3"
  min_nodes = 1
  max_nodes = 2
}
