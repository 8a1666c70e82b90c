output "scoring_uri" {
  value       = online_endpoint.this.scoring_uri
  description = "URI that clients call; known after apply"
}

output "endpoint" {
  value       = online_endpoint.this
  description = "The endpoint, to pass where an endpoint reference is expected"
}
