"""Settings from widgets are checked, and the tuners come out as configured."""

from __future__ import annotations

import pytest
from pyspark.ml.regression import LinearRegression

from sparkml_tuning.housing_data import DataValidationError
from sparkml_tuning.param_docs import params_table
from sparkml_tuning.search_space import FitBudgetError
from sparkml_tuning.tuning import (
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    build_train_validation_split,
    parse_metric,
    parse_num_folds,
    parse_parallelism,
    parse_train_ratio,
    solver_grid,
)


@pytest.mark.parametrize("value", ["1", "0", "-3", "three"])
def test_num_folds_below_two_or_not_a_number(value):
    with pytest.raises(DataValidationError, match="num_folds"):
        parse_num_folds(value)


@pytest.mark.parametrize("value", ["0", "1", "1.5", "-0.2", "most"])
def test_train_ratio_outside_zero_one(value):
    with pytest.raises(DataValidationError, match="train_ratio"):
        parse_train_ratio(value)


def test_unknown_metric_lists_the_known_ones():
    with pytest.raises(DataValidationError, match="Unknown metric 'mse'.*rmse, mae, r2"):
        parse_metric("mse")
    assert parse_metric(" R2 ") == "r2"


def test_parallelism_must_be_positive():
    with pytest.raises(DataValidationError, match="parallelism"):
        parse_parallelism("0")
    assert parse_parallelism("2") == 2


def test_tuners_take_the_widget_strings():
    pipeline, lr = build_pipeline(["x"], "medv")
    grid = solver_grid(lr)
    cv = build_cross_validator(pipeline, grid, build_evaluator("medv"), num_folds="4")
    assert (cv.getNumFolds(), cv.getSeed(), len(cv.getEstimatorParamMaps())) == (4, 42, 12)
    tvs = build_train_validation_split(pipeline, grid, build_evaluator("medv"), train_ratio="0.6")
    assert tvs.getTrainRatio() == 0.6


def test_tuner_refuses_a_grid_over_budget():
    pipeline, lr = build_pipeline(["x"], "medv")
    with pytest.raises(FitBudgetError, match="fit_budget=37"):
        build_cross_validator(pipeline, solver_grid(lr), build_evaluator("medv"), fit_budget=20)


def test_params_table_shows_defaults_and_values():
    table = params_table(LinearRegression(maxIter=5)).set_index("name")
    assert list(table.columns) == ["meaning", "default", "current", "set_by_user"]
    assert table.loc["maxIter", "default"] == "100"
    assert table.loc["maxIter", "current"] == "5"
    assert bool(table.loc["maxIter", "set_by_user"])
    assert table.loc["regParam", "current"] == "0.0"
    assert table.loc["weightCol", "current"] == ""
    assert "regularization" in table.loc["regParam", "meaning"]
