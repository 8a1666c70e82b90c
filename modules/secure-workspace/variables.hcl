variable "name" {
  type        = string
  description = "Azure name of the workspace: 3-33 letters, digits, '_' or '-', starting with a letter or digit"

  validation {
    condition     = length(var.name) >= 3 && length(var.name) <= 33
    error_message = "name must be 3 to 33 characters long."
  }
}

variable "description" {
  type        = string
  default     = "Workspace with approved-outbound managed network and a private endpoint"
  description = "Workspace description shown in the portal and studio"
}

variable "subnet_id" {
  type        = string
  description = "ARM ID of the subnet that holds the workspace's private endpoint"
}

variable "vnet_id" {
  type        = string
  description = "ARM ID of the virtual network that the private DNS zones are linked to"
}

variable "firewall_sku" {
  type        = string
  default     = "standard"
  description = "SKU of the Azure Firewall that enforces the FQDN outbound rules"

  validation {
    condition     = contains(["standard", "basic"], var.firewall_sku)
    error_message = "firewall_sku must be standard or basic."
  }
}

variable "high_business_impact" {
  type        = bool
  default     = true
  description = "Reduce the diagnostic data the service collects (create-only)"
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags for every taggable resource of the module"
}
