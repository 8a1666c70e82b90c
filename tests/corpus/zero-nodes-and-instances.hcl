# expect: E0508 main.hcl:16
# expect: E0508 main.hcl:27
# Trying to "pause" compute by setting the upper bounds to zero.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {}

compute_cluster "gpu-train" {
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  min_nodes = 0
  max_nodes = 0
}

online_endpoint "fraud" {
  workspace = workspace.fraud
  auth_mode = "aad_token"
}

online_deployment "blue" {
  endpoint       = online_endpoint.fraud
  instance_type  = "Standard_DS3_v2"
  instance_count = 0
}
