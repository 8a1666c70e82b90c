resource "azurerm_machine_learning_workspace" "fraud" {
  name                = "fraud"
  location            = "eastus"
  resource_group_name = "fraud-prod-rg"
}
