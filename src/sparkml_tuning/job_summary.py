"""Summarise a job run from what MLflow recorded: one row per tuner.

The tuning notebooks start one parent run per tuner, tagged `tuner` (CrossValidator,
TrainValidationSplit) and `model`; autolog adds to it the tuner's and evaluator's params
and the winning values as `best_<Stage>.<param>`, and one child run per param map with
the validation metric (`avg_<metric>` for CrossValidator, `<metric>` for
TrainValidationSplit). The notebooks log the test metric on the parent as `test_<metric>`;
autolog's own name for a metric computed after the fit, `<metric>_<variable>`, is
accepted too when the variable name contains "test".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from mlflow.entities import Run
from mlflow.tracking import MlflowClient

from sparkml_tuning.local_mlflow import LOCAL_TRACKING_URI
from sparkml_tuning.tracking_checks import redact_uri

_logger = logging.getLogger(__name__)

# Regression metrics of RegressionEvaluator for which a larger value is better.
LARGER_IS_BETTER = ("r2", "var")


@dataclass(frozen=True)
class TunerSummary:
    """What one tuner found.

    Attributes:
        tuner: the `tuner` tag (CrossValidator, TrainValidationSplit).
        model: the `model` tag.
        best_params: `<Stage>.<param>` -> the winning value.
        metric: the evaluator's metric name.
        validation: the best child run's validation metric (CV average or TVS), if any.
        test: the metric on the held-out test set, if logged.
        run_id: the parent run.
    """

    tuner: str
    model: str
    best_params: dict[str, str] = field(default_factory=dict)
    metric: str = ""
    validation: float | None = None
    test: float | None = None
    run_id: str = ""


def _metric_name(run: Run) -> str:
    names = [value for key, value in run.data.params.items() if key.endswith(".metricName")]
    return names[0] if names else ""


def _test_metric(run: Run, metric: str) -> float | None:
    autologged = sorted(
        key for key in run.data.metrics if key.startswith(f"{metric}_") and "test" in key
    )
    keys = [key for key in (f"test_{metric}", *autologged) if key in run.data.metrics]
    return run.data.metrics[keys[0]] if keys else None


def _best_validation(client: MlflowClient, run: Run, metric: str) -> float | None:
    children = client.search_runs(
        [run.info.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{run.info.run_id}'",
        max_results=10_000,
    )
    values = [
        child.data.metrics[key]
        for child in children
        for key in (f"avg_{metric}", metric)
        if key in child.data.metrics
    ]
    if not values:
        return None
    return max(values) if metric in LARGER_IS_BETTER else min(values)


def summarise_run(client: MlflowClient, run: Run) -> TunerSummary:
    """Read one tuner's parent run (and its children) into a `TunerSummary`."""
    metric = _metric_name(run)
    best = {
        key.removeprefix("best_"): value
        for key, value in sorted(run.data.params.items())
        if key.startswith("best_")
    }
    return TunerSummary(
        tuner=run.data.tags["tuner"],
        model=run.data.tags["model"],
        best_params=best,
        metric=metric,
        validation=_best_validation(client, run, metric) if metric else None,
        test=_test_metric(run, metric) if metric else None,
        run_id=run.info.run_id,
    )


def tuner_summaries(experiment_name: str, started_after_ms: int) -> list[TunerSummary]:
    """The tuners' parent runs in an experiment that started after a time, oldest first.

    Args:
        experiment_name: the MLflow experiment the job's notebooks log to.
        started_after_ms: the job's start, in milliseconds since the epoch.
    """
    client = MlflowClient()
    experiment = client.get_experiment_by_name(experiment_name)
    if experiment is None:
        _logger.warning(
            "MLflow has no experiment %r, so there is nothing to summarise; check the "
            "`experiment_name` parameter.",
            experiment_name,
        )
        return []
    runs = client.search_runs(
        [experiment.experiment_id],
        filter_string=f"attributes.start_time >= {started_after_ms}",
        order_by=["attributes.start_time ASC"],
        max_results=10_000,
    )
    parents = [
        run
        for run in runs
        if {"tuner", "model"} <= run.data.tags.keys() and "mlflow.parentRunId" not in run.data.tags
    ]
    return [summarise_run(client, run) for run in parents]


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_summary(summaries: list[TunerSummary]) -> str:
    """A plain-text table: one row per tuner, metrics to 3 decimals."""
    header = ("tuner", "model", "best hyperparameters", "metric", "validation", "test", "run id")
    rows = [
        (
            summary.tuner,
            summary.model,
            ", ".join(f"{key}={value}" for key, value in summary.best_params.items()) or "-",
            summary.metric or "-",
            _number(summary.validation),
            _number(summary.test),
            summary.run_id,
        )
        for summary in summaries
    ]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)


def mlflow_ui_command(tracking_uri: str) -> str:
    """The project's command that opens the MLflow UI on a store, on this machine only."""
    command = "python -m sparkml_tuning ui"
    if tracking_uri != LOCAL_TRACKING_URI:
        command += f" --backend-store-uri {redact_uri(tracking_uri)}"
    return command
