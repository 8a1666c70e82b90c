# expect: E0401 main.hcl:10
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "reader_group_ids" {
  type    = list(string)
  default = "071c4e32-9cde-4e36-a9a5-fc42c314b53f,4f0602f4-5376-45c5-9c86-e7d3d505290f"
}
