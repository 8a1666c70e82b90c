# expect: E0709 main.hcl:18
# Role assignment names are GUIDs derived from scope, principal and role, so the two
# instances are distinct; the only problem is the role name.
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
  for_each       = toset(["071c4e32-9cde-4e36-a9a5-fc42c314b53f", "4f0602f4-5376-45c5-9c86-e7d3d505290f"])
  role           = "Readers"
  principal_id   = each.value
  principal_type = "user"
  scope          = workspace.fraud
}
