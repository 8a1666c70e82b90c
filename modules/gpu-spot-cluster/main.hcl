# A training cluster on spot GPUs: it scales to zero when idle, has no public IPs, no public
# SSH and no local accounts, and reaches Azure resources with its managed identity.
# Spot nodes can be evicted at short notice, so training jobs should write checkpoints.

compute_cluster "this" {
  name              = var.name
  workspace         = var.workspace
  vm_size           = var.vm_size
  priority          = "spot"
  min_nodes         = 0
  max_nodes         = var.max_nodes
  scale_down_after  = var.scale_down_after
  subnet            = var.subnet_id
  node_public_ip    = false
  ssh_public_access = false
  local_auth        = false
  identity { type = "system_assigned" }
  usage { node_hours_per_month = var.node_hours_per_month }
  tags = var.tags
}
