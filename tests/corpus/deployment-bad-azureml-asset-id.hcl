# expect: E0505 main.hcl:25
azure {
  subscription_id = "00000000-0000-0000-0000-000000000000"
  resource_group  = "rg"
  location        = "eastus"
}

workspace "fraud" {
  public_network_access = false
}

online_endpoint "fraud-api" {
  workspace = workspace.fraud
  auth_mode = "aad_token"
}

model "fraud" {
  workspace = workspace.fraud
  version   = "1"
  path      = "azureml://datastores/workspaceblobstore/paths/models/fraud/1/"
}

online_deployment "blue" {
  endpoint       = online_endpoint.fraud-api
  environment    = "azureml:sklearn-env"
  model          = model.fraud
  instance_type  = "Standard_DS3_v2"
  instance_count = 1
}
