variable "workspace" {
  type        = any
  description = "The workspace the endpoint belongs to (a workspace reference, e.g. module.ws.workspace)"
}

variable "name" {
  type        = string
  description = "Azure name of the endpoint: 3-32 letters, digits or '-', starting with a letter; unique in its region"

  validation {
    condition     = length(var.name) >= 3 && length(var.name) <= 32
    error_message = "name must be 3 to 32 characters long."
  }
}

variable "model" {
  type        = any
  description = "The model both deployments serve (a model reference)"
}

variable "environment" {
  type        = any
  description = "The environment both deployments run in (an environment reference)"
}

variable "blue_weight" {
  type        = number
  default     = 100
  description = "Percent of requests sent to blue; green receives the rest"

  validation {
    condition     = var.blue_weight >= 0 && var.blue_weight <= 100
    error_message = "blue_weight must be between 0 and 100."
  }
}

variable "instance_type" {
  type        = string
  default     = "Standard_DS3_v2"
  description = "VM size of each deployment's instances (create-only)"
}

variable "instance_count" {
  type        = number
  default     = 1
  description = "Instances per deployment"

  validation {
    condition     = var.instance_count >= 1
    error_message = "instance_count must be at least 1."
  }
}

variable "auth_mode" {
  type        = string
  default     = "aad_token"
  description = "How callers authenticate: key, aml_token or aad_token"

  validation {
    condition     = contains(["key", "aml_token", "aad_token"], var.auth_mode)
    error_message = "auth_mode must be key, aml_token or aad_token."
  }
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags for the endpoint and its deployments"
}
