# expect: E0727 main.hcl:39
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

kubernetes_compute "aks-prod" {
  workspace = workspace.fraud
  cluster   = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/aks-rg/providers/Microsoft.ContainerService/managedClusters/aks-prod"

  instance_type "cpu-small" {
    cpu    = "1"
    memory = "4Gi"
  }
}

online_endpoint "fraud" {
  workspace = workspace.fraud
}

model "fraud" {
  workspace = workspace.fraud
  version   = "1"
  path      = "azureml://datastores/workspaceblobstore/paths/models/fraud/1/"
}

online_deployment "blue" {
  endpoint      = online_endpoint.fraud
  model         = model.fraud
  compute       = kubernetes_compute.aks-prod
  # The cluster's instance type is `cpu-small`.
  instance_type = "cpu-smal"
}
