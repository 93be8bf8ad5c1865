"""Tuning through the package records what the notebooks read back from MLflow.

Runs the 12-combination grid once with CrossValidator (2 folds, to stay fast) and once
with TrainValidationSplit, into a temporary sqlite store, then reads the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import mlflow
import mlflow.pyspark.ml
import pytest
from mlflow import MlflowClient

from sparkml_tuning.housing_data import feature_columns, load_housing_data, split_train_test
from sparkml_tuning.run_tracking import (
    TuningResult,
    child_runs,
    child_runs_table,
    count_distinct_results,
    enable_autolog,
    register_model,
    tune_with_tracking,
    tuning_runs_table,
)
from sparkml_tuning.tuning import (
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    build_train_validation_split,
    solver_grid,
)

HOUSING_CSV = Path(__file__).resolve().parents[1] / "data" / "boston_housing.csv"
EXPERIMENT = "/Shared/sparkml-tuning-test"
LABEL = "medv"


@pytest.fixture(scope="module")
def tuned(spark, tmp_path_factory) -> Iterator[dict[str, TuningResult]]:
    """Both tuners run once, tracked into a throwaway store."""
    tmp = tmp_path_factory.mktemp("mlflow")
    uri = f"sqlite:///{tmp / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        patch.chdir(tmp)
        mlflow.set_tracking_uri(uri)
        mlflow.set_experiment(EXPERIMENT)
        df = load_housing_data(spark, str(HOUSING_CSV)).cache()
        train_df, test_df = split_train_test(df)
        features = feature_columns(df, LABEL)
        pipeline, lr = build_pipeline(features, LABEL)
        evaluator = build_evaluator(LABEL, "rmse")
        grid = solver_grid(lr)
        tuners = {
            "CrossValidator": build_cross_validator(pipeline, grid, evaluator, num_folds=2),
            "TrainValidationSplit": build_train_validation_split(pipeline, grid, evaluator),
        }
        enable_autolog()
        try:
            yield {
                name: tune_with_tracking(tuner, train_df, test_df, evaluator, features, "test")
                for name, tuner in tuners.items()
            }
        finally:
            mlflow.pyspark.ml.autolog(disable=True)
            df.unpersist()


@pytest.mark.parametrize("tuner", ["CrossValidator", "TrainValidationSplit"])
def test_parent_has_tags_tuner_params_best_params_and_test_metric(tuned, tuner):
    result = tuned[tuner]
    parent = MlflowClient().get_run(result.run_id)
    assert parent.info.run_name == f"{tuner}-LinearRegression"
    assert parent.data.tags["tuner"] == tuner
    assert parent.data.tags["model"] == "LinearRegression"
    params = parent.data.params
    assert params["seed"] == "42"
    assert params["numFolds" if tuner == "CrossValidator" else "trainRatio"] in ("2", "0.75")
    for name in ("maxIter", "fitIntercept", "standardization"):
        assert f"best_LinearRegression.{name}" in params
    assert parent.data.metrics["test_rmse"] == pytest.approx(result.test_metric)
    assert 2.0 < result.test_metric < 10.0


@pytest.mark.parametrize("tuner", ["CrossValidator", "TrainValidationSplit"])
def test_one_named_child_per_combination_with_the_metric(tuned, tuner):
    children = child_runs(tuned[tuner].run_id)
    assert len(children) == 12
    names = {run.info.run_name for run in children}
    assert len(names) == 12
    assert "maxIter=1 fitIntercept=True standardization=True" in names
    metric = "avg_rmse" if tuner == "CrossValidator" else "rmse"
    assert all(metric in run.data.metrics for run in children)
    if tuner == "CrossValidator":
        assert all("std_rmse" in run.data.metrics for run in children)


@pytest.mark.parametrize("tuner", ["CrossValidator", "TrainValidationSplit"])
def test_children_collapse_to_two_results_and_sort_best_first(tuned, tuner):
    metric = "avg_rmse" if tuner == "CrossValidator" else "rmse"
    table = child_runs_table(tuned[tuner].run_id, "rmse")
    assert list(table[metric]) == sorted(table[metric])
    assert count_distinct_results(table, metric) == 2
    # The intercept is what separates the two results; it wins on this data.
    assert set(table.head(6)["fitIntercept"]) == {"True"}


@pytest.mark.parametrize("tuner", ["CrossValidator", "TrainValidationSplit"])
def test_best_model_logged_once_and_loadable(tuned, tuner, spark):
    result = tuned[tuner]
    artifacts = [item.path for item in MlflowClient().list_artifacts(result.run_id)]
    assert artifacts.count("model") == 1
    assert "best_model" not in artifacts
    model = mlflow.spark.load_model(f"runs:/{result.run_id}/model")
    rows = spark.read.csv(str(HOUSING_CSV), header=True, inferSchema=True).limit(3)
    predictions = [row.prediction for row in model.transform(rows).collect()]
    expected = [row.prediction for row in result.model.transform(rows).collect()]
    assert predictions == pytest.approx(expected)


def test_experiment_table_lists_both_parents_and_registry_takes_the_best(tuned):
    table = tuning_runs_table(EXPERIMENT, "rmse")
    assert sorted(table["tuner"]) == ["CrossValidator", "TrainValidationSplit"]
    assert list(table["test_rmse"]) == sorted(table["test_rmse"])
    assert table["logged_model"].all()
    best_run_id = table["run_id"].iloc[0]
    version = register_model(f"runs:/{best_run_id}/model", "housing_model_test")
    assert version.name == "housing_model_test"
    assert version.run_id == best_run_id
