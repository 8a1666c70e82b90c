# expect: E0210 main.hcl:5
# The subscription was meant to come from the workspace's ID, which ARM gives only after
# the workspace exists, and the workspace's ID starts with the subscription.
azure {
  subscription_id = workspace.fraud.id
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}
