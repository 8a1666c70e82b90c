# A spot GPU cluster with the platform defaults.

variable "workspace" {
  description = "The workspace the cluster belongs to"
}

variable "name" {
  type = string
}

variable "max_nodes" {
  type    = number
  default = 4
}

compute_cluster "this" {
  name             = var.name
  workspace        = var.workspace
  vm_size          = var.vm_size
  priority         = "Spot"
  min_nodes        = 0
  max_nodes        = var.max_nodes
  idle_time        = "2m"
}

output "cluster_id" {
  value = compute_cluster.this.id
}
