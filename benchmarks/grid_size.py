"""Growth with the grid: 4, 12 and 48 combinations, 2 folds, on the housing training rows.

- 4 = fitIntercept x standardization (maxIter at its default of 100);
- 12 = the solver grid, maxIter [1, 10, 100] x fitIntercept x standardization;
- 48 = the solver grid x regParam [0, 0.01, 0.1, 1].

A CrossValidator fits combinations x folds + 1 models, so if the time follows the number
of fits, the seconds per fit stay flat across the three grids: 9, 25 and 97 fits with 2
folds (quick mode: 4 and 12 combinations, one round, no warm-up).
"""

from __future__ import annotations

from pyspark.ml.tuning import ParamGridBuilder
from pyspark.sql import SparkSession

from benchmarks.common import HOUSING_CSV, LABEL, interleaved, line_fit, median, result
from sparkml_tuning.housing_data import feature_columns, load_housing_data, split_train_test
from sparkml_tuning.search_space import count_fits
from sparkml_tuning.tuning import (
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    solver_grid,
)

NAME = "grid_size"


def run(spark: SparkSession, quick: bool, with_5m: bool) -> dict[str, object]:
    """Time the three grids, interleaved, and report seconds per fit."""
    repeats, folds = (1, 2) if quick else (3, 2)
    df = load_housing_data(spark, str(HOUSING_CSV))
    train_df, _ = split_train_test(df)
    train_df = train_df.cache()
    train_df.count()
    pipeline, lr = build_pipeline(feature_columns(df, LABEL), LABEL)
    evaluator = build_evaluator(LABEL)
    grids = {
        4: ParamGridBuilder()
        .addGrid(lr.fitIntercept, [True, False])
        .addGrid(lr.standardization, [True, False])
        .build(),
        12: solver_grid(lr),
        48: ParamGridBuilder()
        .addGrid(lr.maxIter, [1, 10, 100])
        .addGrid(lr.fitIntercept, [True, False])
        .addGrid(lr.standardization, [True, False])
        .addGrid(lr.regParam, [0.0, 0.01, 0.1, 1.0])
        .build(),
    }
    if quick:
        grids.pop(48)
    fits = {size: count_fits(size, folds) for size in grids}
    tuners = {
        size: build_cross_validator(
            pipeline, grid, evaluator, num_folds=folds, fit_budget=fits[size]
        )
        for size, grid in grids.items()
    }
    if not quick:
        tuners[4].fit(train_df)  # warm-up: class loading, JIT, the first jobs
    seconds = interleaved(
        {
            f"{size} combinations": (lambda t=tuner: t.fit(train_df))
            for size, tuner in tuners.items()
        },
        repeats,
    )
    medians = {size: median(seconds[f"{size} combinations"]) for size in grids}
    per_fit = {size: medians[size] / fits[size] for size in grids}
    line = line_fit([fits[s] for s in grids], [medians[s] for s in grids])
    rows = [[size, fits[size], round(medians[size], 2), round(per_fit[size], 3)] for size in grids]
    spread = max(per_fit.values()) / min(per_fit.values())
    return result(
        NAME,
        "Growth with the grid",
        {"rows": train_df.count(), "folds": folds, "repeats": repeats, "warm_up": not quick},
        ["combinations", "fits", "median s", "s per fit"],
        rows,
        f"{min(per_fit.values()):.3f}-{max(per_fit.values()):.3f} s per fit across "
        f"{', '.join(map(str, grids))} combinations (time ~ fits: R² {line['r2']:.3f})",
        {
            "seconds": {str(s): seconds[f"{s} combinations"] for s in grids},
            "fits": {str(s): fits[s] for s in grids},
            "median_seconds": {str(s): medians[s] for s in grids},
            "seconds_per_fit": {str(s): per_fit[s] for s in grids},
            "max_over_min_seconds_per_fit": spread,
            "line_seconds_vs_fits": line,
        },
    )
