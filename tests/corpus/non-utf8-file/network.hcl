# Überblick: Netzwerk für den Arbeitsbereich
private_dns_zone "api" {
  name = "privatelink.api.azureml.ms"
}
