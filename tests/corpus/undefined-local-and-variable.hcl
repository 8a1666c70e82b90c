# expect: E0301 main.hcl:17
# expect: E0302 main.hcl:22
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "prod"
}

locals {
  tags = {
    project     = "fraud-detection"
    environment = var.environment
  }
}

workspace "fraud" {
  friendly_name = "Fraud detection (${local.env})"
  identity {
    type = "system_assigned"
  }
  tags = local.tags
}
