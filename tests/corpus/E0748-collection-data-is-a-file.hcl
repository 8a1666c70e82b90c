# expect: E0748 main.hcl:45
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

data_asset "inputs" {
  workspace = workspace.fraud
  version   = "1"
  type      = "uri_file"
  path      = "azureml://datastores/workspaceblobstore/paths/collected/inputs.jsonl"
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
    collection "model_inputs" {
      # The collector writes files into a folder.
      data = data_asset.inputs
    }
  }
}
