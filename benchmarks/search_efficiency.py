"""How many cross-validated fits each search method needs to find the fine grid's best.

The tree space is a random forest's (`RandomForestRegressor`): maxDepth x numTrees x
subsamplingRate x featureSubsetStrategy, a fine grid of 4 x 4 x 3 x 3 = 144 points, on the
housing training rows (the test rows are held back). The strategies "onethird", "0.5" and
"all" draw 4, 6 and 12 of the 12 features per split, so the 144 points are 144 different
models ("sqrt" would draw 4, like "onethird").

A gradient-boosted model would be the textbook choice, but a Spark GBT fit of 20-50
iterations takes 8-17 s on this machine (one Spark job per tree level per iteration), so its
144-point grid would take hours.

Method of measurement, so that 20 seeds are affordable:

1. Every grid point is cross-validated once, by one CrossValidator on fixed folds (seed 42),
   giving a table of mean CV RMSE per point.
2. Each search method then draws grid points from that table instead of fitting again, and
   we count the evaluations (one evaluation = one k-fold CV of one point) until the best
   seen is at or below the grid's best CV RMSE:
   - grid, natural order: ParamGridBuilder's order (the last parameter varies fastest);
   - grid, shuffled: a seeded random permutation of the grid;
   - random search: seeded uniform draws over the grid points without replacement (in this
     lookup setting the same procedure as a shuffled grid, with its own seed stream);
   - Optuna TPE: `TPESampler(seed, multivariate=False)`, as the package's Optuna search
     uses it (Optuna 5's default, the multivariate TPE, is compared in tpe_variants.py),
     choosing, per parameter, an index into the grid's ordered values (`suggest_int`), or a
     category for featureSubsetStrategy. A point it suggests again is answered from the
     table and not counted.
3. Noise: the fold standard error of the best point, and each method's pick after 30 % of
   the grid's evaluations re-scored on fresh folds (seed 7) and on the held-back test set.

The linear space (`regParam` log 1e-4..10 x `elasticNetParam` 0..1, 10 x 10) is measured
the same way, with a tolerance of 1 % because that is where all methods tie.

Usage:

    .venv/bin/python benchmarks/search_efficiency.py [--quick]

Writes benchmarks/results/search_efficiency.json and .md (quick mode writes
search_efficiency_quick.*, so a test never overwrites the full results).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import optuna  # noqa: E402
import pyspark  # noqa: E402
from pyspark.ml.feature import VectorAssembler  # noqa: E402
from pyspark.ml.regression import LinearRegression, RandomForestRegressor  # noqa: E402
from pyspark.ml.tuning import CrossValidator  # noqa: E402

from sparkml_tuning.housing_data import (  # noqa: E402
    feature_columns,
    load_housing_data,
    split_train_test,
)
from sparkml_tuning.search_space_spec import (  # noqa: E402
    ParamSpec,
    from_param_map,
    grid_param_maps,
)
from sparkml_tuning.spark_session import local_spark_session  # noqa: E402
from sparkml_tuning.tuning import build_evaluator  # noqa: E402

_logger = logging.getLogger("search_efficiency")

RESULTS = ROOT / "benchmarks" / "results"
DATA = ROOT / "data" / "boston_housing.csv"
LABEL = "medv"
FOLD_SEED = 42
FRESH_FOLD_SEED = 7
METHODS = ("OptunaTPE", "RandomSearch", "GridShuffled", "GridNatural")
SHARE = 0.30

TREE_SPACE_FULL = [
    ParamSpec.choice("maxDepth", [2, 4, 6, 8]),
    ParamSpec.choice("numTrees", [10, 25, 50, 100]),
    ParamSpec.choice("subsamplingRate", [0.5, 0.75, 1.0]),
    ParamSpec.choice("featureSubsetStrategy", ["onethird", "0.5", "all"]),
]
TREE_SPACE_QUICK = [
    ParamSpec.choice("maxDepth", [2, 5]),
    ParamSpec.choice("numTrees", [5, 10]),
]
LINEAR_SPACE = [
    ParamSpec.log_uniform("regParam", 1e-4, 10.0),
    ParamSpec.uniform("elasticNetParam", 0.0, 1.0),
]


def cross_validate_grid(
    estimator: Any, param_maps: list, train_df: Any, num_folds: int, seed: int, parallelism: int
) -> tuple[list[float], list[float]]:
    """Mean and std (over folds) of the CV RMSE of every param map, on folds fixed by `seed`."""
    cv = CrossValidator(
        estimator=estimator,
        estimatorParamMaps=param_maps,
        evaluator=build_evaluator(LABEL, "rmse"),
        numFolds=num_folds,
        seed=seed,
        parallelism=parallelism,
    )
    model = cv.fit(train_df)
    return list(model.avgMetrics), list(model.stdMetrics)


def fits_to_reach(order: Sequence[int], values: Sequence[float], target: float) -> int | None:
    """How many evaluations, in `order`, until a value at or below `target` is seen."""
    for count, index in enumerate(order, start=1):
        if values[index] <= target:
            return count
    return None


def tpe_order(
    space: Sequence[ParamSpec],
    points: list[dict[str, Any]],
    values: list[float],
    seed: int,
    multivariate: bool = False,
) -> list[int]:
    """The distinct grid points Optuna TPE evaluates, in order, until all are seen or a cap.

    Numeric params are suggested as an index into their ordered grid values, so TPE can use
    the order; string params as categories. Repeated suggestions are told the known value.
    `multivariate` picks Optuna's multivariate TPE instead of the independent one.
    """
    index_of = {tuple(point[spec.name] for spec in space): i for i, point in enumerate(points)}
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=multivariate)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    order: list[int] = []
    seen: set[int] = set()
    best_target = min(values)
    for _ in range(20 * len(points)):
        trial = study.ask()
        key = []
        for spec in space:
            choices = list(spec.choices or ())
            if all(isinstance(c, (int, float)) for c in choices):
                key.append(choices[trial.suggest_int(spec.name, 0, len(choices) - 1)])
            else:
                key.append(trial.suggest_categorical(spec.name, choices))
        index = index_of[tuple(key)]
        study.tell(trial, values[index])
        if index not in seen:
            seen.add(index)
            order.append(index)
            if values[index] <= best_target or len(seen) == len(points):
                break
    return order


def method_orders(
    space: Sequence[ParamSpec], points: list[dict[str, Any]], values: list[float], seed: int
) -> dict[str, list[int]]:
    """The evaluation order of each method for one seed."""
    n = len(points)
    shuffled = list(range(n))
    random.Random(1000 + seed).shuffle(shuffled)
    return {
        "OptunaTPE": tpe_order(space, points, values, seed),
        "RandomSearch": random.Random(seed).sample(range(n), n),
        "GridShuffled": shuffled,
        "GridNatural": list(range(n)),
    }


def pick_after(order: Sequence[int], values: Sequence[float], budget: int) -> int:
    """The grid point a method would choose after `budget` evaluations (best CV RMSE seen)."""
    seen = list(order[:budget])
    return min(seen, key=lambda index: values[index])


def test_rmse(estimator: Any, param_map: dict, train_df: Any, test_df: Any) -> float:
    """Fit on all training rows and score on the held-back test rows."""
    model = estimator.fit(train_df, param_map)
    return build_evaluator(LABEL, "rmse").evaluate(model.transform(test_df))


def _finite(value: float) -> float | None:
    """None in place of infinity (a method that never reached the target), for JSON."""
    return None if math.isinf(value) else value


def search_summary(
    orders_by_seed: list[dict[str, list[int]]], values: list[float], target: float, n: int
) -> dict[str, dict[str, Any]]:
    """Per method: fits to reach `target` for every seed, the median, and the 30 % count."""
    within = math.floor(SHARE * n)
    summary = {}
    for method in METHODS:
        fits = [fits_to_reach(orders[method], values, target) for orders in orders_by_seed]
        reached = [f for f in fits if f is not None]
        summary[method] = {
            "fits_per_seed": fits,
            "median_fits": _finite(statistics.median(math.inf if f is None else f for f in fits)),
            "seeds_within_30pct": sum(1 for f in reached if f <= within),
        }
    return summary


def tree_benchmark(
    train_df: Any, test_df: Any, quick: bool, seeds: int, parallelism: int
) -> dict[str, Any]:
    """Fits-to-best on the tree space, with the noise measurements."""
    space = TREE_SPACE_QUICK if quick else TREE_SPACE_FULL
    num_folds = 2 if quick else 3
    forest = RandomForestRegressor(labelCol=LABEL, featuresCol="features", seed=FOLD_SEED)
    param_maps = grid_param_maps(forest, space, points=1)
    points = [from_param_map(m) for m in param_maps]
    n = len(points)
    _logger.info(
        "Tree grid: cross-validating %d points x %d folds (%d fits) in one CrossValidator; "
        "it reports when done.",
        n,
        num_folds,
        n * num_folds,
    )
    started = time.perf_counter()
    values, stds = cross_validate_grid(
        forest, param_maps, train_df, num_folds, FOLD_SEED, parallelism
    )
    table_seconds = time.perf_counter() - started
    best = min(range(n), key=lambda i: values[i])
    target = values[best]
    _logger.info("Tree grid: %d points in %.0f s, best CV RMSE %.4f.", n, table_seconds, target)
    _logger.info("Replaying the search methods on the grid's table, %d seeds each.", seeds)

    orders_by_seed = [method_orders(space, points, values, seed) for seed in range(seeds)]
    summary = search_summary(orders_by_seed, values, target, n)

    # Noise: re-score every method's pick (after 30 % of the grid) on fresh folds and test.
    budget = max(1, math.floor(SHARE * n))
    picks = {
        method: [pick_after(orders[method], values, budget) for orders in orders_by_seed]
        for method in METHODS
    }
    distinct = sorted({best} | {i for chosen in picks.values() for i in chosen})
    fresh, _ = cross_validate_grid(
        forest,
        [param_maps[i] for i in distinct],
        train_df,
        num_folds,
        FRESH_FOLD_SEED,
        parallelism,
    )
    fresh_of = dict(zip(distinct, fresh, strict=True))
    test_of = {i: test_rmse(forest, param_maps[i], train_df, test_df) for i in distinct}
    for method in METHODS:
        chosen = picks[method]
        summary[method].update(
            {
                "pick_cv_rmse_mean": statistics.mean(values[i] for i in chosen),
                "pick_fresh_fold_rmse_mean": statistics.mean(fresh_of[i] for i in chosen),
                "pick_test_rmse_mean": statistics.mean(test_of[i] for i in chosen),
            }
        )
    fold_se = stds[best] / math.sqrt(num_folds - 1)
    return {
        "space": {spec.name: list(spec.choices or ()) for spec in space},
        "estimator": "RandomForestRegressor",
        "grid_points": n,
        "num_folds": num_folds,
        "table_seconds": table_seconds,
        "budget_30pct": math.floor(SHARE * n),
        "best_point": points[best],
        "best_cv_rmse": target,
        "best_fold_std": stds[best],
        "best_fold_standard_error": fold_se,
        "best_fold_standard_error_pct": 100 * fold_se / target,
        "best_fresh_fold_rmse": fresh_of[best],
        "best_test_rmse": test_of[best],
        "points_within_one_se": sum(1 for v in values if v <= target + fold_se),
        "methods": summary,
        "grid_table": [
            {**point, "avg_rmse": avg, "std_rmse": std}
            for point, avg, std in zip(points, values, stds, strict=True)
        ],
    }


def linear_benchmark(
    train_df: Any, test_df: Any, quick: bool, seeds: int, parallelism: int
) -> dict[str, Any]:
    """How flat the linear space is, the fits to get near its best, and that best's test RMSE."""
    points_per_param = 2 if quick else 10
    num_folds = 2 if quick else 3
    lr = LinearRegression(labelCol=LABEL, featuresCol="features")
    param_maps = grid_param_maps(lr, LINEAR_SPACE, points_per_param)
    started = time.perf_counter()
    values, _ = cross_validate_grid(lr, param_maps, train_df, num_folds, FOLD_SEED, parallelism)
    table_seconds = time.perf_counter() - started
    best = min(range(len(values)), key=lambda i: values[i])
    target = min(values) * 1.01
    grid_values = {spec.name: spec.grid_values(points_per_param) for spec in LINEAR_SPACE}
    choice_space = [ParamSpec.choice(name, vals) for name, vals in grid_values.items()]
    points = [from_param_map(m) for m in param_maps]
    orders_by_seed = [method_orders(choice_space, points, values, s) for s in range(seeds)]
    summary = search_summary(orders_by_seed, values, target, len(points))
    return {
        "grid_points": len(points),
        "num_folds": num_folds,
        "table_seconds": table_seconds,
        "best_point": points[best],
        "best_cv_rmse": min(values),
        "best_test_rmse": test_rmse(lr, param_maps[best], train_df, test_df),
        "points_within_1pct": sum(1 for v in values if v <= target),
        "methods": {m: {"median_fits_to_1pct": s["median_fits"]} for m, s in summary.items()},
    }


