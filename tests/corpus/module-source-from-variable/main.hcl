# expect: E0801 main.hcl:14
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "modules_root" {
  type    = string
  default = "./modules"
}

module "ws" {
  source = "${var.modules_root}/secure-workspace"
  name   = "mlw-fraud"
}
