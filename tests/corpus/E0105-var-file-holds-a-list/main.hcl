# expect: E0105 vars/list.json:1
# expect: E0105 vars/region.hcl:3
# args: --var-file vars/list.json --var-file vars/region.hcl
# The JSON file lists the values without saying which variable each is for, and the HCL
# one wraps its value in a block.
variable "env" {
  type    = string
  default = "dev"
}

variable "location" {
  type    = string
  default = "eastus"
}

azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-${var.env}-rg"
  location        = var.location
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}
