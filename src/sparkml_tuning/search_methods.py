"""Three ways to search one space: a fine grid, random samples, and Optuna's TPE sampler.

All three score a combination the same way, by k-fold cross-validation on the same folds
(CrossValidator's: a `rand(seed)` column cut into k equal ranges), so their metrics can be
compared directly:

- `grid_search` and `random_search` run a CrossValidator over their param maps, with its
  `parallelism` (fits at once);
- `optuna_search` runs one trial per combination; a trial is our own fold loop over the same
  folds (CrossValidator would refit every trial on all the data, one fit more per trial),
  and `n_jobs` trials run at once, each submitting its Spark jobs from its own thread.

Each returns a `SearchResult` with every evaluated combination and the best model refitted
on all the training rows. `search_tracking.log_search` records it in autolog's shape.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import optuna
from pyspark.ml import Estimator, Model
from pyspark.ml.evaluation import Evaluator
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from sparkml_tuning.search_space import count_fits
from sparkml_tuning.search_space_spec import (
    ParamSpec,
    check_space,
    from_param_map,
    grid_param_maps,
    sample_param_maps,
    suggest_values,
    to_param_map,
)
from sparkml_tuning.tuning import SEED, build_cross_validator, parse_num_folds, parse_parallelism

_logger = logging.getLogger(__name__)

GRID_SEARCH = "GridSearch"
RANDOM_SEARCH = "RandomSearch"
OPTUNA_TPE = "OptunaTPE"


@dataclass
class Evaluation:
    """One cross-validated combination: its searched values, mean and std over the folds."""

    params: dict[str, Any]
    avg_metric: float
    std_metric: float


@dataclass
class SearchResult:
    """What a search returns: every evaluation in order, the cost, and the best model."""

    method: str
    metric: str
    larger_is_better: bool
    num_folds: int
    evaluations: list[Evaluation]
    num_fits: int
    fit_seconds: float
    model: Model
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def best(self) -> Evaluation:
        """The best evaluation (the first one seen, on ties, as CrossValidator does)."""
        sign = -1.0 if self.larger_is_better else 1.0
        return min(self.evaluations, key=lambda e: sign * e.avg_metric)


def _larger_is_better(evaluator: Evaluator) -> bool:
    return bool(evaluator.isLargerBetter())


def _metric_name(evaluator: Evaluator) -> str:
    return str(evaluator.getOrDefault("metricName"))


def _cross_validated_search(
    method: str,
    estimator: Estimator,
    param_maps: list,
    train_df: DataFrame,
    evaluator: Evaluator,
    num_folds: int,
    parallelism: int,
    settings: dict[str, Any],
) -> SearchResult:
    """Run a CrossValidator over `param_maps` and collect every combination's metrics."""
    fits = count_fits(len(param_maps), num_folds)
    tuner = build_cross_validator(
        estimator, param_maps, evaluator, num_folds, parallelism, fit_budget=fits
    )
    started = time.perf_counter()
    cv_model = tuner.fit(train_df)
    seconds = time.perf_counter() - started
    evaluations = [
        Evaluation(from_param_map(param_map), float(avg), float(std))
        for param_map, avg, std in zip(
            param_maps, cv_model.avgMetrics, cv_model.stdMetrics, strict=True
        )
    ]
    _logger.info("%s: %d combinations, %d fits in %.1f s.", method, len(param_maps), fits, seconds)
    return SearchResult(
        method=method,
        metric=_metric_name(evaluator),
        larger_is_better=_larger_is_better(evaluator),
        num_folds=num_folds,
        evaluations=evaluations,
        num_fits=fits,
        fit_seconds=seconds,
        model=cv_model.bestModel,
        settings={**settings, "parallelism": parallelism, "seed": SEED},
    )


def grid_search(
    estimator: Estimator,
    space: Sequence[ParamSpec],
    points: int,
    train_df: DataFrame,
    evaluator: Evaluator,
    num_folds: int = 3,
    parallelism: int = 1,
) -> SearchResult:
    """Cross-validate the full grid of the space, `points` values per range."""
    num_folds = parse_num_folds(num_folds)
    param_maps = grid_param_maps(estimator, space, points)
    settings = {"points_per_param": points, "num_trials": len(param_maps)}
    return _cross_validated_search(
        GRID_SEARCH, estimator, param_maps, train_df, evaluator, num_folds, parallelism, settings
    )


