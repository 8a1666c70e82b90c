# Prod serves the registry's version on a managed online endpoint.

online_endpoint "fraud" {
  count     = local.dev ? 0 : 1
  workspace = workspace.fraud
  name      = "fraud-${var.env}"
  auth_mode = "aad_token"
  tags      = local.tags
}

online_deployment "blue" {
  count          = local.dev ? 0 : 1
  endpoint       = online_endpoint.fraud[0]
  model          = local.promoted_model
  instance_type  = "Standard_DS3_v2"
  instance_count = 2
  tags           = local.tags
}
