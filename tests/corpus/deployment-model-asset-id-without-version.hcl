# expect: E0505 main.hcl:18
# The azureml: shorthand needs a version or label: azureml:NAME:VERSION or azureml:NAME@latest.
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

online_deployment "blue" {
  endpoint      = online_endpoint.fraud
  model         = "azureml:fraud"
  instance_type = "Standard_DS3_v2"
}
