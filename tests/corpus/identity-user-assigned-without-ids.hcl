# expect: E0205 main.hcl:11
azure {
  subscription_id = "00000000-0000-0000-0000-000000000000"
  resource_group  = "rg"
  location        = "eastus"
}

workspace "fraud" {
  public_network_access = false
  identity {
    type = "user_assigned"
  }
}
