# One assignment per data scientist; each instance's address is
# role_assignment.data-scientists["<object id>"].

role_assignment "data-scientists" {
  for_each = toset(var.data_scientist_ids)

  role           = "AzureML Data Scientist"
  principal_id   = each.value
  principal_type = "user"
  scope          = module.ws.workspace
  description    = "Run experiments, register models and deploy them"
}