def environment() -> dict[str, Any]:
    """Machine and versions, written beside the figures."""
    return {
        "python": platform.python_version(),
        "pyspark": pyspark.__version__,
        "optuna": optuna.__version__,
        "machine": platform.machine(),
        "system": platform.system(),
        "cpus": os.cpu_count(),
    }


def run(quick: bool) -> dict[str, Any]:
    """Run the benchmark and return its results (quick: a tiny grid and 3 seeds)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    started = time.perf_counter()
    seeds = 3 if quick else 20
    parallelism = 2
    spark = local_spark_session()
    housing_df = load_housing_data(spark, str(DATA))
    assembler = VectorAssembler(inputCols=feature_columns(housing_df, LABEL), outputCol="features")
    train_df, test_df = split_train_test(assembler.transform(housing_df).select("features", LABEL))
    train_df = train_df.cache()
    test_df = test_df.cache()
    results = {
        "mode": "quick" if quick else "full",
        "seeds": seeds,
        "method_note": (
            "Each grid point was cross-validated once on fixed folds; every method draws from "
            "that table of CV metrics, so 'fits' counts evaluations of a grid point (each one "
            "k-fold CV). Random search draws grid points uniformly without replacement; TPE "
            "chooses among the grid's values (index per numeric parameter); a repeated TPE "
            "suggestion is answered from the table and not counted."
        ),
        "environment": environment(),
        "tree": tree_benchmark(train_df, test_df, quick, seeds, parallelism),
        "linear": linear_benchmark(train_df, test_df, quick, seeds, parallelism),
    }
    results["seconds"] = time.perf_counter() - started
    return results


def to_markdown(results: dict[str, Any]) -> str:
    """The results as the tables the README quotes."""
    tree = results["tree"]
    linear = results["linear"]
    env = results["environment"]
    n = tree["grid_points"]
    lines = [
        f"# Search efficiency ({results['mode']} run, {results['seeds']} seeds)",
        "",
        f"Machine: {env['system']} {env['machine']}, {env['cpus']} CPUs; Python "
        f"{env['python']}, PySpark {env['pyspark']}, Optuna {env['optuna']}. "
        f"Total {results['seconds']:.0f} s.",
        "",
        results["method_note"],
        "",
        f"## Tree space: {tree['estimator']}, {n}-point grid, {tree['num_folds']}-fold CV",
        "",
        f"Grid best CV RMSE {tree['best_cv_rmse']:.3f} at {tree['best_point']}; fold standard "
        f"error {tree['best_fold_standard_error']:.3f} "
        f"({tree['best_fold_standard_error_pct']:.1f} %); {tree['points_within_one_se']} of "
        f"{n} points lie within one standard error of it.",
        f"Re-scored: fresh folds {tree['best_fresh_fold_rmse']:.3f}, test set "
        f"{tree['best_test_rmse']:.3f}.",
        "",
        f"| method | median fits to the grid's best | seeds reaching it within "
        f"{tree['budget_30pct']} fits (30 %) | pick after 30 %, mean over seeds: CV RMSE | "
        "fresh-fold RMSE | test RMSE |",
        "|---|---|---|---|---|---|",
    ]
    for method, row in tree["methods"].items():
        lines.append(
            f"| {method} | {row['median_fits']} | {row['seeds_within_30pct']} of "
            f"{results['seeds']} | {row['pick_cv_rmse_mean']:.3f} | "
            f"{row['pick_fresh_fold_rmse_mean']:.3f} | {row['pick_test_rmse_mean']:.3f} |"
        )
    searched = [row for name, row in tree["methods"].items() if name != "GridNatural"]
    fresh = [row["pick_fresh_fold_rmse_mean"] for row in searched]
    cv = [row["pick_cv_rmse_mean"] for row in searched]
    lines += [
        "",
        f"Noise: among the searching methods (all but the natural-order grid) the picks' mean "
        f"CV RMSE spans {max(cv) - min(cv):.3f} and their fresh-fold RMSE "
        f"{max(fresh) - min(fresh):.3f}, against a fold standard error of "
        f"{tree['best_fold_standard_error']:.3f}: finding the grid's best sooner does not "
        "give a measurably better model.",
        "(fits = evaluations of one grid point, each a k-fold CV; the natural order is "
        "ParamGridBuilder's, where the last parameter varies fastest.)",
    ]
    target = math.ceil(0.7 * results["seeds"])
    lines += [
        "",
        f"Target: TPE reaches the grid's best within 30 % of the grid's fits in at least "
        f"{target} of {results['seeds']} seeds.",
    ]
    for method in ("OptunaTPE",):
        reached = tree["methods"][method]["seeds_within_30pct"]
        verdict = "meets" if reached >= target else "does not meet"
        lines.append(
            f"Measured: {method} {reached} of {results['seeds']}: it {verdict} the target."
        )
    lines += [
        "",
        f"## Linear space: {linear['grid_points']}-point grid",
        "",
        f"{linear['points_within_1pct']} of {linear['grid_points']} grid points are within "
        f"1 % of the best CV RMSE ({linear['best_cv_rmse']:.3f}). Median fits to get within "
        "1 %: "
        + ", ".join(f"{m} {s['median_fits_to_1pct']}" for m, s in linear["methods"].items())
        + ".",
        "",
        "## Tree against linear, each grid's best on the held-back test set",
        "",
        "| model | grid points | CV fits (points x folds) | seconds for the grid | CV RMSE "
        "| test RMSE |",
        "|---|---|---|---|---|---|",
    ]
    for name, part in (("RandomForestRegressor", tree), ("LinearRegression", linear)):
        lines.append(
            f"| {name} | {part['grid_points']} | {part['grid_points'] * part['num_folds']} | "
            f"{part['table_seconds']:.0f} | {part['best_cv_rmse']:.3f} | "
            f"{part['best_test_rmse']:.3f} |"
        )
    lines.append("")
    return "\n".join(lines)


def write_results(results: dict[str, Any], directory: Path = RESULTS) -> tuple[Path, Path]:
    """Write the .json and .md files; quick runs get their own names."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = "search_efficiency" if results["mode"] == "full" else "search_efficiency_quick"
    json_path = directory / f"{stem}.json"
    md_path = directory / f"{stem}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    md_path.write_text(to_markdown(results))
    return json_path, md_path


def main(argv: Sequence[str] | None = None, out: Callable[[str], Any] = print) -> None:
    """Command line: run, write the results, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny grid, 3 seeds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    results = run(quick=args.quick)
    json_path, md_path = write_results(results)
    out(to_markdown(results))
    out(f"Wrote {json_path} and {md_path}.")


if __name__ == "__main__":
    main()
