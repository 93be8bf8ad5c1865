"""Tracking overhead, measured by `benchmarks/tracking_overhead.py` and collected here.

That script compares an untracked CrossValidator run with autolog's defaults and with the
project's tracking (`enable_autolog` + `tune_with_tracking`). It runs in its own process
(it starts and stops its own Spark session and changes directory), writing its JSON into a
temporary folder, so its own results file in benchmarks/results/ is left alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import ROOT, result

NAME = "tracking"

# Runs the other script's `main()` with its output folder pointed elsewhere.
_LAUNCH = (
    "import sys; from pathlib import Path; import benchmarks.tracking_overhead as bench; "
    "bench.RESULTS = Path(sys.argv[1]); sys.argv = ['tracking_overhead'] + sys.argv[2:]; "
    "bench.main()"
)


def run(spark: object, quick: bool, with_5m: bool) -> dict[str, object]:
    """Run tracking_overhead.main() in a subprocess and turn its JSON into a result."""
    # The full run measures notebook 03's search (3 folds, 37 fits); quick mode 2 folds.
    repeats, folds = (1, 2) if quick else (3, 3)
    with tempfile.TemporaryDirectory(prefix="bench_tracking_") as tmp:
        subprocess.run(
            [sys.executable, "-c", _LAUNCH, tmp, "--repeats", str(repeats), "--folds", str(folds)],
            cwd=ROOT,
            check=True,
        )
        report = json.loads((Path(tmp) / "tracking_overhead.json").read_text())
    ratios = report["ratio_to_untracked"]
    medians = report["median_seconds"]
    rows = [[name, round(medians[name], 2), round(ratios[name], 2)] for name in ratios]
    return result(
        NAME,
        "MLflow tracking overhead",
        {
            "what": report["what"],
            "repeats": repeats,
            "folds": folds,
            "script": "benchmarks/tracking_overhead.py",
        },
        ["variant", "median s", "ratio to untracked"],
        rows,
        ", ".join(f"{name} {ratio:.2f}x" for name, ratio in ratios.items()) + " the untracked time",
        {"tracking_overhead_report": report},
    )
