# expect: E0305 main.hcl:14
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = local.rg
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "prod"
}

locals {
  rg = "fraud-" + var.env + "-rg"
}
