"""Record any search in the shape autolog gives a CrossValidator, and read the runs back.

One parent run per search, tagged `tuner` (GridSearch, RandomSearch, OptunaTPE) and `model`
(the estimator's class), with `best_<param>` params and the `fit_seconds`, `num_fits`,
`best_avg_<metric>` and `test_<metric>` metrics; then one child run per evaluated
combination with the estimator's full param map and `avg_<metric>` / `std_<metric>`, named
after its searched values. So `run_tracking.tuning_runs_table` lists the parents beside the
other notebooks' tuners, and the readers below put every method's children in one table.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID, MLFLOW_RUN_NAME
from mlflow.utils.time import get_current_time_millis
from pyspark.ml import Estimator

from sparkml_tuning.run_tracking import child_runs, larger_is_better
from sparkml_tuning.search_methods import SearchResult
from sparkml_tuning.search_space_spec import to_param_map

_logger = logging.getLogger(__name__)

ORDER_TAG = "evaluation"
METHOD_TAG = "search_method"


def _format(value: object) -> str:
    """Short, readable values for run names: 3 significant digits for floats."""
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def child_name(params: dict[str, object]) -> str:
    """E.g. `regParam=0.0215 elasticNetParam=0.5`."""
    return " ".join(f"{name}={_format(value)}" for name, value in params.items()) or "defaults"


def log_search(
    result: SearchResult,
    estimator: Estimator,
    test_metric: float | None = None,
    data_source: str | None = None,
) -> str:
    """Log a search as one parent run and one child per evaluation; return the parent's id.

    Args:
        result: what `grid_search`, `random_search` or `optuna_search` returned.
        estimator: the searched estimator (its full param map goes on every child).
        test_metric: the best model's metric on held-back rows, logged as `test_<metric>`.
        data_source: recorded as the parent's `data_source` tag.
    """
    metric = result.metric
    model = type(estimator).__name__
    tags = {"tuner": result.method, "model": model}
    if data_source:
        tags["data_source"] = data_source
    best = result.best
    with mlflow.start_run(run_name=f"{result.method}-{model}", tags=tags) as parent:
        mlflow.log_params(
            {
                "numFolds": result.num_folds,
                **result.settings,
                **{f"best_{name}": value for name, value in best.params.items()},
            }
        )
        metrics = {
            "fit_seconds": result.fit_seconds,
            "num_fits": result.num_fits,
            "num_evaluations": len(result.evaluations),
            f"best_avg_{metric}": best.avg_metric,
            f"best_std_{metric}": best.std_metric,
        }
        if test_metric is not None:
            metrics[f"test_{metric}"] = test_metric
        mlflow.log_metrics(metrics)
    client = MlflowClient()
    now = get_current_time_millis()
    for order, evaluation in enumerate(result.evaluations):
        child_estimator = estimator.copy(to_param_map(estimator, evaluation.params))
        params = {p.name: v for p, v in child_estimator.extractParamMap().items()}
        child = client.create_run(
            parent.info.experiment_id,
            start_time=parent.info.start_time,
            tags={
                MLFLOW_PARENT_RUN_ID: parent.info.run_id,
                MLFLOW_RUN_NAME: child_name(evaluation.params),
                ORDER_TAG: str(order),
                # Not `tuner`: readers find tuning parents by that tag.
                METHOD_TAG: result.method,
            },
        )
        client.log_batch(
            child.info.run_id,
            metrics=[
                Metric(f"avg_{metric}", evaluation.avg_metric, now, 0),
                Metric(f"std_{metric}", evaluation.std_metric, now, 0),
            ],
            params=[Param(name, str(value)) for name, value in sorted(params.items())],
        )
        client.set_terminated(child.info.run_id, end_time=now)
    _logger.info(
        "Logged %s as run %s with %d children.",
        result.method,
        parent.info.run_id,
        len(result.evaluations),
    )
    return parent.info.run_id


def search_children_table(parent_run_ids: Sequence[str], metric: str) -> pd.DataFrame:
    """Every child of the given search parents in one table, in evaluation order per method.

    Columns: tuner, evaluation (0-based order), run_name, avg_<metric>, std_<metric>,
    best_so_far (the best mean seen up to this evaluation), run_id.
    """
    mean_key, std_key = f"avg_{metric}", f"std_{metric}"
    rows = []
    for parent_id in parent_run_ids:
        for run in child_runs(parent_id):
            rows.append(
                {
                    "tuner": run.data.tags.get(METHOD_TAG),
                    "evaluation": int(run.data.tags.get(ORDER_TAG, -1)),
                    "run_name": run.info.run_name,
                    mean_key: run.data.metrics.get(mean_key),
                    std_key: run.data.metrics.get(std_key),
                    "run_id": run.info.run_id,
                }
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.sort_values(["tuner", "evaluation"], ignore_index=True)
    grouped = table.groupby("tuner", sort=False)[mean_key]
    table["best_so_far"] = grouped.cummax() if larger_is_better(metric) else grouped.cummin()
    return table


def search_parents_table(parent_run_ids: Sequence[str], metric: str) -> pd.DataFrame:
    """One row per search parent: tuner, model, best CV mean and std, cost, test metric."""
    client = MlflowClient()
    rows = []
    for parent_id in parent_run_ids:
        run = client.get_run(parent_id)
        rows.append(
            {
                "tuner": run.data.tags.get("tuner"),
                "model": run.data.tags.get("model"),
                "evaluations": int(run.data.metrics.get("num_evaluations", 0)),
                "fits": int(run.data.metrics.get("num_fits", 0)),
                "fit_seconds": run.data.metrics.get("fit_seconds"),
                f"best_avg_{metric}": run.data.metrics.get(f"best_avg_{metric}"),
                f"best_std_{metric}": run.data.metrics.get(f"best_std_{metric}"),
                f"test_{metric}": run.data.metrics.get(f"test_{metric}"),
                "run_id": parent_id,
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(
        f"best_avg_{metric}", ascending=not larger_is_better(metric), ignore_index=True
    )
