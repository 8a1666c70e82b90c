output "workspace_name" {
  value = module.ws.workspace_name
}

output "scoring_uri" {
  value       = module.serving.scoring_uri
  description = "Known after apply"
}
