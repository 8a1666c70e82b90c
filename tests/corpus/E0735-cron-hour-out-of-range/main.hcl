# expect: E0735 main.hcl:57
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

compute_cluster "cpu-cluster" {
  workspace = workspace.fraud
  vm_size   = "Standard_DS3_v2"
  max_nodes = 2
}

data_asset "fraud-raw" {
  workspace = workspace.fraud
  version   = "1"
  type      = "uri_folder"
  path      = "azureml://datastores/workspaceblobstore/paths/fraud/raw/"
}

component "prep_data" {
  workspace   = workspace.fraud
  version     = "2"
  environment = "azureml:fraud-train:3"
  command     = "python prep.py --raw $${{inputs.raw}} --out $${{outputs.clean}}"
  input "raw" {
    type = "uri_folder"
  }
  output "clean" {
    type = "uri_folder"
  }
}

component "train" {
  workspace   = workspace.fraud
  version     = "1"
  environment = "azureml:fraud-train:3"
  command     = "python train.py --data $${{inputs.data}} --out $${{outputs.model}}"
  input "data" {
    type = "uri_folder"
  }
  output "model" {
    type = "mlflow_model"
  }
}

schedule "weekly-retrain" {
  workspace = workspace.fraud
  job_file  = "pipelines/fraud_pipeline.yml"
  cron {
    expression = "0 25 * * 1"
    time_zone  = "UTC"
  }
}
