# expect: E0306 main.hcl:26
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
  for_each  = toset(["small", "large"])
  name      = "cpu-${each.key}"
  workspace = workspace.fraud
  vm_size   = each.key == "small" ? "Standard_DS3_v2" : "Standard_DS12_v2"
  max_nodes = 2
}

role_assignment "operators" {
  role           = "AzureML Compute Operator"
  principal_id   = "6d204627-868c-4f14-bbd3-e45fc20c5917"
  principal_type = "group"
  scope          = compute_cluster.cpu["medium"]
}
