"""What the benchmarks share: the machine record, interleaved timing, data, memory sampling."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
HOUSING_CSV = ROOT / "data" / "boston_housing.csv"
DEFAULT_OUT = ROOT / "benchmarks" / "results"
LABEL = "medv"
SEED = 42
# Synthetic rows are real rows drawn with replacement plus Gaussian noise of this share of
# each column's standard deviation: large enough that no two rows repeat, small enough
# that the relations between the features and the label hold.
NOISE_SHARE = 0.05


def cpu_model() -> str:
    """The CPU model name (Linux /proc/cpuinfo, else what `platform` knows)."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def java_version() -> str | None:
    """The first line of `java -version`, the JVM Spark starts."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else "java"
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    lines = (result.stderr or result.stdout).splitlines()
    return lines[0] if lines else None


def machine() -> dict[str, object]:
    """Where and with what the numbers were measured."""
    import mlflow
    import pyspark
    import sklearn

    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "java": java_version(),
        "spark": pyspark.__version__,
        "mlflow": mlflow.__version__,
        "scikit_learn": sklearn.__version__,
        "pandas": pd.__version__,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def interleaved(variants: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Time each variant `repeats` times, one of each per round, so load drift hits all alike.

    The order rotates by one place each round, so no variant always runs first or last.
    """
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    for round_number in range(1, repeats + 1):
        for name in rotated(list(variants), round_number - 1):
            started = time.perf_counter()
            variants[name]()
            seconds[name].append(time.perf_counter() - started)
            print(f"  round {round_number}: {name:<24} {seconds[name][-1]:7.2f} s", flush=True)
    return seconds


def rotated(names: Sequence[str], shift: int) -> list[str]:
    """`names` rotated left by `shift` places: the running order of one round."""
    shift %= len(names)
    return [*names[shift:], *names[:shift]]


def median(values: Sequence[float]) -> float:
    """The median, as a plain float."""
    return float(statistics.median(values))


def line_fit(x: Sequence[float], y: Sequence[float]) -> dict[str, float]:
    """Least-squares line y = intercept + slope * x, and its R²."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    slope, intercept = np.polyfit(xs, ys, 1)
    residual = ys - (intercept + slope * xs)
    total = ((ys - ys.mean()) ** 2).sum()
    r2 = 1.0 - (residual**2).sum() / total if total > 0 else 1.0
    return {"intercept": float(intercept), "slope": float(slope), "r2": float(r2)}


def real_housing() -> pd.DataFrame:
    """The 506 real rows, as pandas."""
    return pd.read_csv(HOUSING_CSV)


def synthetic_pandas(rows: int, seed: int = SEED) -> pd.DataFrame:
    """`rows` housing-like rows in pandas: real rows resampled, plus column-scaled noise."""
    real = real_housing()
    rng = np.random.default_rng(seed)
    picked = real.to_numpy(dtype=float)[rng.integers(0, len(real), rows)]
    noise = rng.standard_normal(picked.shape) * (real.std().to_numpy() * NOISE_SHARE)
    return pd.DataFrame(picked + noise, columns=real.columns)


def synthetic_spark(spark: object, rows: int, seed: int = SEED) -> object:
    """The same recipe generated in Spark: no row passes through the driver's Python.

    Each generated id draws a real row index with `rand(seed)`, joins the (broadcast) real
    rows, and adds `randn` noise scaled per column. Seeded, so a given row count and
    partitioning give the same rows every run.
    """
    from pyspark.sql import functions as F

    real = real_housing()
    indexed = spark.createDataFrame(real.assign(_row=range(len(real))))
    std = real.std()
    drawn = spark.range(rows).select(F.floor(F.rand(seed) * len(real)).cast("long").alias("_row"))
    joined = drawn.join(F.broadcast(indexed), "_row")
    return joined.select(
        *[
            (F.col(name) + F.randn(seed + 1 + k) * float(std[name] * NOISE_SHARE)).alias(name)
            for k, name in enumerate(real.columns)
        ]
    )


def java_process() -> psutil.Process | None:
    """The JVM this Python process started for Spark (its `java` descendant)."""
    for child in psutil.Process().children(recursive=True):
        try:
            if child.name() == "java":
                return child
        except psutil.NoSuchProcess:
            continue
    return None


class PeakRss:
    """The peak resident memory of a process, from `ps`-style RSS samples every `interval` s."""

    def __init__(self, process: psutil.Process | None, interval: float = 0.2) -> None:
        self.process = process
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_bytes = max(self.peak_bytes, self.process.memory_info().rss)
            except (psutil.NoSuchProcess, AttributeError):
                return
            self._stop.wait(self.interval)

    @property
    def peak_mib(self) -> float:
        return round(self.peak_bytes / 2**20, 1)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def result(
    name: str,
    title: str,
    settings: dict[str, object],
    columns: list[str],
    rows: list[list[object]],
    headline: str,
    data: dict[str, object],
) -> dict[str, object]:
    """One benchmark's record: what ran, a table, a one-line headline, the raw data."""
    return {
        "name": name,
        "title": title,
        "settings": settings,
        "headline": headline,
        "table": {"columns": columns, "rows": rows},
        "data": data,
    }
