# expect: E0706 main.hcl:16
# isolation_mode left out: it defaults to "disabled", where FQDN rules do nothing.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
  managed_network {
    firewall_sku = "standard"
    outbound_rule "pypi" {
      type        = "fqdn"
      destination = "pypi.org"
    }
  }
}
