"""The lab checks accept right answers and name what is off in wrong ones."""

from __future__ import annotations

import pandas as pd
import pytest
from pyspark.ml.regression import LinearRegression
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder, TrainValidationSplit

from sparkml_tuning.lab_checks import (
    CheckPassed,
    LabCheckFailed,
    check_children_table,
    check_equal_metrics,
    check_estimator,
    check_fit_count,
    check_grid,
    check_param_names,
    check_sampled_grid,
    check_tracked_run,
    check_tuner,
)
from sparkml_tuning.search_space import sample_grid

EXPECTED_GRID = {
    "maxIter": [1, 10, 100],
    "fitIntercept": [True, False],
    "standardization": [True, False],
}


@pytest.fixture
def lr(spark) -> LinearRegression:
    return LinearRegression(featuresCol="features", labelCol="medv")


def build(lr: LinearRegression, **values: list) -> list[dict]:
    builder = ParamGridBuilder()
    for name, options in values.items():
        builder.addGrid(lr.getParam(name), options)
    return builder.build()


def test_a_failed_check_is_an_assertion_error() -> None:
    assert issubclass(LabCheckFailed, AssertionError)


def test_right_grid_passes_and_says_what_is_right(lr) -> None:
    passed = check_grid(build(lr, **EXPECTED_GRID), EXPECTED_GRID)
    assert isinstance(passed, CheckPassed)
    assert "OK: the grid has 12 combinations" in str(passed)
    assert "`fitIntercept` has the values [True, False]" in repr(passed)


def test_grid_without_a_parameter_names_it_and_what_is_right(lr) -> None:
    grid = build(lr, maxIter=[1, 10, 100], standardization=[True, False])
    with pytest.raises(LabCheckFailed) as failure:
        check_grid(grid, EXPECTED_GRID)
    message = str(failure.value)
    assert message.startswith("The grid has 6 combinations, 12 were expected")
    assert "`fitIntercept` is missing." in message
    assert "Right so far: `maxIter` has the values [1, 10, 100]" in message


def test_grid_with_wrong_values_or_an_extra_parameter_says_so(lr) -> None:
    grid = build(
        lr,
        maxIter=[1, 10],
        fitIntercept=[True, False],
        standardization=[True, False],
        regParam=[0.0, 0.1],
    )
    with pytest.raises(LabCheckFailed) as failure:
        check_grid(grid, EXPECTED_GRID)
    message = str(failure.value)
    assert "16 combinations, 12 were expected" in message
    assert "`regParam` should not be in it" in message
    assert "`maxIter` has the values [1, 10], [1, 10, 100] were expected" in message


def test_grid_that_was_never_built_is_refused(lr) -> None:
    with pytest.raises(LabCheckFailed, match=r"End the chain with \.build\(\)"):
        check_grid(ParamGridBuilder().addGrid(lr.maxIter, [1]), EXPECTED_GRID)


@pytest.mark.parametrize(
    ("fits", "hint"),
    [
        (36, "leaves out the final refit"),
        (12, "once per fold, 3 times"),
        (40, "`cv_fits` is 40, 37 was expected for 12 combinations and 3 folds."),
        (None, "`cv_fits` is still None."),
    ],
)
def test_fit_count_explains_the_usual_mistakes(fits, hint) -> None:
    with pytest.raises(LabCheckFailed, match=hint):
        check_fit_count(fits, num_combinations=12, num_folds=3)


def test_fit_count_passes_with_the_arithmetic() -> None:
    passed = check_fit_count(37, num_combinations=12, num_folds=3)
    assert "12 combinations x 3 folds + 1 refit = 37 fits" in str(passed)
    assert "1 split + 1 refit = 13 fits" in str(check_fit_count(13, 12, name="tvs_fits"))


