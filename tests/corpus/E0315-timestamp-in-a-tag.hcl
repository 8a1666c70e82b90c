# expect: E0315 main.hcl:12
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-rg"
  location        = "eastus"
}

workspace "fraud" {
  name = "fraud-ws"

  tags = {
    created = timestamp()
  }
}
