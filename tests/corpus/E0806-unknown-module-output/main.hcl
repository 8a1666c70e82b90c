# expect: E0806 main.hcl:14
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

module "ws" {
  source = "./modules/secure-workspace"
  name   = "mlw-platform"
}

compute_cluster "cpu" {
  workspace = module.ws.main
  vm_size   = "Standard_DS3_v2"
  max_nodes = 2
}