def test_param_names_lists_missing_and_unexpected_names() -> None:
    expected = {"fitIntercept", "regParam", "elasticNetParam"}
    with pytest.raises(LabCheckFailed) as failure:
        check_param_names({"regParam", "maxIter"}, expected, "changes_model", "Look again.")
    message = str(failure.value)
    assert "has 1 of the 3 expected names" in message
    assert "missing: `elasticNetParam`, `fitIntercept`; not expected: `maxIter`." in message
    assert "Look again." in message
    assert "exactly" in str(check_param_names(expected, expected, "changes_model", ""))


def test_equal_metrics_refuses_different_or_missing_values() -> None:
    with pytest.raises(LabCheckFailed, match="The values differ"):
        check_equal_metrics({1: 4.5, 100: 4.7}, [1, 100], "rmse", "hint")
    with pytest.raises(LabCheckFailed, match=r"no value for \[100\]"):
        check_equal_metrics({1: 4.5}, [1, 100], "rmse", "hint")
    assert "4.500" in str(check_equal_metrics({1: 4.5, 100: 4.5}, [1, 100], "rmse", "hint"))


def test_sampled_grid_checks_origin_order_and_seed(lr) -> None:
    grid = build(lr, regParam=[0.0, 0.01, 0.1, 1.0], fitIntercept=[True, False])
    assert "seed 7" in str(check_sampled_grid(sample_grid(grid, 3, 7), grid, 3, 7))
    with pytest.raises(LabCheckFailed, match="another sample than seed 7"):
        check_sampled_grid(sample_grid(grid, 3, 8), grid, 3, 7)
    with pytest.raises(LabCheckFailed, match="not in the grid's order"):
        check_sampled_grid(list(reversed(sample_grid(grid, 3, 7))), grid, 3, 7)
    with pytest.raises(LabCheckFailed, match="has 2 combinations, 3 were expected"):
        check_sampled_grid(grid[:2], grid, 3, 7)


def test_estimator_names_the_wrong_param(lr) -> None:
    check_estimator(lr, LinearRegression, featuresCol="features", labelCol="medv")
    with pytest.raises(LabCheckFailed, match="`labelCol` is 'label', 'medv' was expected"):
        check_estimator(
            LinearRegression(), LinearRegression, featuresCol="features", labelCol="medv"
        )


def test_tuner_names_a_default_left_in_place(lr) -> None:
    grid = build(lr, regParam=[0.0, 0.1])
    cv = CrossValidator(estimator=lr, estimatorParamMaps=grid, evaluator=None, seed=42)
    with pytest.raises(LabCheckFailed, match="has no evaluator"):
        check_tuner(cv, CrossValidator, 2, seed=42, name="cv", numFolds=2)
    from pyspark.ml.evaluation import RegressionEvaluator

    cv.setEvaluator(RegressionEvaluator(labelCol="medv"))
    with pytest.raises(LabCheckFailed, match=r"`numFolds` is 3 \(the default\), 2 was expected"):
        check_tuner(cv, CrossValidator, 2, seed=42, name="cv", numFolds=2)
    with pytest.raises(LabCheckFailed, match="a TrainValidationSplit was expected"):
        check_tuner(cv, TrainValidationSplit, 2, seed=42, name="tvs", trainRatio=0.75)
    cv.setNumFolds(2)
    assert "`seed` is 42" in str(check_tuner(cv, CrossValidator, 2, 42, "cv", numFolds=2))


def test_children_table_must_be_sorted_best_first() -> None:
    table = pd.DataFrame({"run_name": ["a", "b"], "avg_rmse": [5.0, 4.0]})
    with pytest.raises(LabCheckFailed, match="not sorted best first"):
        check_children_table(table, 2, "avg_rmse", larger_is_better=False)
    with pytest.raises(LabCheckFailed, match="has no column `rmse`"):
        check_children_table(table, 2, "rmse", larger_is_better=False)
    assert "4.000" in str(check_children_table(table[::-1], 2, "avg_rmse", False))


def test_tracked_run_refuses_an_unknown_run(tmp_mlflow) -> None:
    with pytest.raises(LabCheckFailed, match="MLflow has no run with the id 'nope'"):
        check_tracked_run("nope", "CrossValidator", 4)
