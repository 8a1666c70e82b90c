# expect: E0403 main.hcl:8
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "readers_group_id" {
  type        = string
  description = "Object ID of the readers group"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

role_assignment "readers" {
  role           = "Reader"
  principal_id   = var.readers_group_id
  principal_type = "group"
  scope          = workspace.fraud
}
