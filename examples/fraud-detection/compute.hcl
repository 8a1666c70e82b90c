# Training runs on a spot GPU cluster that scales to zero; interactive work happens on one
# personal compute instance that shuts itself down when idle and every evening. Both run in
# the workspace's managed network (a workspace with one cannot use a subnet of your own), so
# they need no public IPs.

compute_cluster "gpu-train" {
  workspace         = workspace.fraud
  vm_size           = "Standard_NC6s_v3"
  priority          = "spot"
  min_nodes         = 0
  max_nodes         = var.gpu_max_nodes
  scale_down_after  = "2m"
  node_public_ip    = false
  ssh_public_access = false
  local_auth        = false
  identity { type = "system_assigned" }
  usage { node_hours_per_month = 40 }
  tags = local.tags
}

compute_instance "alice-dev" {
  workspace = workspace.fraud
  vm_size   = "Standard_DS3_v2"

  assigned_user {
    object_id = "4f0602f4-5376-45c5-9c86-e7d3d505290f"
    tenant_id = local.tenant_id
  }

  idle_shutdown     = "30m"
  node_public_ip    = false
  ssh_public_access = false

  schedule "nightly-stop" {
    action    = "stop"
    cron      = "0 20 * * 1-5"
    time_zone = "UTC"
  }

  usage { running_hours_per_month = 160 }
  tags = local.tags
}
