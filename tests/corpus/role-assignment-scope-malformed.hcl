# expect: E0505 main.hcl:12
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "fraud-prod-rg"
  location        = "eastus"
}

role_assignment "lake-readers" {
  role           = "Storage Blob Data Reader"
  principal_id   = "f1801edf-8525-4074-ac69-362c527de83b"
  principal_type = "group"
  scope          = "/subscriptions/1a1d4e13-74c0-4d8d-ad95-4a9df4786560/resourceGroups/fraud-data-rg/providers/Microsoft.Storage/storageAccounts"
}
