# expect: E0711 main.hcl:15
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  friendly_name = "Fraud detection"
  identity {
    type = "system_assigned"
  }
  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags, friendlyName]
  }
}
