# expect: E0732 components/prep.yml:9
# The command names `${{inputs.raw}}`; the input is declared as `raw_data`.
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

component "prep-data" {
  workspace = workspace.fraud
  file      = "components/prep.yml"
}
