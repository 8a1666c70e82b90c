# Promotion from dev to prod through a registry. One manifest, two stages chosen by a var
# file (`--var-file vars/dev.hcl` or `vars/prod.hcl`), each with its own state:
#
# - dev holds the shared registry (in its own resource group, replicated to West Europe)
#   and registers each model version that passes evaluation in it: promotion is
#   registering the version there;
# - prod has its own workspace and deploys the registry's version by ID: it never reads the
#   dev workspace, and the registry outlives any one workspace.

azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-${var.env}-rg"
  location        = "eastus"
}

variable "env" {
  type        = string
  default     = "dev"
  description = "Stage: dev (registry and promotion) or prod (serving)"

  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod."
  }
}

variable "model_version" {
  type        = string
  default     = "7"
  description = "The promoted model version prod serves"
}

locals {
  dev            = var.env == "dev"
  registry_group = "fraud-shared-rg"
  # The registry's model version as prod names it (the same ID the dev stage creates).
  promoted_model = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/${local.registry_group}/providers/Microsoft.MachineLearningServices/registries/fraud-central/models/fraud/versions/${var.model_version}"
  tags           = { stage = var.env, app = "fraud" }
}

workspace "fraud" {
  name                  = "fraud-${var.env}"
  friendly_name         = "Fraud detection (${var.env})"
  public_network_access = local.dev # dev is reachable from laptops; prod only privately
  identity { type = "system_assigned" }
  tags = local.tags
}

# One state per stage: dev keeps the default file, prod one of its own.
backend "local" {
  path = var.env == "prod" ? ".amlplan/prod.json" : ".amlplan/state.json"
}
