# A workspace that is reachable only through a private endpoint and whose managed network only
# lets traffic out to approved destinations: the Python package feeds and the services Azure
# adds as required rules by itself.

workspace "main" {
  name                  = var.name
  description           = var.description
  public_network_access = false
  high_business_impact  = var.high_business_impact
  identity { type = "system_assigned" }

  managed_network {
    isolation_mode = "allow_only_approved_outbound"
    firewall_sku   = var.firewall_sku
    provision_now  = true

    outbound_rule "pypi" {
      type        = "fqdn"
      destination = "pypi.org"
    }
    outbound_rule "pythonhosted" {
      type        = "fqdn"
      destination = "files.pythonhosted.org"
    }
    outbound_rule "conda-forge" {
      type        = "fqdn"
      destination = "conda.anaconda.org"
    }
  }

  tags = var.tags
}

private_endpoint "workspace" {
  name      = "${var.name}-pe"
  target    = workspace.main
  group     = "amlworkspace"
  subnet    = var.subnet_id
  dns_zones = [private_dns_zone.api, private_dns_zone.notebooks]
  tags      = var.tags
}

private_dns_zone "api" {
  name = "privatelink.api.azureml.ms"
  tags = var.tags

  vnet_link "workspace" {
    virtual_network = var.vnet_id
    registration    = false
  }
}

private_dns_zone "notebooks" {
  name = "privatelink.notebooks.azure.net"
  tags = var.tags

  vnet_link "workspace" {
    virtual_network = var.vnet_id
    registration    = false
  }
}
