# expect: E0715 main.hcl:18
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

    outbound_rule "range" {
      type             = "service_tag"
      address_prefixes = ["10.1.0.0/24"]
      protocol         = "tcp"
      ports            = "443"
    }
  }
}
