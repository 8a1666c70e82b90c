output "cluster" {
  value       = compute_cluster.this
  description = "The cluster, to pass where a compute reference is expected"
}
