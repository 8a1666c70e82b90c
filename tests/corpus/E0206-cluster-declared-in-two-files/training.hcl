# Added in a later change: a bigger cluster for the nightly retraining.
compute_cluster "gpu" {
  workspace = workspace.fraud
  vm_size   = "Standard_NC24s_v3"
  max_nodes = 2
}
