"""Scoring script for the fraud model's online deployments (blue and green).

The endpoint's inference server calls init() once per worker and run() per request.
Requests carry a JSON body {"data": [{<feature>: <value>, ...}, ...]}; the answer holds the
model's score for each row, in the same order. Where the deployment's data collector collects
them (blue's does, for the drift monitor), the features and scores of each request are logged
as the `model_inputs` and `model_outputs` collections; elsewhere the collectors do nothing.
"""

import json
import logging
import os

import mlflow.pyfunc
import numpy as np
import pandas as pd
from azureml.ai.monitoring import Collector

logger = logging.getLogger(__name__)
model = None
inputs_collector = None
outputs_collector = None


def init():
    """Load the registered MLflow model from the directory the platform mounted."""
    global model, inputs_collector, outputs_collector
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "info").upper())
    model_root = os.environ["AZUREML_MODEL_DIR"]
    # The model is registered as a folder; the MLmodel file sits one level down.
    entries = [e for e in os.listdir(model_root) if not e.startswith(".")]
    model_dir = os.path.join(model_root, entries[0]) if len(entries) == 1 else model_root
    model = mlflow.pyfunc.load_model(model_dir)
    inputs_collector = Collector(name="model_inputs")
    outputs_collector = Collector(name="model_outputs")
    logger.info("model loaded from %s (slot %s)", model_dir, os.environ.get("DEPLOYMENT_SLOT"))


def run(raw_data):
    """Score a batch of transactions, one score per row."""
    try:
        rows = json.loads(raw_data)["data"]
        frame = pd.DataFrame.from_records(rows)
        # The context correlates a request's inputs with its outputs in the collected data.
        context = inputs_collector.collect(frame)
        scores = np.asarray(model.predict(frame), dtype=float).ravel()
        outputs_collector.collect(pd.DataFrame({"score": scores}), context)
        return {"scores": scores.tolist()}
    except (KeyError, ValueError, TypeError) as err:
        logger.warning("bad request: %s", err)
        return {"error": str(err)}
