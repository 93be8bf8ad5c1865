"""The benchmark command still runs: its quick mode, once, into a temporary folder."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ("tracking", "parallelism", "data_size", "sklearn_peer", "grid_size", "session")


def numbers(value: object) -> list[float]:
    """Every int or float inside a (nested) table row."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, list):
        return [number for item in value for number in numbers(item)]
    return []


def test_quick_run_writes_every_benchmark(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT,
        check=True,
        timeout=600,
    )
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["mode"] == "quick"
    assert list(report["benchmarks"]) == list(BENCHMARKS)
    for name, record in report["benchmarks"].items():
        rows = record["table"]["rows"]
        assert rows, f"{name} has an empty table"
        values = numbers(rows)
        assert values and all(math.isfinite(v) for v in values), f"{name}: {rows}"
        assert record["headline"], name
        for key in (
            "cpu_model",
            "cores",
            "memory_gib",
            "python",
            "java",
            "spark",
            "mlflow",
            "scikit_learn",
            "date",
        ):
            assert record["machine"][key], f"{name} lacks machine {key}"
        assert (tmp_path / f"{name}.png").stat().st_size > 0
    assert (tmp_path / "results.md").read_text().count("|") > 10
