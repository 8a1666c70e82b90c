# expect: W0101 main.hcl:15
# expect: W0102 main.hcl:26
# args: --deny-warnings
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {}

compute_cluster "gpu-train" {
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  priority  = "low_priority"
  max_nodes = 4
}

online_endpoint "fraud" {
  workspace = workspace.fraud
  auth_mode = "aad_token"
}

online_deployment "blue" {
  endpoint      = online_endpoint.fraud
  instance_type = "Standard_DS3v2"
}
