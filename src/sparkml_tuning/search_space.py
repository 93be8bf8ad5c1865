"""The cost of a parameter grid, a guard against grids too big to fit, and grid sampling.

A grid search fits one model per parameter combination and per fold, then refits the best
combination on all the training data:

    fits = combinations x folds + 1        (CrossValidator)
    fits = combinations + 1                (TrainValidationSplit: one split)
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence

import pandas as pd
from pyspark.ml.param import Param

_logger = logging.getLogger(__name__)

ParamMap = dict[Param, object]

# About 25 s on a laptop at roughly 0.25 s per small fit; raise it on purpose, not by accident.
DEFAULT_FIT_BUDGET = 100


class FitBudgetError(ValueError):
    """A grid would need more fits than the budget allows."""


def count_fits(num_combinations: int, num_folds: int | None = None) -> int:
    """Return how many models a grid search fits, the final refit included.

    Args:
        num_combinations: parameter combinations in the grid.
        num_folds: CrossValidator folds; None for TrainValidationSplit (one split).
    """
    if num_combinations < 1:
        raise ValueError(
            f"A grid needs at least one parameter combination, got {num_combinations}; "
            "an empty ParamGridBuilder().build() still gives one (the defaults)."
        )
    per_combination = 1 if num_folds is None else num_folds
    return num_combinations * per_combination + 1


def describe_cost(num_combinations: int, num_folds: int | None = None) -> str:
    """Write the cost out as arithmetic, e.g. `12 combinations x 3 folds + 1 refit = 37 fits`."""
    fits = count_fits(num_combinations, num_folds)
    if num_folds is None:
        return f"{num_combinations} combinations x 1 split + 1 refit = {fits} fits"
    return f"{num_combinations} combinations x {num_folds} folds + 1 refit = {fits} fits"


def check_fit_budget(
    param_maps: Sequence[ParamMap],
    num_folds: int | None = None,
    fit_budget: int = DEFAULT_FIT_BUDGET,
) -> int:
    """Return the number of fits, or refuse a grid that needs more than `fit_budget`.

    Raises:
        FitBudgetError: the grid is over the budget; the message says how to proceed.
    """
    fits = count_fits(len(param_maps), num_folds)
    if fits > fit_budget:
        raise FitBudgetError(
            f"The grid needs {describe_cost(len(param_maps), num_folds)}, above the fit "
            f"budget of {fit_budget}. Shrink the grid, sample it with "
            f"sample_grid(param_maps, n, seed), or raise the budget explicitly with "
            f"fit_budget={fits}."
        )
    cost = describe_cost(len(param_maps), num_folds)
    _logger.info("Grid cost: %s (budget %d).", cost, fit_budget)
    return fits


def sample_grid(param_maps: Sequence[ParamMap], n: int, seed: int = 42) -> list[ParamMap]:
    """Draw `n` combinations of a grid without replacement, reproducibly.

    The sample keeps the grid's order, so the tuner's tie-breaking (first best wins) works
    as it would on the full grid.
    """
    if not 1 <= n <= len(param_maps):
        raise ValueError(
            f"Cannot sample {n} combinations from a grid of {len(param_maps)}; "
            f"choose n between 1 and {len(param_maps)}."
        )
    chosen = sorted(random.Random(seed).sample(range(len(param_maps)), n))
    return [param_maps[i] for i in chosen]


def grid_table(param_maps: Sequence[ParamMap]) -> pd.DataFrame:
    """One row per combination, one column per parameter (by its short name)."""
    rows = [{param.name: value for param, value in param_map.items()} for param_map in param_maps]
    return pd.DataFrame(rows)


def grid_size(values_per_param: Sequence[int]) -> int:
    """The number of combinations of a full grid: the product of the value counts."""
    return math.prod(values_per_param)
