# expect: E0509 main.hcl:20
# A sensitive value is never quoted in a diagnostic: it reads (sensitive value).
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "secret" {
  type      = string
  sensitive = true
  default   = "hunter2hunter2"
}

workspace "fraud" {
  public_network_access = true
}

compute_cluster "cpu" {
  name      = "cpu-${var.secret}"
  workspace = workspace.fraud
  vm_size   = "Standard_DS3_v2"
  max_nodes = 2
}
