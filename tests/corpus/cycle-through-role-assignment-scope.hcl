# expect: E0603 main.hcl:14
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

compute_cluster "gpu" {
  workspace  = workspace.fraud
  vm_size    = "Standard_NC6s_v3"
  max_nodes  = 4
  depends_on = [role_assignment.gpu-operators]
  identity {
    type = "system_assigned"
  }
}

role_assignment "gpu-operators" {
  role           = "AzureML Compute Operator"
  principal_id   = "6d204627-868c-4f14-bbd3-e45fc20c5917"
  principal_type = "group"
  scope          = compute_cluster.gpu
}
