# expect: W0110 main.hcl:11
# expect: W0110 main.hcl:23
# args: --deny-warnings
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

review {
  ignore "AML-NET-044" {
    address = "workspace.fraud"
    reason  = "approved by sec-ops, ticket 1234"
  }
}

workspace "fraud" {
  managed_network {
    isolation_mode = "allow_only_approved_outbound"
  }
}

# amlplan:ignore AML-CMP-999 nobody uses it
compute_instance "dev" {
  workspace     = workspace.fraud
  vm_size       = "Standard_DS3_v2"
  idle_shutdown = "30m"
}
