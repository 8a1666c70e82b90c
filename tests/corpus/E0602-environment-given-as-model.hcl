# expect: E0602 main.hcl:23
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {}

online_endpoint "fraud" {
  workspace = workspace.fraud
  auth_mode = "aad_token"
}

environment "fraud-train" {
  workspace = workspace.fraud
  version   = "3"
  image     = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
}

online_deployment "blue" {
  endpoint      = online_endpoint.fraud
  model         = environment.fraud-train
  instance_type = "Standard_DS3_v2"
}
