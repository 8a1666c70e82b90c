# expect: E0508 main.hcl:18
# expect: E0508 main.hcl:24
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

compute_instance "alice-dev" {
  workspace     = workspace.fraud
  vm_size       = "Standard_DS3_v2"
  idle_shutdown = "10m"
}

compute_instance "bob-dev" {
  workspace     = workspace.fraud
  vm_size       = "Standard_DS3_v2"
  idle_shutdown = "4d"
}
