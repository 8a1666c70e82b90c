# expect: E0301 modules/gpu-spot-cluster/main.hcl:19
# expect: E0503 modules/gpu-spot-cluster/main.hcl:20
# expect: E0203 modules/gpu-spot-cluster/main.hcl:23
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

module "gpu-small" {
  source    = "./modules/gpu-spot-cluster"
  workspace = workspace.fraud
  name      = "gpu-small"
}

module "gpu-large" {
  source    = "./modules/gpu-spot-cluster"
  workspace = workspace.fraud
  name      = "gpu-large"
  max_nodes = 8
}
