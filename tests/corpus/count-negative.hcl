# expect: E0308 main.hcl:20
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "gpu_clusters" {
  type    = number
  default = -1
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

compute_cluster "gpu" {
  count     = var.gpu_clusters
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  max_nodes = 4
}
