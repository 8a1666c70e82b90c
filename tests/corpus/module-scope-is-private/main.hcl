# expect: E0601 main.hcl:27
# expect: E0302 modules/secure-workspace/main.hcl:7
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

locals {
  tags = {
    project = "fraud-detection"
  }
}

module "ws" {
  source = "./modules/secure-workspace"
  name   = "mlw-fraud"
}

compute_cluster "cpu" {
  workspace = module.ws.workspace
  vm_size   = "Standard_DS3_v2"
  max_nodes = 2
}

output "workspace_id" {
  value = workspace.this.id
}
