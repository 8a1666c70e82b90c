# expect: E0508 main.hcl:12
# LANGUAGE/E0508: a budget's warn_at is a percentage between 0 and 100.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

budget "monthly" {
  amount   = 3000
  currency = "USD"
  warn_at  = 120
}
