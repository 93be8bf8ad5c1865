"""The job summary reads the tuners' parent runs of one job run back from MLflow."""

from __future__ import annotations

import time

import mlflow

from sparkml_tuning.job_summary import format_summary, mlflow_ui_command, tuner_summaries
from sparkml_tuning.local_mlflow import LOCAL_TRACKING_URI

EXPERIMENT = "/Shared/sparkml-tuning-test"


def log_parent(tuner: str, metric: str, children: list[dict[str, float]], test: float) -> str:
    """Log a parent run shaped like autolog's, with one child run per param map."""
    with mlflow.start_run() as parent:
        mlflow.set_tags({"tuner": tuner, "model": "LinearRegression"})
        mlflow.log_params(
            {"RegressionEvaluator.metricName": metric, "best_LinearRegression.regParam": "0.1"}
        )
        mlflow.log_metric(f"test_{metric}", test)
        for metrics in children:
            with mlflow.start_run(nested=True):
                mlflow.log_metrics(metrics)
    return parent.info.run_id


def test_one_row_per_tuner_of_this_job_run(tmp_mlflow: str) -> None:
    mlflow.set_experiment(EXPERIMENT)
    log_parent("CrossValidator", "rmse", [{"avg_rmse": 9.0}], test=9.5)
    time.sleep(0.01)
    job_started_ms = int(time.time() * 1000)
    time.sleep(0.01)
    cv_children = [{"avg_rmse": 5.2, "std_rmse": 0.3}, {"avg_rmse": 4.8761, "std_rmse": 0.1}]
    cv_id = log_parent("CrossValidator", "rmse", cv_children, test=5.0)
    with mlflow.start_run():
        mlflow.log_metric("test_rmse", 1.0)  # untagged: not a tuner's run
    tvs_id = log_parent("TrainValidationSplit", "r2", [{"r2": 0.4}, {"r2": 0.61}], test=0.7)

    summaries = tuner_summaries(EXPERIMENT, job_started_ms)

    assert [(s.tuner, s.run_id) for s in summaries] == [
        ("CrossValidator", cv_id),
        ("TrainValidationSplit", tvs_id),
    ]
    cv, tvs = summaries
    assert cv.best_params == {"LinearRegression.regParam": "0.1"}
    assert (cv.metric, cv.validation, cv.test) == ("rmse", 4.8761, 5.0)
    assert (tvs.metric, tvs.validation, tvs.test) == ("r2", 0.61, 0.7)
    lines = format_summary(summaries).splitlines()
    assert lines[0].split() == [
        "tuner",
        "model",
        "best",
        "hyperparameters",
        "metric",
        "validation",
        "test",
        "run",
        "id",
    ]
    assert lines[1].split() == [
        "CrossValidator",
        "LinearRegression",
        "LinearRegression.regParam=0.1",
        "rmse",
        "4.876",
        "5.000",
        cv_id,
    ]


def test_autologs_name_for_a_test_metric_is_accepted(tmp_mlflow: str) -> None:
    mlflow.set_experiment(EXPERIMENT)
    with mlflow.start_run():
        mlflow.set_tags({"tuner": "CrossValidator", "model": "LinearRegression"})
        mlflow.log_param("RegressionEvaluator.metricName", "mae")
        mlflow.log_metrics({"mae_test_df": 3.25, "mae_train_df": 2.0})
    (summary,) = tuner_summaries(EXPERIMENT, 0)
    assert (summary.metric, summary.validation, summary.test) == ("mae", None, 3.25)


def test_an_unknown_experiment_gives_no_rows(tmp_mlflow: str) -> None:
    assert tuner_summaries("/Shared/never-created", 0) == []


def test_the_ui_hint_is_the_project_command_with_the_store_when_not_the_local_one() -> None:
    assert mlflow_ui_command(LOCAL_TRACKING_URI) == "python -m sparkml_tuning ui"
    command = mlflow_ui_command("sqlite:///tmp/mlflow.db")
    assert command == "python -m sparkml_tuning ui --backend-store-uri sqlite:///tmp/mlflow.db"
