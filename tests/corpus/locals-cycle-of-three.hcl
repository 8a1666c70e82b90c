# expect: E0310 main.hcl:11
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

locals {
  workspace_name = "mlw-${local.prefix}"
  prefix         = "${local.project}-${var.env}"
  project        = replace(local.workspace_name, "mlw-", "")
}

variable "env" {
  type    = string
  default = "prod"
}

workspace "fraud" {
  name = local.workspace_name
  identity {
    type = "system_assigned"
  }
}
