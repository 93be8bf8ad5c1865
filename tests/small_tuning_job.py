"""A small tracked CrossValidator tuning, run as its own process by the concurrency test.

Usage: python tests/small_tuning_job.py EXPERIMENT_NAME JOB_NAME JOB_COUNT
The MLflow store comes from MLFLOW_TRACKING_URI. The grid has 2 x 2 = 4 combinations and
the tuner 2 folds: 4 x 2 + 1 refit = 9 fits. Before tuning, the job writes `JOB_NAME.ready`
in its working folder and waits until JOB_COUNT such files are there, so that the jobs'
tunings start together whatever their Spark start-up took.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import mlflow
from pyspark.ml.tuning import ParamGridBuilder

from sparkml_tuning.housing_data import feature_columns, load_housing_data, split_train_test
from sparkml_tuning.local_mlflow import configure_tracking
from sparkml_tuning.run_tracking import enable_autolog, tune_with_tracking
from sparkml_tuning.spark_session import local_spark_session
from sparkml_tuning.tuning import build_cross_validator, build_evaluator, build_pipeline

HOUSING_CSV = Path(__file__).resolve().parents[1] / "data" / "boston_housing.csv"
LABEL = "medv"
BARRIER_SECONDS = 600


def wait_for_other_jobs(job_name: str, job_count: int) -> None:
    """Mark this job ready, then wait until `job_count` jobs are ready in this folder."""
    Path(f"{job_name}.ready").touch()
    deadline = time.monotonic() + BARRIER_SECONDS
    while len(list(Path().glob("*.ready"))) < job_count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the other jobs were not ready within {BARRIER_SECONDS} s")
        time.sleep(0.1)


def main(experiment_name: str, job_name: str, job_count: int) -> int:
    logging.basicConfig(level=logging.WARNING)
    # As a notebook's local runtime does: open the store named by MLFLOW_TRACKING_URI.
    configure_tracking()
    spark = local_spark_session()
    mlflow.set_experiment(experiment_name)
    enable_autolog(silent=True)
    df = load_housing_data(spark, str(HOUSING_CSV)).cache()
    train_df, test_df = split_train_test(df)
    features = feature_columns(df, LABEL)
    pipeline, lr = build_pipeline(features, LABEL)
    grid = ParamGridBuilder().addGrid(lr.regParam, [0.0, 0.1]).addGrid(lr.maxIter, [5, 50]).build()
    evaluator = build_evaluator(LABEL, "rmse")
    cv = build_cross_validator(pipeline, grid, evaluator, num_folds=2)
    wait_for_other_jobs(job_name, job_count)
    result = tune_with_tracking(cv, train_df, test_df, evaluator, features, "concurrency-test")
    sys.stdout.write(f"{result.run_id}\n")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
