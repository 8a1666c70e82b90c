# expect: E0602 main.hcl:15
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {}

batch_endpoint "fraud-nightly" {
  workspace = workspace.fraud
}

online_deployment "blue" {
  endpoint      = batch_endpoint.fraud-nightly
  instance_type = "Standard_DS3_v2"
}
