# expect: E0401 --var:1
# args: --var gpu_max_nodes=eight
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "gpu_max_nodes" {
  type    = number
  default = 4
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

compute_cluster "gpu-train" {
  workspace = workspace.fraud
  vm_size   = "Standard_NC6s_v3"
  max_nodes = var.gpu_max_nodes
}
