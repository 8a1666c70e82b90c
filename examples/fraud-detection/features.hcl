# The feature store the fraud features (per-card spending, merchant history) are materialized
# into. Its offline store is a container of the data lake the raw exports land in (the
# example's storage, in fraud-data-rg): the store's system-assigned identity is granted
# Storage Blob Data Contributor on that container, so materialization jobs write there with no
# key stored. No online store: the scoring requests carry their features.

feature_store "fraud-features" {
  friendly_name         = "Fraud features (${var.env})"
  description           = "Card-fraud features materialized from the transaction lake"
  public_network_access = false
  high_business_impact  = true
  identity { type = "system_assigned" }

  offline_store = "${local.lake_id}/blobServices/default/containers/features"

  compute_runtime {
    spark_runtime_version = "3.4"
  }

  managed_network {
    # Only private endpoint rules: no FQDN rule, so no managed firewall.
    isolation_mode = "allow_only_approved_outbound"

    # The lake, over a managed private endpoint, for the materialization jobs.
    outbound_rule "lake" {
      type        = "private_endpoint"
      resource_id = local.lake_id
      subresource = "blob"
      spark       = true
    }
  }

  usage { storage_gb = 20 }

  tags = local.tags
}

# The feature store is reached the way the workspace is: through a private endpoint in the hub
# VNet, resolved by the same private DNS zones.
private_endpoint "features" {
  target    = feature_store.fraud-features
  group     = "amlworkspace"
  subnet    = local.pe_subnet_id
  dns_zones = [private_dns_zone.api, private_dns_zone.notebooks]
  tags      = local.tags
}
