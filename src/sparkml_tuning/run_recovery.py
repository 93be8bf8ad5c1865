"""Runs left behind by an interrupted tuning, and how they end.

What happens to the parent run when tuning stops early:

- A cell raises (bad data inside a fit, an evaluator error, Ctrl-C / "Interrupt" in a
  notebook, which raises KeyboardInterrupt): `mlflow.start_run` is a context manager, so
  the parent run of `start_tuning_run` / `tune_with_tracking` ends as FAILED (for a
  KeyboardInterrupt too), no run stays active, and the next tuning starts cleanly.
- The process is killed (`kill -9`, the kernel dies, the cluster is terminated): nothing
  runs to end the run, so it stays RUNNING in MLflow forever. Find such runs with
  `unfinished_runs(experiment_name)` and end them with `mark_killed(run_id)`, which is
  `mlflow.MlflowClient().set_terminated(run_id, "KILLED")`.
"""

from __future__ import annotations

import logging

from mlflow import MlflowClient
from mlflow.entities import Run

_logger = logging.getLogger(__name__)


def unfinished_runs(experiment_name: str) -> list[Run]:
    """The runs of an experiment still marked RUNNING: live ones, or left by a killed process.

    Args:
        experiment_name: the experiment to look in; an unknown name gives no runs.
    """
    client = MlflowClient()
    experiment = client.get_experiment_by_name(experiment_name)
    if experiment is None:
        return []
    return client.search_runs(
        [experiment.experiment_id], filter_string="attributes.status = 'RUNNING'"
    )


def mark_killed(run_id: str) -> None:
    """End a run that its killed process left RUNNING, with the status KILLED.

    Only call it for runs whose process is gone: a live run would keep logging into a run
    MLflow already shows as ended.
    """
    MlflowClient().set_terminated(run_id, "KILLED")
    _logger.info("Marked run %s as KILLED.", run_id)
