# expect: E0308 main.hcl:10
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

module "ws" {
  source = "./modules/secure-workspace"
  count  = 2
  name   = "mlw-fraud"
}
