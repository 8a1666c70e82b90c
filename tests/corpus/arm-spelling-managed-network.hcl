# expect: E0503 main.hcl:16
# expect: E0503 main.hcl:18
# expect: E0503 main.hcl:20
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
    isolation_mode = "allow_only_approved_outbound"
    firewall_sku   = "Standard"
    outbound_rule "aad" {
      type        = "ServiceTag"
      service_tag = "AzureActiveDirectory"
      protocol    = "TCP"
      ports       = "443"
    }
  }
}
