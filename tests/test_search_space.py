"""Grid cost, the fit budget guard and grid sampling."""

from __future__ import annotations

import pytest
from pyspark.ml.regression import LinearRegression
from pyspark.ml.tuning import ParamGridBuilder

from sparkml_tuning.search_space import (
    FitBudgetError,
    check_fit_budget,
    count_fits,
    describe_cost,
    grid_table,
    sample_grid,
)
from sparkml_tuning.tuning import solver_grid


def test_cost_of_the_solver_grid():
    grid = solver_grid(LinearRegression())
    assert len(grid) == 12
    assert count_fits(len(grid), 3) == 37
    assert count_fits(len(grid)) == 13
    assert describe_cost(12, 3) == "12 combinations x 3 folds + 1 refit = 37 fits"


def test_budget_refuses_a_big_grid_and_says_how_to_raise_it():
    lr = LinearRegression()
    grid = ParamGridBuilder().addGrid(lr.regParam, [i / 10 for i in range(40)]).build()
    expected = r"121 fits, above the fit budget of 100.*fit_budget=121"
    with pytest.raises(FitBudgetError, match=expected):
        check_fit_budget(grid, num_folds=3)
    assert check_fit_budget(grid, num_folds=3, fit_budget=121) == 121


def test_sample_is_seeded_in_grid_order_and_checked():
    grid = solver_grid(LinearRegression())
    sample = sample_grid(grid, 4, seed=7)
    assert sample == sample_grid(grid, 4, seed=7)
    assert len(sample) == 4
    positions = [grid.index(param_map) for param_map in sample]
    assert positions == sorted(positions)
    with pytest.raises(ValueError, match="between 1 and 12"):
        sample_grid(grid, 13)


def test_grid_table_has_one_column_per_param():
    table = grid_table(solver_grid(LinearRegression()))
    assert table.shape == (12, 3)
    assert set(table.columns) == {"maxIter", "fitIntercept", "standardization"}
