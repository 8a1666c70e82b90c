variable "name" {
  type = string
}

workspace "this" {
  name = var.name
  tags = local.tags
  identity {
    type = "system_assigned"
  }
}

output "workspace" {
  value = workspace.this
}
