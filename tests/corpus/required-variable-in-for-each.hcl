# expect: E0403 main.hcl:8
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "reader_group_ids" {
  type        = set(string)
  description = "Object IDs of the groups that may read the workspace"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

role_assignment "readers" {
  for_each       = var.reader_group_ids
  role           = "Reader"
  principal_id   = each.value
  principal_type = "group"
  scope          = workspace.fraud
}
