"""Single-machine peer: scikit-learn's GridSearchCV against Spark on the same data sizes.

Measured together with `data_size.py` (one Spark run and one scikit-learn run per round at
each size): LinearRegression in a Pipeline with a StandardScaler step switched on and off
(where Spark standardizes) x fit_intercept, 2 shuffled folds, the best refit, `n_jobs=1`
(Spark's tuner runs at parallelism 1 too); the data is a pandas DataFrame in memory,
generated with the same recipe as the Spark data.

The cluster arithmetic extrapolates the two fitted lines, time = fixed + per_row * rows:
it assumes N workers like this machine, Spark's per-row work divided evenly among them,
its fixed part (driver planning and scheduling) unchanged, and no network cost, so it is
a best case for Spark.
"""

from __future__ import annotations

import os

from pyspark.sql import SparkSession

from benchmarks.common import line_fit, result
from benchmarks.data_size import measure

NAME = "sklearn_peer"
CLUSTER_WORKERS = (1, 2, 4, 8, 16, 32)


def crossover_rows(
    spark_line: dict[str, float], sk_line: dict[str, float], workers: int
) -> float | None:
    """Rows above which Spark on `workers` machines beats scikit-learn on one; None if never."""
    if spark_line["slope"] <= 0 or sk_line["slope"] <= 0:
        return None  # the times did not grow with rows: no per-row cost to extrapolate
    spark_per_row = spark_line["slope"] / workers
    gap_per_row = sk_line["slope"] - spark_per_row
    if gap_per_row <= 0:
        return None
    return max(0.0, (spark_line["intercept"] - sk_line["intercept"]) / gap_per_row)


def run(spark: SparkSession, quick: bool, with_5m: bool) -> dict[str, object]:
    """Spark / scikit-learn time ratio per size, the measured crossover and the cluster sums."""
    measured = measure(spark, quick, with_5m)
    per_size = list(measured["sizes"].values())
    rows = [
        [
            entry["rows"],
            round(entry["spark_median"], 2),
            round(entry["sklearn_median"], 3),
            round(entry["spark_median"] / entry["sklearn_median"], 1),
            entry["python_peak_rss_mib"],
        ]
        for entry in per_size
    ]
    faster = [e["rows"] for e in per_size if e["spark_median"] < e["sklearn_median"]]
    row_counts = [e["rows"] for e in per_size]
    spark_line = line_fit(row_counts, [e["spark_median"] for e in per_size])
    sk_line = line_fit(row_counts, [e["sklearn_median"] for e in per_size])
    cluster = {str(n): crossover_rows(spark_line, sk_line, n) for n in CLUSTER_WORKERS}
    cores = os.cpu_count()
    if faster:
        crossover = f"Spark is faster from {faster[0]:,} rows on this machine"
    else:
        ratio = per_size[-1]["spark_median"] / per_size[-1]["sklearn_median"]
        crossover = (
            f"Spark is not faster at any measured size up to {row_counts[-1]:,} rows "
            f"({ratio:.0f}x slower there)"
        )
    needed = [n for n in CLUSTER_WORKERS if cluster[str(n)] is not None]
    if needed:
        first = needed[0]
        crossover += (
            f"; by the fitted lines, {first} worker(s) would win above "
            f"{cluster[str(first)]:,.0f} rows"
        )
    else:
        crossover += f"; by the fitted lines, not even {CLUSTER_WORKERS[-1]} workers would win"
    return result(
        NAME,
        "scikit-learn GridSearchCV vs Spark CrossValidator",
        {
            "grid": "StandardScaler on/off x fit_intercept = 4, 2 folds, refit",
            "n_jobs": 1,
            "fits": measured["fits"],
            "cores": cores,
            "cluster_assumptions": "N workers like this machine; Spark's per-row time / N; "
            "fixed time unchanged; no network cost",
        },
        ["rows", "Spark median s", "sklearn median s", "Spark / sklearn", "Python peak RSS MiB"],
        rows,
        crossover,
        {
            "sizes": {
                str(e["rows"]): {
                    k: e[k]
                    for k in (
                        "spark_median",
                        "sklearn_median",
                        "sklearn_seconds",
                        "python_peak_rss_mib",
                    )
                }
                for e in per_size
            },
            "crossover_rows_this_machine": faster[0] if faster else None,
            "spark_line": spark_line,
            "sklearn_line": sk_line,
            "cluster_crossover_rows": cluster,
        },
    )
