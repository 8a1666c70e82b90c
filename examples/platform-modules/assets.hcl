environment "churn-serve" {
  workspace   = module.ws.workspace
  version     = "1"
  image       = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
  conda_file  = "env/conda.yml"
  description = "Runtime of the churn model, every package pinned"
}

model "churn" {
  workspace = module.ws.workspace
  version   = "4"
  type      = "mlflow_model"
  path      = "azureml://datastores/workspaceblobstore/paths/models/churn/4/"
}
