# expect: E0404 main.hcl:9
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "zones" {
  type    = list
  default = ["1", "2", "3"]
}
