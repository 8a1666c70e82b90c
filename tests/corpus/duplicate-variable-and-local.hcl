# expect: E0206 main.hcl:14
# expect: E0206 main.hcl:24
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "prod"
}

variable "env" {
  type    = string
  default = "dev"
}

locals {
  rg = "fraud-${var.env}-rg"
}

locals {
  rg = "fraud-rg"
}
