"""The three search methods on a small budget: same folds, and MLflow runs in autolog's shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import mlflow
import pytest
from mlflow import MlflowClient
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.regression import LinearRegression
from pyspark.ml.tuning import CrossValidator
from pyspark.sql import DataFrame, SparkSession

from sparkml_tuning.housing_data import feature_columns, load_housing_data
from sparkml_tuning.run_tracking import tuning_runs_table
from sparkml_tuning.search_methods import (
    cross_validate,
    fold_splits,
    grid_search,
    optuna_search,
    random_search,
)
from sparkml_tuning.search_space_spec import ParamSpec
from sparkml_tuning.search_tracking import (
    log_search,
    search_children_table,
    search_parents_table,
)
from sparkml_tuning.tuning import SEED, build_evaluator

HOUSING_CSV = Path(__file__).resolve().parents[1] / "data" / "boston_housing.csv"
SPACE = [
    ParamSpec.log_uniform("regParam", 1e-4, 10.0),
    ParamSpec.uniform("elasticNetParam", 0.0, 1.0),
]


@pytest.fixture(scope="module")
def assembled(spark: SparkSession) -> DataFrame:
    housing = load_housing_data(spark, str(HOUSING_CSV))
    assembler = VectorAssembler(inputCols=feature_columns(housing, "medv"), outputCol="features")
    return assembler.transform(housing).select("features", "medv").cache()


def test_own_fold_loop_matches_cross_validator(assembled: DataFrame) -> None:
    lr = LinearRegression(labelCol="medv")
    evaluator = build_evaluator("medv", "rmse")
    param_map = {lr.regParam: 0.1, lr.elasticNetParam: 0.5}
    cv = CrossValidator(
        estimator=lr, estimatorParamMaps=[param_map], evaluator=evaluator, numFolds=3, seed=SEED
    ).fit(assembled)
    avg, std = cross_validate(lr, param_map, fold_splits(assembled, 3, SEED), evaluator)
    assert avg == pytest.approx(cv.avgMetrics[0], rel=1e-9)
    assert std == pytest.approx(cv.stdMetrics[0], rel=1e-9)


def test_each_method_logs_one_parent_and_one_child_per_combination(
    assembled: DataFrame, tmp_mlflow: str
) -> None:
    mlflow.set_experiment("search-methods-test")
    lr = LinearRegression(labelCol="medv")
    evaluator = build_evaluator("medv", "rmse")
    results = [
        grid_search(lr, SPACE, 2, assembled, evaluator, num_folds=2),
        random_search(lr, SPACE, 3, assembled, evaluator, num_folds=2, parallelism=2),
        optuna_search(lr, SPACE, 3, assembled, evaluator, num_folds=2, n_jobs=2),
    ]
    assert [len(r.evaluations) for r in results] == [4, 3, 3]
    assert [r.num_fits for r in results] == [4 * 2 + 1, 3 * 2 + 1, 3 * 2 + 1]
    parent_ids = [log_search(r, lr, test_metric=1.0) for r in results]

    client = MlflowClient()
    for parent_id, result, expected in zip(
        parent_ids, results, ["GridSearch", "RandomSearch", "OptunaTPE"], strict=True
    ):
        parent = client.get_run(parent_id)
        assert parent.data.tags["tuner"] == expected
        assert parent.data.tags["model"] == "LinearRegression"
        assert parent.data.params["best_regParam"] == str(result.best.params["regParam"])
        assert parent.data.metrics["num_fits"] == result.num_fits

    children = search_children_table(parent_ids, "rmse")
    assert children.groupby("tuner").size().to_dict() == {
        "GridSearch": 4,
        "OptunaTPE": 3,
        "RandomSearch": 3,
    }
    assert children["avg_rmse"].notna().all() and children["std_rmse"].notna().all()
    # Every child carries the full param map, as autolog's CrossValidator children do.
    child = client.get_run(children["run_id"][0])
    assert {"regParam", "elasticNetParam", "maxIter", "fitIntercept"} <= set(child.data.params)
    assert children.groupby("tuner")["best_so_far"].is_monotonic_decreasing.all()

    parents = search_parents_table(parent_ids, "rmse")
    assert len(parents) == 3
    assert parents["best_avg_rmse"].is_monotonic_increasing
    # The children do not carry the `tuner` tag, so the project's parent reader lists 3 runs.
    assert len(tuning_runs_table("search-methods-test", "rmse")) == 3


def test_a_bad_space_fails_before_any_fit(
    assembled: DataFrame, spark_jobs_started: Callable[[], int]
) -> None:
    lr = LinearRegression(labelCol="medv")
    bad = [ParamSpec.int_range("maxDepth", 2, 5)]
    evaluator = build_evaluator("medv", "rmse")
    before = spark_jobs_started()
    for search in (
        lambda: grid_search(lr, bad, 2, assembled, evaluator),
        lambda: random_search(lr, bad, 2, assembled, evaluator),
        lambda: optuna_search(lr, bad, 2, assembled, evaluator),
    ):
        with pytest.raises(ValueError, match="no parameter named maxDepth"):
            search()
    assert spark_jobs_started() == before
