# A private workspace with approved-outbound isolation.

variable "name" {
  type = string
}

workspace "this" {
  name                  = var.name
  public_network_access = false
  identity {
    type = "system_assigned"
  }
  managed_network {
    isolation_mode = "allow_only_approved_outbound"
  }
}

output "workspace" {
  value = workspace.this
}

output "workspace_name" {
  value = var.name
}
