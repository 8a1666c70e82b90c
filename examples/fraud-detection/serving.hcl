# A private managed online endpoint with Entra ID (AAD) token auth. Blue serves the champion
# and takes 90% of requests; green is the canary with 10%.

online_endpoint "fraud" {
  workspace             = workspace.fraud
  auth_mode             = "aad_token"
  public_network_access = false
  traffic               = { blue = 90, green = 10 }
  tags                  = local.tags
}

online_deployment "blue" {
  endpoint    = online_endpoint.fraud
  model       = model.fraud
  environment = environment.fraud-train

  code {
    path           = "src"
    scoring_script = "score.py"
  }

  instance_type  = "Standard_DS3_v2"
  instance_count = 2

  scale {
    min_instances      = 2
    max_instances      = 4
    target_utilization = 70
  }

  request_timeout                      = "5s"
  max_concurrent_requests_per_instance = 1
  egress_public_network_access         = false
  environment_variables                = { LOG_LEVEL = "info", DEPLOYMENT_SLOT = "blue" }
  tags                                 = local.tags

  # What the drift monitor reads (monitoring.hcl): score.py logs each request's features and
  # the model's scores with azureml-ai-monitoring, registered as fraud-blue-model_inputs and
  # fraud-blue-model_outputs in the workspace.
  data_collector {
    rolling_rate = "hour"

    collection "model_inputs" {}
    collection "model_outputs" {}
  }
}

online_deployment "green" {
  endpoint    = online_endpoint.fraud
  model       = model.fraud
  environment = environment.fraud-train

  code {
    path           = "src"
    scoring_script = "score.py"
  }

  instance_type                = "Standard_DS3_v2"
  instance_count               = 1
  request_timeout              = "5s"
  egress_public_network_access = false
  environment_variables        = { LOG_LEVEL = "debug", DEPLOYMENT_SLOT = "green" }
  tags                         = local.tags
}
