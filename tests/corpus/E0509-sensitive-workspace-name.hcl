# expect: E0509 main.hcl:15
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "project" {
  type      = string
  sensitive = true
  default   = "hunter2hunter2"
}

workspace "fraud" {
  name = "mlw-${var.project}"
}
