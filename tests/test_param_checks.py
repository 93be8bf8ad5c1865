"""Grid values are checked by the estimator's own validation before any fit."""

from __future__ import annotations

import pytest
from pyspark.ml.regression import LinearRegression
from pyspark.ml.tuning import ParamGridBuilder

from sparkml_tuning.housing_data import DataValidationError
from sparkml_tuning.param_checks import check_grid_not_empty, check_param_maps
from sparkml_tuning.tuning import (
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    build_train_validation_split,
    regularization_grid,
    solver_grid,
)


@pytest.mark.parametrize(
    ("param_name", "value", "message"),
    [
        ("maxIter", -1, r"-1 for LinearRegression.maxIter is not valid.*>= 0"),
        ("elasticNetParam", 2.0, r"2.0 for LinearRegression.elasticNetParam is not valid"),
        ("regParam", -0.5, r"-0.5 for LinearRegression.regParam is not valid"),
        ("solver", "newton", r"'newton' for LinearRegression.solver is not valid"),
        ("maxIter", "ten", r"'ten' for LinearRegression.maxIter is not valid"),
    ],
)
def test_bad_value_is_named_before_any_job(spark_jobs_started, param_name, value, message):
    pipeline, lr = build_pipeline(["x"], "medv")
    # A plain dict, as a hand-written grid would be (ParamGridBuilder converts types itself).
    grid = [{lr.getParam(param_name): value}]
    before = spark_jobs_started()
    with pytest.raises(DataValidationError, match=message):
        check_param_maps(pipeline, grid)
    assert spark_jobs_started() == before


def test_the_project_grids_pass(spark):
    pipeline, lr = build_pipeline(["x"], "medv")
    assert check_param_maps(pipeline, solver_grid(lr)) == 3 + 2 + 2
    assert check_param_maps(lr, regularization_grid(lr)) == 4 + 3


def test_grid_of_another_stage_is_refused(spark):
    pipeline, _ = build_pipeline(["x"], "medv")
    other = LinearRegression()
    grid = ParamGridBuilder().addGrid(other.regParam, [0.1]).build()
    with pytest.raises(DataValidationError, match="would be ignored"):
        check_param_maps(pipeline, grid)


def test_empty_grid_is_refused_without_spark():
    with pytest.raises(DataValidationError, match="grid is empty, so there is nothing to tune"):
        check_grid_not_empty([])


def test_tuner_builders_check_the_grid(spark):
    pipeline, lr = build_pipeline(["x"], "medv")
    grid = [{lr.maxIter: -1}]
    with pytest.raises(DataValidationError, match="LinearRegression.maxIter"):
        build_cross_validator(pipeline, grid, build_evaluator("medv"), num_folds=2)
    with pytest.raises(DataValidationError, match="grid is empty"):
        build_train_validation_split(pipeline, [], build_evaluator("medv"))
