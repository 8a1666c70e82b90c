# expect: E0308 main.hcl:17
# LANGUAGE/E0308: a list is rejected for for_each (instances would be keyed by position);
# toset(...) is required.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

role_assignment "readers" {
  for_each       = ["071c4e32-9cde-4e36-a9a5-fc42c314b53f", "4f0602f4-5376-45c5-9c86-e7d3d505290f"]
  role           = "Reader"
  principal_id   = each.value
  principal_type = "user"
  scope          = workspace.fraud
}
