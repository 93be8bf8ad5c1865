"""Independent against multivariate TPE, replayed on the saved table of the tree grid.

Optuna 5 uses the multivariate TPE by default; the package's Optuna search asks for the
independent one. This script compares the two: it replays both samplers, 20 seeds each, on
the CV metrics that `search_efficiency.py` saved (`tree.grid_table` of its results), so it needs
no Spark and measures the samplers alone, counted as in that script.

Usage:

    .venv/bin/python -m benchmarks.tpe_variants

Writes benchmarks/results/tpe_variants.md. The independent TPE's seeds that never reach the
grid's best ask up to 20 x 144 points each, so the run takes several minutes.
"""

from __future__ import annotations

import json
import math
import statistics

import optuna

from benchmarks.common import DEFAULT_OUT
from benchmarks.search_efficiency import SHARE, TREE_SPACE_FULL, fits_to_reach, tpe_order

SEEDS = 20


def replay(multivariate: bool, table: list[dict]) -> list[int | None]:
    """Fits each seed needs to reach the table's best CV RMSE (None: never reached)."""
    names = [spec.name for spec in TREE_SPACE_FULL]
    points = [{name: row[name] for name in names} for row in table]
    values = [row["avg_rmse"] for row in table]
    return [
        fits_to_reach(
            tpe_order(TREE_SPACE_FULL, points, values, seed, multivariate), values, min(values)
        )
        for seed in range(SEEDS)
    ]


def main() -> None:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    results = json.loads((DEFAULT_OUT / "search_efficiency.json").read_text())
    table = results["tree"]["grid_table"]
    within = math.floor(SHARE * len(table))
    lines = [
        "# Independent against multivariate TPE (tree grid, replayed from search_efficiency)",
        "",
        f"Optuna {optuna.__version__}; {SEEDS} seeds; grid of {len(table)} points.",
        "",
        f"| TPE | median fits to the grid's best | seeds within {within} fits (30 %) | "
        "seeds that never reach it |",
        "|---|---|---|---|",
    ]
    for label, multivariate in (("independent", False), ("multivariate", True)):
        fits = replay(multivariate, table)
        median = statistics.median(math.inf if f is None else f for f in fits)
        reached = sum(1 for f in fits if f is not None and f <= within)
        lines.append(f"| {label} | {median:g} | {reached} of {SEEDS} | {fits.count(None)} |")
    text = "\n".join(lines) + "\n"
    (DEFAULT_OUT / "tpe_variants.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
