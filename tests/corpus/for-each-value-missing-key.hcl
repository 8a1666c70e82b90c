# expect: E0306 main.hcl:21
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
    small = { vm_size = "Standard_DS3_v2", max_nodes = 2 }
    large = { vm_size = "Standard_DS12_v2", max_nodes = 4 }
  }
  name      = "cpu-${each.key}"
  workspace = workspace.fraud
  vm_size   = each.value.size
  max_nodes = each.value.max_nodes
}
