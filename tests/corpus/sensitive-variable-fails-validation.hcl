# expect: E0402 main.hcl:9
# The error points at the declaration, never into the secret value.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

variable "ssh_public_key" {
  type      = string
  sensitive = true
  default   = "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7"
  validation {
    condition     = startswith(var.ssh_public_key, "ssh-")
    error_message = "ssh_public_key must be an OpenSSH public key (ssh-rsa ..., ssh-ed25519 ...)."
  }
}

workspace "fraud" {
  identity {
    type = "system_assigned"
  }
}

compute_instance "alice-dev" {
  workspace      = workspace.fraud
  vm_size        = "Standard_DS3_v2"
  idle_shutdown  = "30m"
  ssh_public_key = var.ssh_public_key
}
