env           = "prod"
gpu_max_nodes = "four"
