# Versioned assets. A version's content is immutable: change the image or env/conda.yml and
# bump `version`.

# One environment for both training and scoring, so the two never drift apart.
environment "fraud-train" {
  workspace   = workspace.fraud
  version     = "4"
  image       = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1"
  conda_file  = "env/conda.yml"
  description = "LightGBM fraud model runtime, every package pinned"
}

# The data lake the raw transaction exports land in, reached by identity (no key stored in the
# workspace): the workspace's and the cluster's identities need a data role on the account.
datastore "lake" {
  workspace       = workspace.fraud
  type            = "adls_gen2"
  storage_account = local.lake_id
  container       = "raw"
  description     = "Raw card-transaction exports"
}

data_asset "fraud-raw" {
  workspace = workspace.fraud
  version   = "1"
  type      = "uri_folder"
  path      = "azureml://datastores/lake/paths/fraud/raw/"
}

model "fraud" {
  workspace = workspace.fraud
  version   = "7"
  type      = "mlflow_model"
  path      = "azureml://datastores/workspaceblobstore/paths/models/fraud/7/"
}
