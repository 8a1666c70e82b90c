# expect: E0301 main.hcl:15
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "prod"
}

variable "resource_group" {
  type    = string
  default = "fraud-${var.env}-rg"
}
