# expect: E0205 main.hcl:9
# Without a source the module (and its workspace) would silently drop out of the plan.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

module "ws" {
  sorce = "./modules/secure-workspace"
  name  = "mlw-fraud"
}
