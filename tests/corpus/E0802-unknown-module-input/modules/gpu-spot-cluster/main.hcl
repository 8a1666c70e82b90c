# A spot GPU cluster with the platform defaults: scales to zero, no public IPs.

variable "workspace" {
  description = "The workspace the cluster belongs to (a workspace reference)"
}

variable "name" {
  type = string
}

variable "vm_size" {
  type    = string
  default = "Standard_NC6s_v3"
}

variable "max_nodes" {
  type    = number
  default = 4
}

compute_cluster "this" {
  name             = var.name
  workspace        = var.workspace
  vm_size          = var.vm_size
  priority         = "spot"
  min_nodes        = 0
  max_nodes        = var.max_nodes
  scale_down_after = "2m"
  node_public_ip   = true
}

output "cluster_id" {
  value = compute_cluster.this.id
}
