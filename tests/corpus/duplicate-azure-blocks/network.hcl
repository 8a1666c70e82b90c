# Copied from the network team's repository.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-network-rg"
  location        = "eastus"
}

private_dns_zone "api" {
  name = "privatelink.api.azureml.ms"
}
