# expect: E0804 main.hcl:17
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

module "access" {
  source    = "./modules/access"
  workspace = workspace.fraud
  group_ids = "f1801edf-8525-4074-ac69-362c527de83b"
}
