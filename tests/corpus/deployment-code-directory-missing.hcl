# expect: E0102 main.hcl:19
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
  instance_type = "Standard_DS3_v2"
  code {
    path           = "src"
    scoring_script = "score.py"
  }
}
