# The region of the production workspace.

location {
  value = "westeurope"
}
