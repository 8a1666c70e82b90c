admin_password = "hunter2hunter2"
env = "prod" "qa"
