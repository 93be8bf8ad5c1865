"""Checks of the MLflow side made before any training: the store answers, the name fits.

A tracking server that cannot be reached would otherwise show up only when the tuner
finishes and MLflow tries to log, after minutes of fitting and of MLflow's own retries
(7 by default, with a growing back-off). Both checks raise `TrackingSetupError` with a
sentence that says how to fix the setting.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import mlflow
from mlflow import MlflowClient

from sparkml_tuning.databricks_env import running_on_databricks

_logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 5.0
HTTP_SCHEMES = ("http://", "https://")


class TrackingSetupError(RuntimeError):
    """MLflow cannot record the runs as configured; the message says what to change."""


def redact_uri(uri: str) -> str:
    """The URI with any user name and password replaced by `***`, for messages and logs.

    A tracking URI such as `https://user:token@host` or `postgresql://user:pw@host/db`
    carries a credential; nothing the project prints or logs may show it.
    """
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


@contextmanager
def _short_http_timeout(timeout_seconds: float) -> Iterator[None]:
    """Make MLflow's REST client give up after one short try, then restore its settings."""
    settings = {
        "MLFLOW_HTTP_REQUEST_TIMEOUT": str(max(1, round(timeout_seconds))),
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
    }
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def check_tracking_reachable(
    tracking_uri: str | None = None, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
) -> str:
    """Ask the tracking store for one experiment, and fail fast if it does not answer.

    For an http(s) server the request gets one try of `timeout_seconds`. Local stores
    (sqlite, files) and `databricks` are asked the same cheap question.

    Args:
        tracking_uri: the store to check; by default MLflow's current tracking URI.
        timeout_seconds: how long an http(s) server may take to answer.

    Returns:
        The URI that was checked.

    Raises:
        TrackingSetupError: the store did not answer or refused the request.
    """
    uri = tracking_uri or mlflow.get_tracking_uri()
    is_http = uri.startswith(HTTP_SCHEMES)
    try:
        if is_http:
            with _short_http_timeout(timeout_seconds):
                MlflowClient(uri).search_experiments(max_results=1)
        else:
            MlflowClient(uri).search_experiments(max_results=1)
    except Exception as error:  # MLflow wraps connection, auth and sqlite errors alike.
        reason = str(error).splitlines()[0][:300] if str(error) else type(error).__name__
        reason = reason.replace(uri, redact_uri(uri))
        hint = (
            "Start the server or correct MLFLOW_TRACKING_URI (unset it to use the local "
            "store mlruns/mlflow.db)."
            if is_http
            else "Check MLFLOW_TRACKING_URI: the folder of a sqlite file must exist and be "
            "writable, and `databricks` needs a configured workspace profile."
        )
        raise TrackingSetupError(
            f"The MLflow tracking store {redact_uri(uri)!r} cannot be reached ({reason}), so "
            f"no run could be recorded; nothing was trained. {hint}"
        ) from error
    _logger.info("MLflow tracking store %s answered.", redact_uri(uri))
    return uri


def check_experiment_name(name: str, on_databricks: bool | None = None) -> str:
    """Check the experiment name from the widget for the place the code runs in.

    On Databricks an experiment is a workspace path such as `/Shared/sparkml-tuning` or
    `/Users/<you>/sparkml-tuning`; locally any non-empty name works (the default
    `/Shared/sparkml-tuning` is kept as the name, so both places show the same one).

    Args:
        name: the `experiment_name` widget value.
        on_databricks: where the code runs; detected by `running_on_databricks` if None.

    Returns:
        The name without surrounding spaces.

    Raises:
        TrackingSetupError: the name is empty, or not an absolute workspace path on
            Databricks.
    """
    experiment = name.strip()
    if not experiment:
        raise TrackingSetupError(
            "The experiment name is empty. Set the `experiment_name` widget, for example "
            "to /Shared/sparkml-tuning."
        )
    if on_databricks is None:
        on_databricks = running_on_databricks()
    if on_databricks and not experiment.startswith("/"):
        raise TrackingSetupError(
            f"On Databricks the experiment must be a workspace path starting with '/', got "
            f"{experiment!r}. Set the `experiment_name` widget to, for example, "
            f"/Shared/{experiment} or /Users/<your user name>/{experiment}."
        )
    return experiment
