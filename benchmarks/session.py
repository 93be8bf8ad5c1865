"""The local session's overhead per fit: Spark's default local settings vs the project's.

Settings are fixed when the JVM starts, so each session runs in its own Python process
(`python -m benchmarks.session --child default|project`), alternating default and project
processes. Both use `local[*]`; "default" sets nothing else (only the environment variable
SPARK_LOCAL_IP=127.0.0.1, which `local_spark_session` sets too), "project" is
`local_spark_session()` with `LOCAL_SPARK_SETTINGS`. Each process times its session start,
then, after 3 warm-up fits, fits the VectorAssembler + LinearRegression pipeline once per
combination of the 12-combination solver grid, on the 506 rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from benchmarks.common import HOUSING_CSV, LABEL, ROOT, median, result

NAME = "session"
VARIANTS = ("default", "project")


def child(variant: str, passes: int, warm_up: int = 3) -> dict[str, float]:
    """Start one session, fit the grid's combinations `passes` times; return the timings."""
    from pyspark.sql import SparkSession

    from sparkml_tuning.housing_data import feature_columns, load_housing_data, split_train_test
    from sparkml_tuning.spark_session import local_spark_session
    from sparkml_tuning.tuning import build_pipeline, solver_grid

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    started = time.perf_counter()
    if variant == "project":
        spark = local_spark_session()
    else:
        spark = SparkSession.builder.master("local[*]").appName("default-local").getOrCreate()
        spark.sparkContext.setLogLevel("WARN")
    startup = time.perf_counter() - started
    df = load_housing_data(spark, str(HOUSING_CSV))
    train_df, _ = split_train_test(df)
    train_df = train_df.cache()
    train_df.count()
    pipeline, lr = build_pipeline(feature_columns(df, LABEL), LABEL)
    grid = solver_grid(lr)
    for params in grid[:warm_up]:
        pipeline.fit(train_df, params)
    started = time.perf_counter()
    for _ in range(passes):
        for params in grid:
            pipeline.fit(train_df, params)
    seconds = time.perf_counter() - started
    fits = passes * len(grid)
    conf = spark.sparkContext.getConf()
    timings = {
        "startup_seconds": startup,
        "fit_seconds": seconds,
        "fits": fits,
        "fits_per_second": fits / seconds,
        "shuffle_partitions": conf.get("spark.sql.shuffle.partitions", "200 (default)"),
        "driver_memory": conf.get("spark.driver.memory", "1g (default)"),
    }
    spark.stop()
    return timings


def run(spark: object, quick: bool, with_5m: bool) -> dict[str, object]:
    """Alternate default and project sessions in fresh processes; compare fits per second."""
    rounds, passes, warm_up = (1, 1, 1) if quick else (3, 2, 3)
    timings: dict[str, list[dict[str, float]]] = {variant: [] for variant in VARIANTS}
    for round_number in range(1, rounds + 1):
        for variant in VARIANTS:
            completed = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.session",
                    "--child",
                    variant,
                    "--passes",
                    str(passes),
                    "--warm-up",
                    str(warm_up),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            timings[variant].append(json.loads(completed.stdout.strip().splitlines()[-1]))
            last = timings[variant][-1]
            print(
                f"  round {round_number}: {variant:<8} start {last['startup_seconds']:.1f} s, "
                f"{last['fits_per_second']:.2f} fits/s",
                flush=True,
            )
    fps = {v: median([t["fits_per_second"] for t in timings[v]]) for v in VARIANTS}
    startup = {v: median([t["startup_seconds"] for t in timings[v]]) for v in VARIANTS}
    rows = [
        [
            v,
            round(fps[v], 2),
            round(1 / fps[v], 3),
            round(startup[v], 1),
            round(fps[v] / fps["default"], 2),
        ]
        for v in VARIANTS
    ]
    return result(
        NAME,
        "Local session: Spark defaults vs the project's settings",
        {
            "rounds": rounds,
            "fits_per_process": timings["default"][0]["fits"],
            "rows": 506,
            "warm_up_fits": warm_up,
            "processes": "one per session, alternating",
        },
        ["session", "fits/s", "s per fit", "startup s", "fits/s ratio to default"],
        rows,
        f"project session {fps['project']:.2f} fits/s vs default {fps['default']:.2f} "
        f"({fps['project'] / fps['default']:.2f}x)",
        {"runs": timings, "median_fits_per_second": fps, "median_startup_seconds": startup},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="One session of the session benchmark.")
    parser.add_argument("--child", choices=VARIANTS, required=True)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--warm-up", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(child(args.child, args.passes, args.warm_up)), flush=True)


if __name__ == "__main__":
    main()
