"""Parallel speed-up: CrossValidator `parallelism` 1, 2 and the core count on 506 rows.

The grid is notebook 03's solver grid (maxIter [1, 10, 100] x fitIntercept x
standardization = 12 combinations), 3 folds: 12 x 3 + 1 refit = 37 fits per run.
`parallelism` is how many models the tuner fits at once (threads in the driver).
"""

from __future__ import annotations

import os

from pyspark.sql import SparkSession

from benchmarks.common import HOUSING_CSV, LABEL, interleaved, median, result
from sparkml_tuning.housing_data import feature_columns, load_housing_data, split_train_test
from sparkml_tuning.tuning import (
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    solver_grid,
)

NAME = "parallelism"


def levels() -> list[int]:
    """1, 2 and the core count, without duplicates (on 2 cores that is just 1 and 2)."""
    return sorted({1, 2, os.cpu_count() or 1})


def run(spark: SparkSession, quick: bool, with_5m: bool) -> dict[str, object]:
    """Time the 12-combination CV at each parallelism level, interleaved."""
    repeats, folds = (1, 2) if quick else (3, 3)
    df = load_housing_data(spark, str(HOUSING_CSV))
    train_df, _ = split_train_test(df)
    train_df = train_df.cache()
    train_df.count()
    pipeline, lr = build_pipeline(feature_columns(df, LABEL), LABEL)
    # Quick mode only checks that the script runs: a 4-combination grid, no warm-up.
    grid = solver_grid(lr)[::3] if quick else solver_grid(lr)
    evaluator = build_evaluator(LABEL)
    tuners = {
        p: build_cross_validator(pipeline, grid, evaluator, num_folds=folds, parallelism=p)
        for p in levels()
    }
    fits = len(grid) * folds + 1
    if not quick:
        tuners[1].fit(train_df)  # warm-up: class loading, JIT, the first jobs
    seconds = interleaved(
        {f"parallelism={p}": (lambda t=tuner: t.fit(train_df)) for p, tuner in tuners.items()},
        repeats,
    )
    medians = {p: median(seconds[f"parallelism={p}"]) for p in tuners}
    speedup = {p: medians[1] / medians[p] for p in tuners}
    rows = [
        [p, round(medians[p], 2), round(fits / medians[p], 2), round(speedup[p], 2)] for p in tuners
    ]
    best = max(tuners, key=lambda p: speedup[p])
    return result(
        NAME,
        "Parallel speed-up of CrossValidator",
        {
            "rows": train_df.count(),
            "combinations": len(grid),
            "folds": folds,
            "fits": fits,
            "repeats": repeats,
            "warm_up": not quick,
        },
        ["parallelism", "median s", "fits/s", "speed-up vs 1"],
        rows,
        f"parallelism={best}: {speedup[best]:.2f}x faster than parallelism=1 "
        f"({fits} fits, {os.cpu_count()} cores)",
        {
            "seconds": {str(p): seconds[f"parallelism={p}"] for p in tuners},
            "median_seconds": {str(p): medians[p] for p in tuners},
            "speedup": {str(p): speedup[p] for p in tuners},
        },
    )
