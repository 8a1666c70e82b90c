env           = "prod"
model_version = "7"
