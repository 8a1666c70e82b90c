# The retraining pipeline: prepare, train, evaluate. Prep and evaluate come from their CLI v2
# YAML files; train is written here. A weekly schedule submits the pipeline in
# pipelines/retrain.yml, whose references amlplan checks against this manifest.

component "prep" {
  workspace = workspace.fraud
  file      = "components/prep/component.yml"
}

component "train" {
  workspace    = workspace.fraud
  version      = "1"
  display_name = "Train the LightGBM fraud model"
  type         = "command"
  code         = "components/train/src"
  environment  = environment.fraud-train
  command      = "python train.py --data $${{inputs.train_data}} --rate $${{inputs.learning_rate}} --out $${{outputs.model_output}}"

  input "train_data" {
    type = "uri_folder"
  }
  input "learning_rate" {
    type    = "number"
    default = 0.05
  }
  output "model_output" {
    type = "mlflow_model"
  }
}

component "evaluate" {
  workspace = workspace.fraud
  file      = "components/evaluate/component.yml"
}

schedule "weekly-retrain" {
  workspace    = workspace.fraud
  job_file     = "pipelines/retrain.yml"
  display_name = "Weekly fraud retraining"
  cron {
    expression = "0 2 * * 1"
    time_zone  = "UTC"
  }
  tags = local.tags
}
