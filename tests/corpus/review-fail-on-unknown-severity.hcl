# expect: E0502 main.hcl:11
# expect: E0205 main.hcl:12
# expect: W0111 main.hcl:13
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

review {
  fail_on = "error"
  ignore "AML-NET-004" {
    address = "workspace.fraud.outbound_rule.pypi"
  }
}
