variable "workspace" {
  type        = any
  description = "The workspace the cluster belongs to (a workspace reference, e.g. module.ws.workspace)"
}

variable "name" {
  type        = string
  description = "Azure name of the cluster: 3-24 letters, digits or '-', starting with a letter, not ending in '-<digits>'"

  validation {
    condition     = length(var.name) >= 3 && length(var.name) <= 24
    error_message = "name must be 3 to 24 characters long."
  }
}

variable "vm_size" {
  type        = string
  default     = "Standard_NC6s_v3"
  description = "GPU VM size of every node (create-only)"
}

variable "max_nodes" {
  type        = number
  default     = 4
  description = "Most nodes the cluster scales out to"

  validation {
    condition     = var.max_nodes >= 1
    error_message = "max_nodes must be at least 1."
  }
}

variable "subnet_id" {
  type        = string
  default     = null
  description = "ARM ID of the subnet the nodes are placed in (create-only); leave it unset when the workspace has a managed network, whose computes run in that network"
}

variable "scale_down_after" {
  type        = string
  default     = "2m"
  description = "Idle time of a node before it is released"
}

variable "node_hours_per_month" {
  type        = number
  default     = 40
  description = "Expected node hours per month, for the cost forecast"
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags for the cluster"
}
