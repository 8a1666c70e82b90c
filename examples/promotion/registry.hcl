# The registry every stage's workspaces use, managed by the dev stage only.

registry "central" {
  count                 = local.dev ? 1 : 0
  name                  = "fraud-central"
  resource_group        = local.registry_group
  location              = "eastus"
  replication_locations = ["eastus", "westeurope"]
  public_network_access = false
  identity { type = "system_assigned" }
  tags = local.tags
}

# The promoted version: registered in the registry, not in the dev workspace.
model "fraud" {
  count    = local.dev ? 1 : 0
  registry = registry.central[0]
  version  = var.model_version
  type     = "mlflow_model"
  path     = "azureml://datastores/workspaceblobstore/paths/models/fraud/${var.model_version}/"
}
