# expect: W0102 main.hcl:22
# args: --deny-warnings
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

compute_cluster "cpu" {
  for_each = {
    small = "Standard_DS3_v2"
    large = "Standard_DS12_v3"
  }
  name      = "cpu-${each.key}"
  workspace = workspace.fraud
  vm_size   = each.value
  max_nodes = 2
}
