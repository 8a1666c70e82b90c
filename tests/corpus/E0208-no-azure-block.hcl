# expect: E0208 main.hcl:1
# Placement was meant to come from a shared file that was not copied over.
workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

compute_cluster "cpu" {
  workspace = workspace.fraud
  vm_size   = "Standard_DS3_v2"
  max_nodes = 2
}
