variable "blue_weight" {
  type        = number
  default     = 80
  description = "Percent of scoring requests sent to the blue deployment"
}

variable "data_scientist_ids" {
  type        = list(string)
  description = "Entra ID object IDs of the platform's data scientists"
  default = [
    "f3824f38-a334-4166-bc86-8e6f5ba09cf9",
    "02b8a33a-ca94-4c56-a312-b8a715c4c2d6",
    "3d704ee9-e40f-4188-bb74-eb0b997b69a0",
  ]
}

locals {
  vnet_id      = "/subscriptions/ce9657ac-4260-4a30-90ab-87c7f52364d6/resourceGroups/platform-network-rg/providers/Microsoft.Network/virtualNetworks/platform-vnet"
  pe_subnet_id = "/subscriptions/ce9657ac-4260-4a30-90ab-87c7f52364d6/resourceGroups/platform-network-rg/providers/Microsoft.Network/virtualNetworks/platform-vnet/subnets/private-endpoints"

  tags = {
    project = "ml-platform"
    owner   = "platform-team"
  }
}
