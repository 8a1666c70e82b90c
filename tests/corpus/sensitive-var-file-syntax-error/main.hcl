# expect: E0101 <none>:0
# expect: E0403 main.hcl:11
# args: --var-file vars/prod.hcl
# The var file holds a sensitive value: the error names the line, it shows no snippet.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "admin_password" {
  type      = string
  sensitive = true
}

variable "env" {
  type    = string
  default = "dev"
}
