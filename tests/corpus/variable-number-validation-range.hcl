# expect: E0402 main.hcl:10
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "gpu_max_nodes" {
  type    = number
  default = 16
  validation {
    condition     = var.gpu_max_nodes >= 1 && var.gpu_max_nodes <= 8
    error_message = "gpu_max_nodes must be between 1 and 8."
  }
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
