# expect: E0731 main.hcl:18
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

component "train" {
  workspace   = workspace.fraud
  version     = "1"
  command     = "python train.py"
  environment = "fraud-train:3"
}
