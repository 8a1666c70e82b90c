variable "env" {
  type        = string
  default     = "prod"
  description = "Deployment stage; used in the resource group name and in tags"

  validation {
    condition     = contains(["dev", "test", "prod"], var.env)
    error_message = "env must be one of dev, test or prod."
  }
}

variable "gpu_max_nodes" {
  type        = number
  default     = 4
  description = "Upper bound of the spot GPU training cluster"

  validation {
    condition     = var.gpu_max_nodes >= 1 && var.gpu_max_nodes <= 8
    error_message = "gpu_max_nodes must be between 1 and 8."
  }
}

variable "data_scientists_group_id" {
  type        = string
  default     = "f1801edf-8525-4074-ac69-362c527de83b"
  description = "Object ID of the Entra ID group of data scientists"
}

variable "compute_operators_group_id" {
  type        = string
  default     = "6d204627-868c-4f14-bbd3-e45fc20c5917"
  description = "Object ID of the Entra ID group that starts and stops compute"
}

variable "readers_group_id" {
  type        = string
  default     = "071c4e32-9cde-4e36-a9a5-fc42c314b53f"
  description = "Object ID of the Entra ID group of read-only stakeholders"
}

locals {
  rg        = "fraud-${var.env}-rg"
  tenant_id = "14574b3e-992e-46fe-9036-ddcf276ea6da"

  # Existing resources that this manifest uses but does not manage.
  vnet_id      = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-network-rg/providers/Microsoft.Network/virtualNetworks/fraud-hub-vnet"
  pe_subnet_id = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-network-rg/providers/Microsoft.Network/virtualNetworks/fraud-hub-vnet/subnets/private-endpoints"
  lake_id      = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-data-rg/providers/Microsoft.Storage/storageAccounts/fraudlakeprod"

  tags = {
    project     = "fraud-detection"
    environment = var.env
    owner       = "ml-platform"
    cost_center = "cc-4127"
  }
}
