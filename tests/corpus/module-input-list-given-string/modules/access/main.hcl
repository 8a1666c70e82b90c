# Grants the AzureML Data Scientist role to groups on a workspace.

variable "workspace" {
  description = "The workspace to grant access on"
}

variable "group_ids" {
  type = list(string)
}

role_assignment "data-scientists" {
  for_each       = toset(var.group_ids)
  role           = "AzureML Data Scientist"
  principal_id   = each.value
  principal_type = "group"
  scope          = var.workspace
}
