"""Parallel speed-up on 430 training rows: CrossValidator `parallelism` and Optuna `n_jobs`.

CrossValidator: notebook 03's solver grid (maxIter [1, 10, 100] x fitIntercept x
standardization = 12 combinations), 3 folds: 12 x 3 + 1 refit = 37 fits per run;
`parallelism` is how many models the tuner fits at once (threads in the driver).

Optuna: 12 TPE trials over notebook 06's linear space (regParam log 1e-4..10 x
elasticNetParam 0..1), each a 3-fold CV, + 1 refit = 37 fits per run; `n_jobs` is how many
trials run at once (threads in the driver). With 2 trials at once TPE proposes some points
before the running ones report, so the two runs fit partly different combinations: the
same number of fits, not the same fits.

Each tuner is timed with 1, 2 and the core count workers.
"""

from __future__ import annotations

import os

from pyspark.ml.feature import VectorAssembler
from pyspark.ml.regression import LinearRegression
from pyspark.sql import SparkSession

from benchmarks.common import HOUSING_CSV, LABEL, interleaved, median, result
from sparkml_tuning.housing_data import feature_columns, load_housing_data, split_train_test
from sparkml_tuning.search_methods import optuna_search
from sparkml_tuning.search_space_spec import ParamSpec
from sparkml_tuning.tuning import (
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    solver_grid,
)

NAME = "parallelism"
LINEAR_SPACE = [
    ParamSpec.log_uniform("regParam", 1e-4, 10.0),
    ParamSpec.uniform("elasticNetParam", 0.0, 1.0),
]


def levels() -> list[int]:
    """1, 2 and the core count, without duplicates (on 2 cores that is just 1 and 2)."""
    return sorted({1, 2, os.cpu_count() or 1})


def run(spark: SparkSession, quick: bool, with_5m: bool) -> dict[str, object]:
    """Time both tuners at each number of workers, all variants interleaved."""
    repeats, folds = (1, 2) if quick else (3, 3)
    df = load_housing_data(spark, str(HOUSING_CSV))
    features = feature_columns(df, LABEL)
    train_df, _ = split_train_test(df)
    train_df = train_df.cache()
    rows = train_df.count()
    # Optuna tunes the bare estimator, so its features are assembled once, as in notebook 06.
    assembled_df = (
        VectorAssembler(inputCols=features, outputCol="features")
        .transform(train_df)
        .select("features", LABEL)
        .cache()
    )
    assembled_df.count()
    pipeline, lr = build_pipeline(features, LABEL)
    bare_lr = LinearRegression(labelCol=LABEL)
    # Quick mode only checks that the script runs: 4 combinations or trials, no warm-up.
    grid = solver_grid(lr)[::3] if quick else solver_grid(lr)
    trials = len(grid)
    evaluator = build_evaluator(LABEL)
    fits = len(grid) * folds + 1
    variants = {}
    for workers in levels():
        cv = build_cross_validator(pipeline, grid, evaluator, folds, parallelism=workers)
        variants[("CrossValidator", workers)] = lambda cv=cv: cv.fit(train_df)
        variants[("Optuna TPE", workers)] = lambda workers=workers: optuna_search(
            bare_lr, LINEAR_SPACE, trials, assembled_df, evaluator, folds, n_jobs=workers
        )
    if not quick:
        for warm_up in (variants[("CrossValidator", 1)], variants[("Optuna TPE", 1)]):
            warm_up()  # class loading, JIT, the first jobs
    labels = {key: f"{key[0]}, {key[1]} at once" for key in variants}
    seconds = interleaved({labels[key]: variants[key] for key in variants}, repeats)
    medians = {key: median(seconds[labels[key]]) for key in variants}
    speedup = {key: medians[(key[0], 1)] / medians[key] for key in variants}
    table = sorted(
        [*key, round(medians[key], 2), round(fits / medians[key], 2), round(speedup[key], 2)]
        for key in variants
    )
    most = max(levels())
    headline = "; ".join(
        f"{tuner} with {most} at once: {speedup[(tuner, most)]:.2f}x faster than 1"
        for tuner in ("CrossValidator", "Optuna TPE")
    )
    return result(
        NAME,
        "Parallel speed-up: CrossValidator parallelism and Optuna n_jobs",
        {
            "rows": rows,
            "combinations or trials": len(grid),
            "folds": folds,
            "fits": fits,
            "repeats": repeats,
            "warm_up": not quick,
        },
        ["tuner", "at once", "median s", "fits/s", "speed-up vs 1"],
        table,
        f"{headline} ({fits} fits each, {os.cpu_count()} cores)",
        {
            "seconds": {labels[key]: seconds[labels[key]] for key in variants},
            "median_seconds": {labels[key]: medians[key] for key in variants},
            "speedup": {labels[key]: speedup[key] for key in variants},
        },
    )
