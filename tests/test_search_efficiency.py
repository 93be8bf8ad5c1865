"""The search-efficiency benchmark: its counting on a known table, and its quick mode end to end."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from pyspark.sql import SparkSession

from sparkml_tuning.search_space_spec import ParamSpec

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "search_efficiency.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("search_efficiency", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fits_are_counted_until_the_target_is_reached(bench: ModuleType) -> None:
    values = [5.0, 4.0, 3.0, 4.5]
    assert bench.fits_to_reach([0, 1, 2, 3], values, 3.0) == 3
    assert bench.fits_to_reach([2, 0], values, 3.0) == 1
    # "At or below" the best, not "within 1 %": 3.01 does not count.
    assert bench.fits_to_reach([0, 1, 3], [5.0, 4.0, 3.01, 4.5], 3.0) is None
    assert bench.pick_after([0, 1, 2, 3], values, 2) == 1


def test_every_method_visits_each_grid_point_at_most_once(bench: ModuleType) -> None:
    space = [ParamSpec.choice("a", [1, 2, 3, 4]), ParamSpec.choice("b", ["x", "y", "z"])]
    points = [{"a": a, "b": b} for a in [1, 2, 3, 4] for b in ["x", "y", "z"]]
    values = [abs(p["a"] - 3) + (0.5 if p["b"] != "y" else 0.0) for p in points]
    for seed in range(3):
        orders = bench.method_orders(space, points, values, seed)
        assert set(orders) == set(bench.METHODS)
        for method, order in orders.items():
            assert len(order) == len(set(order)), method
            # Each method reaches the best point (a=3, b=y) eventually.
            assert bench.fits_to_reach(order, values, min(values)) is not None, method
        assert orders["GridNatural"] == list(range(len(points)))


def test_quick_mode_runs_end_to_end(bench: ModuleType, spark: SparkSession, tmp_path: Path) -> None:
    # About 50 fits: 30-40 s on an idle 2-core laptop with a warm session.
    results = bench.run(quick=True)
    tree = results["tree"]
    assert results["mode"] == "quick"
    assert tree["grid_points"] == 4
    for method in bench.METHODS:
        row = tree["methods"][method]
        assert len(row["fits_per_seed"]) == results["seeds"]
        assert all(1 <= fits <= tree["grid_points"] for fits in row["fits_per_seed"])
        assert row["pick_test_rmse_mean"] > 0
    assert tree["best_fold_standard_error"] > 0
    assert 1 <= results["linear"]["points_within_1pct"] <= results["linear"]["grid_points"]
    assert results["linear"]["best_test_rmse"] > 0

    json_path, md_path = bench.write_results(results, tmp_path)
    assert json_path.name == "search_efficiency_quick.json"
    assert json.loads(json_path.read_text())["tree"]["grid_points"] == 4
    assert "| OptunaTPE |" in md_path.read_text()
    assert "| LinearRegression | 4 |" in md_path.read_text()
