# expect: E0306 main.hcl:22
# count was removed from the cluster, but a reference still indexes it.
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
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  max_nodes = 4
}

output "gpu_cluster_id" {
  value = compute_cluster.gpu[0].id
}
