# expect: E0402 --var:1
# args: --var env=qa
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-${var.env}-rg"
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "prod"
  validation {
    condition     = contains(["dev", "test", "prod"], var.env)
    error_message = "env must be one of dev, test or prod."
  }
}
