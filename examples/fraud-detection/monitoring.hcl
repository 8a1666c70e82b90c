# Model monitoring of the champion: daily drift of its inputs and outputs and the quality of its
# inputs, compared with the week before, mailed to the on-call team.

monitor "fraud-drift" {
  workspace    = workspace.fraud
  deployment   = online_deployment.blue
  compute      = "Standard_E4s_v3"
  alert_emails = ["ml-oncall@contoso.com"]
  tags         = local.tags

  signal "input-drift" {
    type      = "data_drift"
    features  = ["amount", "merchant_category", "hour_of_day"]
    metric    = "jensen_shannon_distance"
    threshold = 0.1
  }

  signal "score-drift" {
    type      = "prediction_drift"
    metric    = "population_stability_index"
    threshold = 0.2
  }

  signal "input-quality" {
    type      = "data_quality"
    metric    = "null_value_rate"
    threshold = 0.05
  }

  recurrence {
    frequency = "day"
    interval  = 1
    hours     = [4]
    minutes   = [0]
  }
}
