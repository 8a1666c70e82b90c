# expect: E0746 main.hcl:47
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

workspace "fraud" {
  public_network_access = true
}

environment "env" {
  workspace = workspace.fraud
  version   = "1"
  image     = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
}

model "m" {
  workspace = workspace.fraud
  version   = "1"
  path      = "azureml://datastores/workspaceblobstore/paths/models/m/1/"
}

online_endpoint "scoring" {
  workspace = workspace.fraud
  traffic   = { blue = 100 }
}

online_deployment "blue" {
  endpoint      = online_endpoint.scoring
  model         = model.m
  environment   = environment.env
  instance_type = "Standard_DS3_v2"

  data_collector {
    collection "model_inputs" {}
    collection "model_outputs" {}
  }
}

workspace "dev" {
  public_network_access = true
}

monitor "drift" {
  workspace  = workspace.dev
  deployment = online_deployment.blue
  compute    = "Standard_E4s_v3"

  signal "drift" {
    type      = "data_drift"
    metric    = "jensen_shannon_distance"
    threshold = 0.1
  }

  recurrence {
    frequency = "day"
    interval  = 1
  }
}
