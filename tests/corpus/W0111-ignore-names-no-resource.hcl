# expect: W0111 main.hcl:12
# args: --deny-warnings
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

# The rule was renamed from `pip` to `pypi`; the ignore block still names the old one.
review {
  ignore "AML-NET-004" {
    address = "workspace.fraud.outbound_rule.pip"
    reason  = "approved by sec-ops, ticket 1234"
  }
}

workspace "fraud" {
  managed_network {
    isolation_mode = "allow_only_approved_outbound"
    outbound_rule "pypi" {
      type        = "fqdn"
      destination = "pypi.org"
    }
  }
}
