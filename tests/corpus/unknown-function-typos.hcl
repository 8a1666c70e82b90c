# expect: E0303 main.hcl:15
# expect: E0303 main.hcl:16
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "Prod"
}

locals {
  env  = tolower(var.env)
  tags = merg({ project = "fraud-detection" }, { environment = var.env })
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
  tags = local.tags
}
