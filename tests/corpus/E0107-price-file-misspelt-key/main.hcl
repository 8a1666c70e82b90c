# expect: E0107 main.hcl:10
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

# `dedicatd` would leave the catalogue price in force without a word.
prices {
  file = "prices.toml"
}

workspace "fraud" {
  public_network_access = true
}
