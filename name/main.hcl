azure {
  subscription_id = "00000000-0000-0000-0000-000000000000"
  resource_group  = "rg"
  location        = "eastus"
}
variable "s" {
  type      = string
  sensitive = true
  default   = "zqsecretzq"
}
variable "n" {
  type      = number
  sensitive = true
  default   = 424242
}
variable "m" {
  type      = map(string)
  sensitive = true
  default   = { zqkeyzq = "v" }
}
workspace "mlw" { public_network_access = true }

compute_cluster "c" {
  name      = var.s
  workspace = workspace.mlw
  vm_size   = "Standard_DS3_v2"
  max_nodes = 1
}
