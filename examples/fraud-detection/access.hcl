# Least-privilege access for people, granted to groups and scoped to the workspace.

role_assignment "data-scientists" {
  role           = "AzureML Data Scientist"
  principal_id   = var.data_scientists_group_id
  principal_type = "group"
  scope          = workspace.fraud
  description    = "Run experiments, register models and deploy them"
}

role_assignment "compute-operators" {
  role           = "AzureML Compute Operator"
  principal_id   = var.compute_operators_group_id
  principal_type = "group"
  scope          = workspace.fraud
  description    = "Start, stop and resize compute; view runs"
}

role_assignment "readers" {
  role           = "Reader"
  principal_id   = var.readers_group_id
  principal_type = "group"
  scope          = workspace.fraud
  description    = "View assets and run history only"
}
