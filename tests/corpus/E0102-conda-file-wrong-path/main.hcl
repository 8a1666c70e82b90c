# expect: E0102 main.hcl:19
# main.hcl is in infra/, the YAML file is infra/env/conda.yml
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

environment "fraud-train" {
  workspace  = workspace.fraud
  version    = "3"
  image      = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
  conda_file = "infra/env/conda.yml"
}
