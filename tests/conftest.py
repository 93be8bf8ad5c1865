"""Fixtures shared by the tests: one local SparkSession, a Spark job counter and a throwaway
MLflow store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import mlflow
import pytest
from pyspark.sql import SparkSession

from sparkml_tuning.spark_session import local_spark_session

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HOUSING_CSV = PROJECT_ROOT / "data" / "boston_housing.csv"


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """One local SparkSession for the whole test run (starting one costs about 3 s)."""
    session = local_spark_session()
    yield session
    session.stop()


@pytest.fixture
def spark_jobs_started(spark: SparkSession) -> Callable[[], int]:
    """A function that returns how many Spark jobs the session has started so far.

    It counts every job, whatever its job group (the tuners' threads set their own), and
    waits for Spark's listener to record the jobs already submitted. It reads Spark's JVM
    status store, which PySpark does not expose: job ids run 0, 1, 2, ..., so the newest
    id + 1 is the count, even after Spark forgets old jobs.
    """
    context = spark.sparkContext._jsc.sc()

    def count() -> int:
        context.listenerBus().waitUntilEmpty()
        jobs = context.statusStore().jobsList(None)
        return max((jobs.apply(i).jobId() for i in range(jobs.size())), default=-1) + 1

    return count


@pytest.fixture
def tmp_mlflow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point MLflow at a sqlite store in a temporary folder, never at the repository's."""
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(tmp_path)
    mlflow.set_tracking_uri(uri)
    return uri
