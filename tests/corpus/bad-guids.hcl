# expect: E0506 main.hcl:5
# expect: E0506 main.hcl:21
# expect: E0506 main.hcl:22
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df478656"
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
  idle_shutdown = "30m"
  assigned_user {
    object_id = "{4f0602f4-5376-45c5-9c86-e7d3d505290f}"
    tenant_id = "contoso.onmicrosoft.com"
  }
}
