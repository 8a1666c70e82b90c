variable "name" {
  type = string
}

workspace "this" {
  name = var.name
}
