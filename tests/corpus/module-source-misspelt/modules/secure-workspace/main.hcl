variable "name" {
  type = string
}

workspace "this" {
  name = var.name
  identity {
    type = "system_assigned"
  }
}
