online_endpoint "fraud" {
  workspace = workspace.fraud
  auth_mode = "aad_token"
  traffic   = { blue = 100 green = 0 }
}
