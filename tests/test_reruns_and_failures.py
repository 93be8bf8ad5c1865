"""Reruns keep every earlier run, and a tuning that fails part-way leaves no run RUNNING."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import mlflow
import mlflow.pyspark.ml
import pytest
from mlflow import MlflowClient
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.tuning import ParamGridBuilder

from sparkml_tuning.housing_data import feature_columns, load_housing_data, split_train_test
from sparkml_tuning.run_recovery import mark_killed, unfinished_runs
from sparkml_tuning.run_tracking import (
    child_runs,
    enable_autolog,
    register_model,
    start_tuning_run,
    tune_with_tracking,
)
from sparkml_tuning.tuning import build_cross_validator, build_evaluator, build_pipeline

HOUSING_CSV = Path(__file__).resolve().parents[1] / "data" / "boston_housing.csv"
LABEL = "medv"
EXPERIMENT = "reruns"


class FailingEvaluator(RegressionEvaluator):
    """Raises while the tuner scores the first fold, as a broken cell would mid-tuning."""

    def _evaluate(self, dataset):
        raise RuntimeError("the evaluator broke mid-tuning")


@pytest.fixture
def setup(spark, tmp_mlflow) -> Iterator[dict]:
    """A tracked experiment in a throwaway store and the pieces of a 2 x 2 fold tuning."""
    mlflow.set_experiment(EXPERIMENT)
    enable_autolog(silent=True)
    df = load_housing_data(spark, str(HOUSING_CSV)).cache()
    train_df, test_df = split_train_test(df)
    features = feature_columns(df, LABEL)
    pipeline, lr = build_pipeline(features, LABEL)
    grid = ParamGridBuilder().addGrid(lr.regParam, [0.0, 0.1]).build()
    try:
        yield {
            "train_df": train_df,
            "test_df": test_df,
            "features": features,
            "pipeline": pipeline,
            "grid": grid,
        }
    finally:
        mlflow.pyspark.ml.autolog(disable=True)
        df.unpersist()


def _tune(setup: dict, evaluator: RegressionEvaluator):
    cv = build_cross_validator(setup["pipeline"], setup["grid"], evaluator, num_folds=2)
    return tune_with_tracking(
        cv, setup["train_df"], setup["test_df"], evaluator, setup["features"], "rerun-test"
    )


def test_rerun_keeps_both_runs_their_artifacts_and_model_versions(setup):
    evaluator = build_evaluator(LABEL, "rmse")
    first, second = _tune(setup, evaluator), _tune(setup, evaluator)
    client = MlflowClient()
    assert first.run_id != second.run_id
    runs = {run_id: client.get_run(run_id) for run_id in (first.run_id, second.run_id)}
    assert {run.info.status for run in runs.values()} == {"FINISHED"}
    assert len({run.info.artifact_uri for run in runs.values()}) == 2
    for run_id in runs:
        assert len(child_runs(run_id)) == 2
        artifacts = {item.path for item in client.list_artifacts(run_id)}
        assert {"model", "best_parameters.json", "search_results.csv"} <= artifacts
    versions = [
        register_model(f"runs:/{run_id}/model", "main.default.rerun_model") for run_id in runs
    ]
    assert [int(version.version) for version in versions] == [1, 2]
    assert [version.run_id for version in versions] == [first.run_id, second.run_id]
    assert mlflow.spark.load_model("models:/main.default.rerun_model/1") is not None


def test_failure_inside_the_fit_ends_the_parent_and_the_next_run_starts_clean(setup):
    with pytest.raises(Exception, match="the evaluator broke mid-tuning"):
        _tune(setup, FailingEvaluator(labelCol=LABEL))
    assert mlflow.active_run() is None
    failed = MlflowClient().search_runs(
        [mlflow.get_experiment_by_name(EXPERIMENT).experiment_id],
        filter_string="tags.tuner = 'CrossValidator'",
    )
    assert [run.info.status for run in failed] == ["FAILED"]
    assert unfinished_runs(EXPERIMENT) == []

    result = _tune(setup, build_evaluator(LABEL, "rmse"))
    assert MlflowClient().get_run(result.run_id).info.status == "FINISHED"
    assert mlflow.active_run() is None


def test_an_interrupt_during_tuning_ends_the_parent_as_failed(setup):
    # Ctrl-C, or Interrupt in a notebook, raises KeyboardInterrupt in the running cell.
    cv = build_cross_validator(setup["pipeline"], setup["grid"], build_evaluator(LABEL, "rmse"))
    with pytest.raises(KeyboardInterrupt), start_tuning_run(cv) as parent:
        raise KeyboardInterrupt
    assert mlflow.active_run() is None
    assert MlflowClient().get_run(parent.info.run_id).info.status == "FAILED"
    assert unfinished_runs(EXPERIMENT) == []


def test_run_left_running_by_a_killed_process_can_be_marked(tmp_mlflow):
    experiment_id = mlflow.set_experiment(EXPERIMENT).experiment_id
    orphan = MlflowClient().create_run(experiment_id, run_name="killed-process")
    assert [run.info.run_id for run in unfinished_runs(EXPERIMENT)] == [orphan.info.run_id]
    mark_killed(orphan.info.run_id)
    assert MlflowClient().get_run(orphan.info.run_id).info.status == "KILLED"
    assert unfinished_runs(EXPERIMENT) == []
