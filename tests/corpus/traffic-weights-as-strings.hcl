# expect: E0704 main.hcl:14
# Weights written as strings (copied from JSON) still have to sum to 100.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {}

online_endpoint "fraud" {
  workspace = workspace.fraud
  auth_mode = "aad_token"
  traffic   = { blue = "60", green = "30" }
}

online_deployment "blue" {
  endpoint      = online_endpoint.fraud
  instance_type = "Standard_DS3_v2"
}

online_deployment "green" {
  endpoint      = online_endpoint.fraud
  instance_type = "Standard_DS3_v2"
}
