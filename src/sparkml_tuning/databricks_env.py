"""Tell a Databricks cluster or job from a laptop, for choices that differ between them."""

from __future__ import annotations

import os

import mlflow

RUNTIME_VERSION_VARIABLE = "DATABRICKS_RUNTIME_VERSION"


def running_on_databricks(tracking_uri: str | None = None) -> bool:
    """Whether the code runs on Databricks or tracks into a Databricks workspace.

    True when Databricks Runtime set `DATABRICKS_RUNTIME_VERSION`, or when the MLflow
    tracking URI is `databricks` (or a `databricks://profile` URI) from anywhere.

    Args:
        tracking_uri: the URI to judge; by default MLflow's current tracking URI.
    """
    if os.environ.get(RUNTIME_VERSION_VARIABLE):
        return True
    uri = tracking_uri if tracking_uri is not None else mlflow.get_tracking_uri()
    return uri == "databricks" or uri.startswith("databricks://")
