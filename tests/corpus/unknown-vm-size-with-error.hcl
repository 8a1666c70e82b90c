# expect: W0102 main.hcl:18
# expect: E0501 main.hcl:20
# A warning is reported next to an error without --deny-warnings.
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
  workspace         = workspace.fraud
  vm_size           = "Standard_D4s_v6"
  idle_shutdown     = "1h"
  ssh_public_access = "no"
}
