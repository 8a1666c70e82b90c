# Fraud detection on Azure Machine Learning: a private workspace in East US whose managed
# network only lets traffic out to approved destinations, a spot GPU cluster for training,
# a personal compute instance, and a blue/green managed online endpoint for scoring.
#
# Files: main.hcl (placement, workspace, budget, review), network.hcl (private endpoint and
# DNS), compute.hcl, assets.hcl (environment, datastore, data, model), pipeline.hcl (components
# and the weekly retraining schedule), serving.hcl, monitoring.hcl (the drift
# monitor), features.hcl (the feature store), access.hcl (RBAC),
# variables.hcl (variables and locals), outputs.hcl.

azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = local.rg
  location        = "eastus"
}

backend "local" {
  path = ".amlplan/state.json"
}

workspace "fraud" {
  friendly_name         = "Fraud detection (${var.env})"
  description           = "Card-fraud scoring: training on spot GPUs, serving on a private online endpoint"
  public_network_access = false
  high_business_impact  = true
  identity { type = "system_assigned" }

  managed_network {
    isolation_mode = "allow_only_approved_outbound"
    firewall_sku   = "standard"
    provision_now  = true

    # Package feeds used when environment images are built.
    outbound_rule "pypi" {
      type        = "fqdn"
      destination = "pypi.org"
    }
    outbound_rule "pythonhosted" {
      type        = "fqdn"
      destination = "files.pythonhosted.org"
    }
    outbound_rule "conda-forge" {
      type        = "fqdn"
      destination = "conda.anaconda.org"
    }

    # The transaction data lake, reached over a managed private endpoint.
    outbound_rule "lake" {
      type        = "private_endpoint"
      resource_id = local.lake_id
      subresource = "blob"
      spark       = false
    }
  }

  usage { storage_gb = 50 }

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

# The forecast gates the plan; the alerts make it an Azure budget too, so spend is watched after
# apply (monthly, from the first of the month it is created in).
budget "monthly" {
  amount   = 3000
  currency = "USD"
  warn_at  = 80

  alert "early" {
    threshold      = 80
    kind           = "forecasted"
    contact_emails = ["ml-platform@contoso.com"]
  }
  alert "limit" {
    threshold      = 100
    contact_emails = ["ml-platform@contoso.com", "finops@contoso.com"]
  }
}

review {
  fail_on = "high"

  ignore "AML-NET-004" {
    address = "workspace.fraud.outbound_rule.pypi"
    reason  = "approved by sec-ops, ticket 1234"
  }
}
