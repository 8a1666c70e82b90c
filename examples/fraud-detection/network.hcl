# Inbound path: clients in the hub VNet reach the workspace through a private endpoint, and
# the two private DNS zones make the workspace host names resolve to its private IP.

private_endpoint "workspace" {
  target    = workspace.fraud
  group     = "amlworkspace"
  subnet    = local.pe_subnet_id
  dns_zones = [private_dns_zone.api, private_dns_zone.notebooks]
  tags      = local.tags
}

private_dns_zone "api" {
  name = "privatelink.api.azureml.ms"
  tags = local.tags

  vnet_link "hub" {
    virtual_network = local.vnet_id
    registration    = false
  }
}

private_dns_zone "notebooks" {
  name = "privatelink.notebooks.azure.net"
  tags = local.tags

  vnet_link "hub" {
    virtual_network = local.vnet_id
    registration    = false
  }
}