def random_search(
    estimator: Estimator,
    space: Sequence[ParamSpec],
    n_trials: int,
    train_df: DataFrame,
    evaluator: Evaluator,
    num_folds: int = 3,
    parallelism: int = 1,
    seed: int = SEED,
) -> SearchResult:
    """Cross-validate `n_trials` seeded random combinations of the space."""
    num_folds = parse_num_folds(num_folds)
    param_maps = sample_param_maps(estimator, space, n_trials, seed)
    settings = {"num_trials": n_trials, "sample_seed": seed}
    return _cross_validated_search(
        RANDOM_SEARCH, estimator, param_maps, train_df, evaluator, num_folds, parallelism, settings
    )


def fold_splits(
    df: DataFrame, num_folds: int, seed: int = SEED
) -> list[tuple[DataFrame, DataFrame]]:
    """(train, validation) pairs cut exactly as CrossValidator cuts them for this seed."""
    rand_col = "_fold_rand"
    with_rand = df.select("*", F.rand(seed).alias(rand_col))
    width = 1.0 / num_folds
    splits = []
    for fold in range(num_folds):
        inside = (with_rand[rand_col] >= fold * width) & (with_rand[rand_col] < (fold + 1) * width)
        train = with_rand.filter(~inside).drop(rand_col)
        validation = with_rand.filter(inside).drop(rand_col)
        splits.append((train, validation))
    return splits


def cross_validate(
    estimator: Estimator,
    param_map: dict,
    folds: Sequence[tuple[DataFrame, DataFrame]],
    evaluator: Evaluator,
) -> tuple[float, float]:
    """Mean and standard deviation (over folds, as CrossValidator's stdMetrics) of a metric."""
    scores = []
    for train, validation in folds:
        model = estimator.fit(train, param_map)
        scores.append(evaluator.evaluate(model.transform(validation)))
    return float(np.mean(scores)), float(np.std(scores))


def optuna_search(
    estimator: Estimator,
    space: Sequence[ParamSpec],
    n_trials: int,
    train_df: DataFrame,
    evaluator: Evaluator,
    num_folds: int = 3,
    n_jobs: int = 1,
    seed: int = SEED,
) -> SearchResult:
    """Let Optuna's TPE sampler choose `n_trials` combinations, each scored by k-fold CV.

    With `n_jobs` above 1, that many trials run at once (threads of this driver, each one
    submitting Spark jobs); TPE then proposes a trial before the running ones finish, so a
    seeded run is only reproducible with `n_jobs=1`.
    """
    check_space(estimator, space)
    num_folds = parse_num_folds(num_folds)
    n_jobs = parse_parallelism(n_jobs)
    if n_trials < 1:
        raise ValueError(
            f"Optuna needs at least 1 trial, got {n_trials}. Set the number of trials to 1 or more."
        )
    larger = _larger_is_better(evaluator)
    folds = [
        (train.cache(), validation.cache())
        for train, validation in fold_splits(train_df, num_folds)
    ]

    def objective(trial: optuna.Trial) -> float:
        values = suggest_values(trial, space)
        avg, std = cross_validate(estimator, to_param_map(estimator, values), folds, evaluator)
        trial.set_user_attr("std_metric", std)
        return avg

    # Independent TPE, one parameter at a time, asked for explicitly because Optuna 5 defaults
    # to the multivariate TPE. On the benchmark's tree grid the independent one found the best
    # sooner (median 25.5 fits against 34) but 7 of 20 seeds never found it, against none:
    # see benchmarks/tpe_variants.py.
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=False)
    study = optuna.create_study(direction="maximize" if larger else "minimize", sampler=sampler)
    started = time.perf_counter()
    study.optimize(objective, n_trials=n_trials, n_jobs=n_jobs)
    evaluations = [
        Evaluation(dict(trial.params), float(trial.value), float(trial.user_attrs["std_metric"]))
        for trial in sorted(study.trials, key=lambda t: t.number)
        if trial.state == optuna.trial.TrialState.COMPLETE
    ]
    best_values = dict(study.best_trial.params)
    model = estimator.fit(train_df, to_param_map(estimator, best_values))
    seconds = time.perf_counter() - started
    for train, validation in folds:
        train.unpersist()
        validation.unpersist()
    fits = count_fits(len(evaluations), num_folds)
    _logger.info("%s: %d trials, %d fits in %.1f s.", OPTUNA_TPE, len(evaluations), fits, seconds)
    return SearchResult(
        method=OPTUNA_TPE,
        metric=_metric_name(evaluator),
        larger_is_better=larger,
        num_folds=num_folds,
        evaluations=evaluations,
        num_fits=fits,
        fit_seconds=seconds,
        model=model,
        settings={"num_trials": n_trials, "n_jobs": n_jobs, "sample_seed": seed, "seed": SEED},
    )
