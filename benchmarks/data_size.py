"""Growth with data size: synthetic housing-like data of 10 thousand to 5 million rows.

The data is generated in Spark by `synthetic_spark` (real rows resampled, plus noise of 5 %
of each column's standard deviation, seeded) and cached before timing. The grid is
smaller than the notebooks': fitIntercept x standardization = 4 combinations, 2 folds,
4 x 2 + 1 = 9 fits per run, parallelism 1. The same measurement times scikit-learn on the
same sizes (see `sklearn_peer.py`), one Spark run and one scikit-learn run per round.

Driver memory is the peak resident set size (RSS) of Spark's `java` process, sampled every
0.2 s from the data's generation to the last fit of each size. A JVM seldom returns heap
to the system, so a size's peak includes what earlier sizes left behind.
"""

from __future__ import annotations

import time

from psutil import Process
from pyspark.ml.tuning import ParamGridBuilder
from pyspark.sql import SparkSession
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.preprocessing import StandardScaler

from benchmarks.common import (
    LABEL,
    SEED,
    PeakRss,
    interleaved,
    java_process,
    line_fit,
    median,
    result,
    synthetic_pandas,
    synthetic_spark,
)
from sparkml_tuning.search_space import count_fits
from sparkml_tuning.tuning import build_cross_validator, build_evaluator, build_pipeline

NAME = "data_size"
FOLDS = 2
COMBINATIONS = 4

_measured: dict[tuple[bool, bool], dict[str, object]] = {}


def sizes(quick: bool, with_5m: bool) -> list[int]:
    """Row counts to measure."""
    if quick:
        return [1_000, 5_000]
    return [10_000, 100_000, 1_000_000] + ([5_000_000] if with_5m else [])


def sklearn_search() -> GridSearchCV:
    """scikit-learn's equivalent of the Spark grid: scaler on/off x intercept on/off, 2 folds.

    Spark's `standardization` scales the features inside the solver; here a StandardScaler
    step stands in for it (without regularization neither changes the solution).
    """
    pipeline = SkPipeline([("scale", StandardScaler()), ("lr", SkLinearRegression())])
    grid = {"scale": [StandardScaler(), "passthrough"], "lr__fit_intercept": [True, False]}
    return GridSearchCV(
        pipeline,
        grid,
        cv=KFold(FOLDS, shuffle=True, random_state=SEED),
        scoring="neg_root_mean_squared_error",
        refit=True,
        n_jobs=1,
    )


def measure(spark: SparkSession, quick: bool, with_5m: bool) -> dict[str, object]:
    """Time Spark's CV and scikit-learn's GridSearchCV at each size, interleaved per round."""
    key = (quick, with_5m)
    if key in _measured:
        return _measured[key]
    features = [name for name in synthetic_pandas(10).columns if name != LABEL]
    pipeline, lr = build_pipeline(features, LABEL)
    grid = (
        ParamGridBuilder()
        .addGrid(lr.fitIntercept, [True, False])
        .addGrid(lr.standardization, [True, False])
        .build()
    )
    cv = build_cross_validator(pipeline, grid, build_evaluator(LABEL), num_folds=FOLDS)
    jvm = java_process()
    if not quick:
        # Warm-up on a small set, so the first size does not pay for class loading and JIT.
        warm = synthetic_spark(spark, 1_000).cache()
        cv.fit(warm)
        warm.unpersist()
        warm_pdf = synthetic_pandas(1_000)
        sklearn_search().fit(warm_pdf[features], warm_pdf[LABEL])

    per_size: dict[str, dict[str, object]] = {}
    for rows in sizes(quick, with_5m):
        repeats = 1 if quick else (2 if rows >= 5_000_000 else 3)
        print(f" {rows:,} rows", flush=True)
        with PeakRss(jvm) as jvm_peak, PeakRss(Process()) as python_peak:
            started = time.perf_counter()
            df = synthetic_spark(spark, rows).cache()
            df.count()
            spark_generate = time.perf_counter() - started
            started = time.perf_counter()
            pdf = synthetic_pandas(rows)
            x, y = pdf[features], pdf[LABEL]
            pandas_generate = time.perf_counter() - started
            seconds = interleaved(
                {
                    "spark": lambda df=df: cv.fit(df),
                    "sklearn": lambda x=x, y=y: sklearn_search().fit(x, y),
                },
                repeats,
            )
        df.unpersist(blocking=True)
        del pdf, x, y
        per_size[str(rows)] = {
            "rows": rows,
            "repeats": repeats,
            "spark_seconds": seconds["spark"],
            "sklearn_seconds": seconds["sklearn"],
            "spark_median": median(seconds["spark"]),
            "sklearn_median": median(seconds["sklearn"]),
            "spark_generate_seconds": spark_generate,
            "pandas_generate_seconds": pandas_generate,
            "jvm_peak_rss_mib": jvm_peak.peak_mib,
            "python_peak_rss_mib": python_peak.peak_mib,
        }
    _measured[key] = {
        "combinations": COMBINATIONS,
        "folds": FOLDS,
        "fits": count_fits(COMBINATIONS, FOLDS),
        "sizes": per_size,
        "memory_method": "peak RSS of Spark's java process (psutil), sampled every 0.2 s",
    }
    return _measured[key]


def run(spark: SparkSession, quick: bool, with_5m: bool) -> dict[str, object]:
    """Spark's time per fit and per row at each size, the line fit and the driver's memory."""
    measured = measure(spark, quick, with_5m)
    fits = measured["fits"]
    per_size = measured["sizes"]
    row_counts = [entry["rows"] for entry in per_size.values()]
    medians = [entry["spark_median"] for entry in per_size.values()]
    line = line_fit(row_counts, medians)
    rows = []
    for entry in per_size.values():
        rows.append(
            [
                entry["rows"],
                round(entry["spark_median"], 2),
                round(entry["spark_median"] / fits, 3),
                round(entry["spark_median"] / fits / entry["rows"] * 1e6, 3),
                entry["jvm_peak_rss_mib"],
            ]
        )
    largest = per_size[str(row_counts[-1])]
    headline = (
        f"{row_counts[-1]:,} rows: {largest['spark_median'] / fits:.2f} s per fit; "
        f"time ~ rows line R² {line['r2']:.3f}, "
        f"{line['slope'] * 1e6:.2f} s per million rows per {fits}-fit run "
        f"+ {line['intercept']:.1f} s fixed; JVM peak {largest['jvm_peak_rss_mib']:.0f} MiB"
    )
    return result(
        NAME,
        "Growth with data size (Spark)",
        {
            "combinations": COMBINATIONS,
            "folds": FOLDS,
            "fits": fits,
            "parallelism": 1,
            "memory": measured["memory_method"],
            "data": "synthetic_spark, seeded",
        },
        ["rows", "median s", "s per fit", "µs per row per fit", "JVM peak RSS MiB"],
        rows,
        headline,
        {"sizes": per_size, "line_seconds_vs_rows": line, "linear": line["r2"] >= 0.95},
    )
