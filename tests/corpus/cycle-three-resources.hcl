# expect: E0603 main.hcl:10
# The workspace was told to wait for the deployment, which waits for the endpoint, which
# waits for the workspace.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
  depends_on = [online_deployment.blue]
}

online_endpoint "fraud" {
  workspace = workspace.fraud
  auth_mode = "aad_token"
  traffic   = { blue = 100 }
}

online_deployment "blue" {
  endpoint      = online_endpoint.fraud
  instance_type = "Standard_DS3_v2"
}
