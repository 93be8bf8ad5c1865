"""MLflow tracking for the tuners: autolog set up once, named runs, the best model logged once.

What autolog records for a CrossValidator or TrainValidationSplit fit: a parent run with
the tuner's params, `best_<Stage>.<param>` params and the artifacts `best_parameters.json`,
`estimator_info.json` and `search_results.csv`; then, after the fit, one child run per
parameter combination with its metric. This module adds what autolog leaves out or does
slowly: a readable parent name and the `tuner` / `model` tags, child runs named after their
hyperparameters, the test metric, and the best model logged once with explicit pip
requirements (autolog's defaults log it twice and infer requirements in a new JVM each time).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import mlflow
import mlflow.pyspark.ml
import pandas as pd
import pyspark
from mlflow import MlflowClient
from mlflow.entities import Run
from mlflow.entities.model_registry import ModelVersion
from mlflow.models import ModelSignature
from mlflow.models.model import ModelInfo
from mlflow.types import ColSpec, DataType, Schema
from packaging.version import Version
from pyspark.ml import Model, Pipeline
from pyspark.ml.evaluation import Evaluator
from pyspark.ml.tuning import CrossValidator, TrainValidationSplit
from pyspark.sql import DataFrame

from sparkml_tuning.databricks_env import running_on_databricks

_logger = logging.getLogger(__name__)

PARENT_TAGS = ("tuner", "model")
MODEL_ARTIFACT = "model"
DATA_SOURCE_TAG = "data_source"

# Model classes autolog may log. Passing the list explicitly also keeps autolog from
# reading it through `sparkContext`, which does not exist over Spark Connect (serverless).
LOG_MODEL_ALLOWLIST = [
    "pyspark.ml.PipelineModel",
    "pyspark.ml.regression.LinearRegressionModel",
    "pyspark.ml.regression.RandomForestRegressionModel",
    "pyspark.ml.regression.GBTRegressionModel",
    "pyspark.ml.tuning.CrossValidatorModel",
    "pyspark.ml.tuning.TrainValidationSplitModel",
]

Tuner = CrossValidator | TrainValidationSplit


def enable_autolog(**overrides: object) -> None:
    """Turn on MLflow autologging for pyspark.ml with the project's fast settings.

    Call it in every notebook: Databricks enables autologging by itself only on
    interactive clusters, not in jobs or on serverless compute.

    Args:
        **overrides: any `mlflow.pyspark.ml.autolog` argument, to change a setting.
    """
    settings: dict[str, object] = {
        # The best model is logged once by `log_best_model`, with explicit requirements.
        "log_models": False,
        # The data source is recorded as a tag on the parent run instead.
        "log_datasets": False,
        # The test metric is logged explicitly as `test_<metric>` on the parent.
        "log_post_training_metrics": False,
        "log_input_examples": False,
        "log_model_signatures": False,
        "log_model_allowlist": LOG_MODEL_ALLOWLIST,
        "silent": False,
    }
    settings.update(overrides)
    mlflow.pyspark.ml.autolog(**settings)
    _logger.info("MLflow autologging for pyspark.ml is on: %s", settings)


def model_name(tuner: Tuner) -> str:
    """The class name of the tuned model: the last stage when the estimator is a Pipeline."""
    estimator = tuner.getEstimator()
    if isinstance(estimator, Pipeline):
        estimator = estimator.getStages()[-1]
    return type(estimator).__name__


def parent_run_name(tuner: Tuner) -> str:
    """Name the parent after tuner and model, e.g. `CrossValidator-LinearRegression`."""
    return f"{type(tuner).__name__}-{model_name(tuner)}"


def parent_tags(tuner: Tuner) -> dict[str, str]:
    """The tags other parts of the project use to find tuning parents."""
    return {"tuner": type(tuner).__name__, "model": model_name(tuner)}


@contextmanager
def start_tuning_run(tuner: Tuner, data_source: str | None = None) -> Iterator[Run]:
    """Start the named, tagged parent run that autolog fills in during `tuner.fit`."""
    tags = parent_tags(tuner)
    if data_source:
        tags[DATA_SOURCE_TAG] = data_source
    with mlflow.start_run(run_name=parent_run_name(tuner), tags=tags) as run:
        yield run


def pip_requirements() -> list[str]:
    """What a serving environment needs to load a Spark model: pyspark and mlflow."""
    return [
        f"pyspark=={Version(pyspark.__version__).base_version}",
        f"mlflow=={Version(mlflow.__version__).base_version}",
    ]


def model_signature(feature_cols: Sequence[str]) -> ModelSignature:
    """The model's signature: the feature columns in, one `prediction` column out, all doubles.

    Written from the column names instead of inferred from sample rows, which would cost
    Spark jobs. Doubles, because VectorAssembler casts every feature to double anyway, and
    an integer column could not carry a missing value at serving time.
    """
    inputs = Schema([ColSpec(DataType.double, name) for name in feature_cols])
    outputs = Schema([ColSpec(DataType.double, "prediction")])
    return ModelSignature(inputs=inputs, outputs=outputs)


def log_best_model(model: Model, feature_cols: Sequence[str]) -> ModelInfo:
    """Log the tuned model once to the active run, under `model/`.

    It has a signature (Unity Catalog refuses models without one) and explicit pip
    requirements, so MLflow does not start a JVM to infer them.
    """
    return mlflow.spark.log_model(
        model,
        MODEL_ARTIFACT,
        signature=model_signature(feature_cols),
        pip_requirements=pip_requirements(),
    )


def child_runs(parent_run_id: str) -> list[Run]:
    """The child runs of a parent, in no particular order."""
    client = MlflowClient()
    parent = client.get_run(parent_run_id)
    return client.search_runs(
        [parent.info.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{parent_run_id}'",
        max_results=10_000,
    )


def runs_from_same_source(parent_run_id: str) -> tuple[list[Run], list[Run]]:
    """The top-level runs and the children of this parent started since the parent began.

    Only runs from the parent's source (its notebook) count, so runs that other notebooks or
    users start in the same experiment at the same time are left out.
    """
    client = MlflowClient()
    parent = client.get_run(parent_run_id)
    source = parent.data.tags.get("mlflow.source.name", "")
    since_parent = client.search_runs(
        [parent.info.experiment_id],
        filter_string=f"attributes.start_time >= {parent.info.start_time}",
        max_results=10_000,
    )
    mine = [run for run in since_parent if run.data.tags.get("mlflow.source.name", "") == source]
    parents = [run for run in mine if "mlflow.parentRunId" not in run.data.tags]
    children = [run for run in mine if run.data.tags.get("mlflow.parentRunId") == parent_run_id]
    return parents, children


def _short(key: str) -> str:
    """`LinearRegression.maxIter` -> `maxIter`."""
    return key.rsplit(".", 1)[-1]


def tuned_param_keys(runs: Sequence[Run]) -> list[str]:
    """The param keys whose values differ between runs: the hyperparameters searched."""
    keys = sorted({key for run in runs for key in run.data.params})
    return [key for key in keys if len({run.data.params.get(key) for run in runs}) > 1]


def child_run_name(params: dict[str, str], keys: Sequence[str]) -> str:
    """E.g. `maxIter=1 fitIntercept=True standardization=False`."""
    return " ".join(f"{_short(key)}={params.get(key)}" for key in keys) or "defaults"


def name_child_runs(parent_run_id: str, param_names: Sequence[str] | None = None) -> list[str]:
    """Rename the children (autolog gives them random names) after their hyperparameters.

    Args:
        parent_run_id: the tuning parent.
        param_names: the searched params' short names in grid order (e.g. `maxIter`);
            by default the params whose values differ between the children, sorted.

    Returns:
        The new names.
    """
    client = MlflowClient()
    runs = child_runs(parent_run_id)
    varying = tuned_param_keys(runs)
    if param_names is not None:
        by_short = {_short(key): key for key in varying}
        varying = [by_short[name] for name in param_names if name in by_short]
    names = []
    for run in runs:
        name = child_run_name(run.data.params, varying)
        client.update_run(run.info.run_id, name=name)
        names.append(name)
    _logger.info("Renamed %d child runs of %s.", len(names), parent_run_id)
    return names


def metric_columns(tuner_name: str, metric: str) -> tuple[str, str | None]:
    """The child-run metric keys autolog writes: CV has a mean and a std, TVS one value."""
    if tuner_name == "CrossValidator":
        return f"avg_{metric}", f"std_{metric}"
    return metric, None


def larger_is_better(metric: str) -> bool:
    """r2 grows with quality; rmse and mae shrink."""
    return metric == "r2"


def child_runs_table(parent_run_id: str, metric: str) -> pd.DataFrame:
    """The children as a tidy table: name, tuned params, metric (and std), best first."""
    runs = child_runs(parent_run_id)
    tuner_name = MlflowClient().get_run(parent_run_id).data.tags.get("tuner", "CrossValidator")
    mean_key, std_key = metric_columns(tuner_name, metric)
    keys = tuned_param_keys(runs)
    rows = []
    for run in runs:
        row: dict[str, object] = {"run_name": run.info.run_name}
        row.update({_short(key): run.data.params.get(key) for key in keys})
        row[mean_key] = run.data.metrics.get(mean_key)
        if std_key:
            row[std_key] = run.data.metrics.get(std_key)
        row["run_id"] = run.info.run_id
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(
        [mean_key, "run_name"], ascending=[not larger_is_better(metric), True], ignore_index=True
    )


def count_distinct_results(table: pd.DataFrame, metric_column: str, decimals: int = 9) -> int:
    """How many different metric values the combinations produced (rounded to `decimals`)."""
    return int(table[metric_column].round(decimals).nunique())


@dataclass
class TuningResult:
    """What a tracked tuning run returns."""

    model: Model
    run_id: str
    test_metric: float
    fit_seconds: float
    model_info: ModelInfo


def tune_with_tracking(
    tuner: Tuner,
    train_df: DataFrame,
    test_df: DataFrame,
    evaluator: Evaluator,
    feature_cols: Sequence[str],
    data_source: str | None = None,
) -> TuningResult:
    """Fit the tuner under a named parent run and complete what autolog records.

    Autolog must be on (`enable_autolog()`) for the parent to get its params and children.
    The parent also gets `test_<metric>`, `fit_seconds`, `num_fits` and the best model once.
    """
    metric = evaluator.getOrDefault("metricName")
    with start_tuning_run(tuner, data_source) as run:
        started = time.perf_counter()
        tuner_model = tuner.fit(train_df)
        fit_seconds = time.perf_counter() - started
        best_model = tuner_model.bestModel
        test_metric = evaluator.evaluate(best_model.transform(test_df))
        mlflow.log_metrics({f"test_{metric}": test_metric, "fit_seconds": fit_seconds})
        model_info = log_best_model(best_model, feature_cols)
    param_names = [param.name for param in tuner.getEstimatorParamMaps()[0]]
    name_child_runs(run.info.run_id, param_names)
    return TuningResult(best_model, run.info.run_id, test_metric, fit_seconds, model_info)


def has_logged_model(run_id: str) -> bool:
    """Whether the run has a model under `model/` (runs made by other code may have none)."""
    return any(item.path == MODEL_ARTIFACT for item in MlflowClient().list_artifacts(run_id))


def tuning_runs_table(experiment_name: str, metric: str) -> pd.DataFrame:
    """Every tuning parent of an experiment (found by its `tuner` tag), best test metric first.

    `logged_model` says whether the run has a loadable model under `model/`.
    """
    experiment = mlflow.get_experiment_by_name(experiment_name)
    if experiment is None:
        return pd.DataFrame()
    runs = MlflowClient().search_runs(
        [experiment.experiment_id],
        filter_string="tags.tuner != ''",
        max_results=10_000,
    )
    rows = []
    for run in runs:
        row: dict[str, object] = {
            "run_name": run.info.run_name,
            "tuner": run.data.tags.get("tuner"),
            "model": run.data.tags.get("model"),
            f"test_{metric}": run.data.metrics.get(f"test_{metric}"),
            "fit_seconds": run.data.metrics.get("fit_seconds"),
            "logged_model": has_logged_model(run.info.run_id),
        }
        row.update(
            {
                _short(key): value
                for key, value in sorted(run.data.params.items())
                if key.startswith("best_")
            }
        )
        row["start_time"] = pd.Timestamp(run.info.start_time, unit="ms")
        row["run_id"] = run.info.run_id
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(
        f"test_{metric}", ascending=not larger_is_better(metric), ignore_index=True
    )


def registry_uri_for(registered_model_name: str, on_databricks: bool | None = None) -> str | None:
    """Unity Catalog for a three-part name (`main.default.housing_model`) on Databricks.

    Anywhere else the local registry of the tracking store takes the name as it is: a
    dotted name is a valid local model name, so the job's default name works on a laptop.

    Args:
        registered_model_name: the name to register under.
        on_databricks: where the code runs; detected by `running_on_databricks` if None.
    """
    if on_databricks is None:
        on_databricks = running_on_databricks()
    return "databricks-uc" if on_databricks and registered_model_name.count(".") == 2 else None


def register_model(model_uri: str, registered_model_name: str) -> ModelVersion:
    """Register a logged model: in Unity Catalog for a three-part name on Databricks."""
    registry_uri = registry_uri_for(registered_model_name)
    if registry_uri:
        mlflow.set_registry_uri(registry_uri)
    return mlflow.register_model(model_uri, registered_model_name)
