output "workspace" {
  value       = workspace.main
  description = "The workspace, to pass where a workspace reference is expected"
}

output "workspace_name" {
  value       = var.name
  description = "Azure name of the workspace"
}
