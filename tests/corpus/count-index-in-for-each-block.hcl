# expect: E0309 main.hcl:16
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

compute_instance "dev" {
  for_each      = toset(["alice", "bob"])
  name          = "${each.key}-dev-${count.index}"
  workspace     = workspace.fraud
  vm_size       = "Standard_DS3_v2"
  idle_shutdown = "30m"
}
