"""Generic scoring script for an MLflow model served by the blue-green-endpoint module.

Requests carry a JSON body {"data": [{<column>: <value>, ...}, ...]} or
{"data": [[<value>, ...], ...]}; the answer holds one prediction per row, in order.
"""

import json
import logging
import os

import mlflow.pyfunc
import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)
model = None


def init():
    """Load the MLflow model from the directory the platform mounted."""
    global model
    model_root = os.environ["AZUREML_MODEL_DIR"]
    entries = [e for e in os.listdir(model_root) if not e.startswith(".")]
    model_dir = os.path.join(model_root, entries[0]) if len(entries) == 1 else model_root
    model = mlflow.pyfunc.load_model(model_dir)
    logger.info("model loaded from %s (slot %s)", model_dir, os.environ.get("DEPLOYMENT_SLOT"))


def run(raw_data):
    """Predict every row of the request."""
    try:
        frame = pd.DataFrame(json.loads(raw_data)["data"])
        predictions = model.predict(frame)
        return {"predictions": np.asarray(predictions).ravel().tolist()}
    except (KeyError, ValueError, TypeError) as err:
        logger.warning("bad request: %s", err)
        return {"error": str(err)}
