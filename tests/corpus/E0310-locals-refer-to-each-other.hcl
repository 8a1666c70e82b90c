# expect: E0310 main.hcl:10
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = local.rg
  location        = "eastus"
}

locals {
  prefix = local.rg
  rg     = "${local.prefix}-rg"
}
