# expect: E0306 main.hcl:23
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

output "cpu_cluster_id" {
  value = compute_cluster.cpu.id
}
