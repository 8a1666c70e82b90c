# expect: E0707 main.hcl:19
# expect: E0707 main.hcl:25
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
    outbound_rule "legacy-api" {
      type        = "service_tag"
      service_tag = "AppService"
      protocol    = "tcp"
      ports       = "80-70"
    }
    outbound_rule "web" {
      type        = "service_tag"
      service_tag = "AzureFrontDoor.Frontend"
      protocol    = "tcp"
      ports       = "http"
    }
  }
}
