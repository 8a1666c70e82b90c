# expect: E0730 main.hcl:14
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
  command     = "python train.py"
  environment = "azureml:fraud-train:3"
}
