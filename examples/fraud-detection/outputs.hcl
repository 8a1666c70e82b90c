output "scoring_uri" {
  value       = online_endpoint.fraud.scoring_uri
  description = "URI that clients in the hub VNet call with an Entra ID token"
}

output "workspace_id" {
  value       = workspace.fraud.id
  description = "ARM ID of the workspace"
}

output "resource_group" {
  value = local.rg
}
