# expect: E0403 main.hcl:13
# args: --var data_scientists_group_id=f1801edf-8525-4074-ac69-362c527de83b
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "data_scientists_group_id" {
  type = string
}

variable "readers_group_id" {
  type = string
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

role_assignment "data-scientists" {
  role         = "AzureML Data Scientist"
  principal_id = var.data_scientists_group_id
  scope        = workspace.fraud
}

role_assignment "readers" {
  role         = "Reader"
  principal_id = var.readers_group_id
  scope        = workspace.fraud
}
