# Two CPU clusters from one block. The block label is shared, so each instance takes its
# Azure name from `name`: cpu-small and cpu-large.

compute_cluster "cpu" {
  for_each = { small = "Standard_DS3_v2", large = "Standard_DS12_v2" }

  name              = "cpu-${each.key}"
  workspace         = module.ws.workspace
  vm_size           = each.value
  priority          = "dedicated"
  min_nodes         = 0
  max_nodes         = 2
  scale_down_after  = "10m"
  node_public_ip    = false
  ssh_public_access = false
  local_auth        = false
  identity { type = "system_assigned" }
  usage { node_hours_per_month = 20 }
  tags = local.tags
}
