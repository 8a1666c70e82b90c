# A private managed online endpoint with two deployments, blue and green, that split the
# traffic by `blue_weight`. Shift weight step by step to roll out green, set it back to roll
# back. src/score.py is a generic MLflow scoring script; it is needed because the
# deployments name their own environment.

online_endpoint "this" {
  name                  = var.name
  workspace             = var.workspace
  auth_mode             = var.auth_mode
  public_network_access = false
  traffic               = { blue = var.blue_weight, green = 100 - var.blue_weight }
  tags                  = var.tags
}

online_deployment "blue" {
  endpoint    = online_endpoint.this
  model       = var.model
  environment = var.environment

  code {
    path           = "src"
    scoring_script = "score.py"
  }

  instance_type                = var.instance_type
  instance_count               = var.instance_count
  request_timeout              = "5s"
  egress_public_network_access = false
  environment_variables        = { DEPLOYMENT_SLOT = "blue" }
  tags                         = var.tags
}

online_deployment "green" {
  endpoint    = online_endpoint.this
  model       = var.model
  environment = var.environment

  code {
    path           = "src"
    scoring_script = "score.py"
  }

  instance_type                = var.instance_type
  instance_count               = var.instance_count
  request_timeout              = "5s"
  egress_public_network_access = false
  environment_variables        = { DEPLOYMENT_SLOT = "green" }
  tags                         = var.tags
}
