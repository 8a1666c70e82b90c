# expect: E0732 main.hcl:18
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

component "train" {
  workspace   = workspace.fraud
  version     = "1"
  environment = "azureml:fraud-train:3"
  command     = "python train.py --data $${{inputs.train_data}} --out $${{outputs.model}}"

  input "train_data" {
    type = "uri_folder"
  }
  output "model_output" {
    type = "mlflow_model"
  }
}
