# expect: E0401 vars/prod.hcl:2
# args: --var-file vars/prod.hcl
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "env" {
  type    = string
  default = "dev"
}

variable "gpu_max_nodes" {
  type    = number
  default = 4
}
