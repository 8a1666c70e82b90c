# expect: E0406 <none>:0
# args: --var region
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-rg"
  location        = "eastus"
}
