# expect: E0402 main.hcl:10
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-${var.env}-rg"
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "staging"
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod"
  }
}
