"""How much MLflow tracking adds to a tuning run: untracked, autolog defaults, the project's.

The tuning is notebook 03's: VectorAssembler + LinearRegression, the 12-combination solver
grid, 3-fold CrossValidator (12 x 3 + 1 = 37 fits) on the 506 housing rows, then the test
metric. Three variants, run interleaved (one of each per round, so drift in machine load
hits all of them alike, in an order that rotates each round, so none always runs last)
after one untimed warm-up fit:

- untracked: autologging disabled;
- autolog defaults: `mlflow.pyspark.ml.autolog()` as it comes (models logged twice, pip
  requirements inferred, datasets and post-training metrics logged);
- project: `enable_autolog()` + `tune_with_tracking()`: named and tagged parent, renamed
  children, test metric, the best model logged once with explicit requirements.

Runs go to a throwaway sqlite store in a temporary folder. Usage:

    .venv/bin/python benchmarks/tracking_overhead.py [--repeats 3]

Writes benchmarks/results/tracking_overhead.json and .md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

import mlflow  # noqa: E402
import mlflow.pyspark.ml  # noqa: E402
import pyspark  # noqa: E402

from benchmarks.common import rotated  # noqa: E402
from sparkml_tuning.housing_data import (  # noqa: E402
    feature_columns,
    load_housing_data,
    split_train_test,
)
from sparkml_tuning.run_tracking import enable_autolog, tune_with_tracking  # noqa: E402
from sparkml_tuning.spark_session import check_java, local_spark_session  # noqa: E402
from sparkml_tuning.tuning import (  # noqa: E402
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    solver_grid,
)

RESULTS = ROOT / "benchmarks" / "results"
LABEL = "medv"
VARIANTS = ("untracked", "autolog_defaults", "project")


def machine() -> dict[str, object]:
    """Where the numbers were measured."""
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "java": (java.stderr or java.stdout).splitlines()[0] if java.returncode == 0 else None,
        "java_major": check_java(),
        "pyspark": pyspark.__version__,
        "mlflow": mlflow.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--folds", type=int, default=3, help="CrossValidator folds")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    tmp = tempfile.mkdtemp(prefix="tracking_overhead_")
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{tmp}/mlflow.db"
    os.chdir(tmp)  # new experiments put their artifacts under ./mlruns
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    mlflow.set_experiment("tracking-overhead")

    spark = local_spark_session()
    # Not cached, as in the notebooks (serverless compute has no DataFrame cache).
    df = load_housing_data(spark, str(ROOT / "data" / "boston_housing.csv"))
    train_df, test_df = split_train_test(df)
    features = feature_columns(df, LABEL)
    pipeline, lr = build_pipeline(features, LABEL)
    evaluator = build_evaluator(LABEL, "rmse")
    cv = build_cross_validator(pipeline, solver_grid(lr), evaluator, num_folds=args.folds)
    fits = len(cv.getEstimatorParamMaps()) * args.folds + 1

    def untracked() -> float:
        mlflow.pyspark.ml.autolog(disable=True)
        model = cv.fit(train_df)
        return evaluator.evaluate(model.bestModel.transform(test_df))

    def autolog_defaults() -> float:
        mlflow.pyspark.ml.autolog()
        with mlflow.start_run(run_name="autolog-defaults"):
            model = cv.fit(train_df)
            # Evaluated inside the run, so autolog logs it as a post-training metric.
            test_predictions = model.transform(test_df)
            result = evaluator.evaluate(test_predictions)
        mlflow.pyspark.ml.autolog(disable=True)
        return result

    def project() -> float:
        enable_autolog()
        result = tune_with_tracking(cv, train_df, test_df, evaluator, features, "benchmark")
        mlflow.pyspark.ml.autolog(disable=True)
        return result.test_metric

    runs: dict[str, Callable[[], float]] = {
        "untracked": untracked,
        "autolog_defaults": autolog_defaults,
        "project": project,
    }
    load_start = os.getloadavg()[0]
    untracked()  # warm-up: JIT, class loading, the first Spark jobs
    seconds: dict[str, list[float]] = {name: [] for name in VARIANTS}
    metrics: dict[str, float] = {}
    for round_number in range(1, args.repeats + 1):
        for name in rotated(VARIANTS, round_number - 1):
            started = time.perf_counter()
            metrics[name] = runs[name]()
            seconds[name].append(time.perf_counter() - started)
            print(f"round {round_number}: {name:<17} {seconds[name][-1]:6.2f} s", flush=True)

    medians = {name: statistics.median(values) for name, values in seconds.items()}
    # Each round's variants run minutes apart at most, so a ratio within a round is less
    # exposed to drifting machine load than a ratio of medians taken over all rounds.
    round_ratios = {
        name: [a / b for a, b in zip(seconds[name], seconds["untracked"], strict=True)]
        for name in VARIANTS
    }
    ratios = {name: statistics.median(values) for name, values in round_ratios.items()}
    ratio_of_medians = {name: medians[name] / medians["untracked"] for name in VARIANTS}
    report = {
        "what": (
            f"{args.folds}-fold CrossValidator, 12 combinations, {fits} fits, 506 rows, "
            "+ test metric"
        ),
        "repeats": args.repeats,
        "machine": machine(),
        "seconds": seconds,
        "median_seconds": medians,
        "ratio_to_untracked": ratios,
        "ratio_per_round": round_ratios,
        "ratio_of_medians": ratio_of_medians,
        "load_average_1min": {"start": load_start, "end": os.getloadavg()[0]},
        "test_rmse": metrics,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tracking_overhead.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Tracking overhead",
        "",
        f"{report['what']}; median of {args.repeats} interleaved rounds after a warm-up.",
        "Produced by `benchmarks/tracking_overhead.py`.",
        "",
        "Ratio to untracked: the median over rounds of each round's ratio.",
        f"1-minute load average: {load_start:.1f} at the start, "
        f"{report['load_average_1min']['end']:.1f} at the end, on {os.cpu_count()} cores"
        + (
            " (above the core count: other work shared the machine, the numbers are noisy)."
            if max(load_start, report["load_average_1min"]["end"]) > (os.cpu_count() or 1)
            else "."
        ),
        "",
        "| variant | median s | runs (s) | ratio per round | ratio to untracked |",
        "|---|---|---|---|---|",
    ]
    for name in VARIANTS:
        runs_text = ", ".join(f"{value:.1f}" for value in seconds[name])
        per_round = ", ".join(f"{value:.2f}" for value in round_ratios[name])
        lines.append(
            f"| {name} | {medians[name]:.1f} | {runs_text} | {per_round} | {ratios[name]:.2f}x |"
        )
    lines += ["", "Machine: " + ", ".join(f"{k}={v}" for k, v in report["machine"].items()), ""]
    (RESULTS / "tracking_overhead.md").write_text("\n".join(lines))
    print("\n".join(lines))
    spark.stop()


if __name__ == "__main__":
    main()
