# expect: W0105 main.hcl:10
# args: --deny-warnings
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

# One always-on Standard_DS3_v2 instance is about $224 a month: 90% of the budget.
budget "monthly" {
  amount  = 250
  warn_at = 50
}

workspace "fraud" {
  public_network_access = true
}

compute_instance "alice-dev" {
  workspace = workspace.fraud
  vm_size   = "Standard_DS3_v2"
}
