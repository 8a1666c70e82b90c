# expect: E0314 main.hcl:17
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-rg"
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "prod"
}

workspace "fraud" {
  name = "fraud-ws"

  tags = {
    var.env = "true"
  }
}
