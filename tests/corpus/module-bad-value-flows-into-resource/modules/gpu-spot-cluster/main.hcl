variable "workspace" {
  description = "The workspace the cluster belongs to"
}

variable "name" {
  type = string
}

variable "vm_size" {
  type    = string
  default = "Standard_NC6s_v3"
}

compute_cluster "this" {
  name      = var.name
  workspace = var.workspace
  vm_size   = var.vm_size
  priority  = "spot"
  max_nodes = 4
}
