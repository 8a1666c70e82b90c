# expect: E0743 main.hcl:11
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

budget "monthly" {
  amount = 500

  alert "limit" {
    threshold = 100
  }
}
