"""Checks for the lab notebooks: each confirms an exercise or says exactly what to change.

A check returns a `CheckPassed`, which a notebook shows as the cell's result (the lines
that are right). When something is off it raises `LabCheckFailed`, an `AssertionError`,
whose message names the problem and how to fix it. A blank left as shipped (`None`, an
empty builder) fails with the hint for that exercise; no check depends on another, so each
check cell of a lab can be run on its own.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from pyspark.ml.param import Params

from sparkml_tuning.run_tracking import child_runs
from sparkml_tuning.search_space import count_fits, describe_cost, sample_grid

_logger = logging.getLogger(__name__)


class LabCheckFailed(AssertionError):
    """An exercise's answer is missing or wrong; the message says what to change."""


@dataclass(frozen=True)
class CheckPassed:
    """What a passed check confirmed, one line per fact; shown as the cell's result."""

    lines: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(f"OK: {line}" for line in self.lines)

    __repr__ = __str__


def _passed(*lines: str) -> CheckPassed:
    for line in lines:
        _logger.info("Lab check passed: %s", line)
    return CheckPassed(tuple(lines))


def _fail(problem: str, hint: str, right: Sequence[str] = ()) -> LabCheckFailed:
    message = f"{problem} {hint}"
    if right:
        message += " Right so far: " + "; ".join(right) + "."
    return LabCheckFailed(message)


def _require(value: object, name: str, how: str) -> None:
    if value is None:
        raise _fail(f"`{name}` is still None.", how)


def _names(items: Collection[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def check_estimator(
    stage: Params | None, expected_class: type, name: str = "lr", **expected_params: object
) -> CheckPassed:
    """Check that a stage is of the expected class and has the expected param values.

    Args:
        stage: the learner's estimator.
        expected_class: e.g. `LinearRegression`.
        name: the notebook variable, for the messages.
        **expected_params: param name to expected value, e.g. `labelCol="medv"`.
    """
    settings = ", ".join(f"{key}={value!r}" for key, value in expected_params.items())
    how = f"Create it with {expected_class.__name__}({settings})."
    _require(stage, name, how)
    if not isinstance(stage, expected_class):
        raise _fail(
            f"`{name}` is a {type(stage).__name__}, a {expected_class.__name__} was expected.",
            how,
        )
    right = [f"`{name}` is a {expected_class.__name__}"]
    for param, expected in expected_params.items():
        actual = stage.getOrDefault(param)
        if actual != expected:
            raise _fail(f"`{param}` is {actual!r}, {expected!r} was expected.", how, right)
        right.append(f"`{param}` is {expected!r}")
    return _passed(*right)


def check_param_names(
    names: Collection[str] | None, expected: Collection[str], name: str, hint: str
) -> CheckPassed:
    """Check a set of parameter names against the expected set, naming what is off."""
    _require(names, name, f"Set it to the parameter names, e.g. {{'regParam'}}. {hint}")
    given, wanted = set(names), set(expected)
    missing, extra = sorted(wanted - given), sorted(given - wanted)
    right = [f"{_names(sorted(given & wanted))} belong"] if given & wanted else []
    problems = []
    if missing:
        problems.append(f"missing: {_names(missing)}")
    if extra:
        problems.append(f"not expected: {_names(extra)}")
    if problems:
        raise _fail(
            f"`{name}` has {len(given & wanted)} of the {len(wanted)} expected names; "
            + "; ".join(problems)
            + ".",
            hint,
            right,
        )
    return _passed(f"`{name}` is exactly {_names(sorted(wanted))}")


def check_equal_metrics(
    metrics: Mapping[object, float] | None, keys: Sequence[object], name: str, hint: str
) -> CheckPassed:
    """Check that a metric was recorded for each key and that all the values are equal."""
    _require(metrics, name, f"Make it a dict with the keys {list(keys)}. {hint}")
    missing = [key for key in keys if key not in metrics]
    if missing:
        raise _fail(f"`{name}` has no value for {missing}; its keys are {list(metrics)}.", hint)
    values = [metrics[key] for key in keys]
    if not all(isinstance(value, int | float) and math.isfinite(value) for value in values):
        raise _fail(f"`{name}` holds {values}; every value must be a finite number.", hint)
    if max(values) - min(values) > 1e-9:
        shown = {key: round(metrics[key], 6) for key in keys}
        raise _fail(
            f"The values differ: {shown}. Change nothing but the parameter between the fits.",
            hint,
        )
    return _passed(f"every value of `{name}` is {values[0]:.3f}: the parameter changed nothing")


def check_grid(
    param_maps: Sequence[Mapping] | None, expected: Mapping[str, Sequence[object]]
) -> CheckPassed:
    """Check a ParamGridBuilder grid: its size, its parameters and each one's values.

    Args:
        param_maps: the learner's grid, the list that `ParamGridBuilder().build()` returns.
        expected: each parameter's short name and its expected values, in grid order.
    """
    arithmetic = " x ".join(f"{len(values)} {param}" for param, values in expected.items())
    how = "Add each parameter once with .addGrid(lr.<param>, [values]), then call .build()."
    _require(param_maps, "param_grid", how)
    if not isinstance(param_maps, list) or not all(isinstance(m, dict) for m in param_maps):
        raise _fail(
            "`param_grid` is not a list of param maps.", f"End the chain with .build(). {how}"
        )
    want = math.prod(len(values) for values in expected.values())
    values_of: dict[str, set] = {}
    for param_map in param_maps:
        for param, value in param_map.items():
            values_of.setdefault(param.name, set()).add(value)
    problems, right = [], []
    missing = [param for param in expected if param not in values_of]
    extra = sorted(param for param in values_of if param not in expected)
    if missing:
        problems.append(f"{_names(missing)} {'is' if len(missing) == 1 else 'are'} missing")
    if extra:
        problems.append(f"{_names(extra)} should not be in it")
    for param, values in expected.items():
        if param not in values_of:
            continue
        if values_of[param] == set(values):
            right.append(f"`{param}` has the values {list(values)}")
        else:
            given = sorted(values_of[param], key=repr)
            problems.append(f"`{param}` has the values {given}, {list(values)} were expected")
    plural = "combination" if len(param_maps) == 1 else "combinations"
    if problems or len(param_maps) != want:
        raise _fail(
            f"The grid has {len(param_maps)} {plural}, {want} were expected ({arithmetic}); "
            + "; ".join(problems or ["a parameter was added twice"])
            + ".",
            how,
            right,
        )
    return _passed(f"the grid has {want} combinations: {arithmetic}", *right)


def check_fit_count(
    fits: int | None, num_combinations: int, num_folds: int | None = None, name: str = "cv_fits"
) -> CheckPassed:
    """Check a count of model fits against combinations x folds (or 1 split) + 1 refit."""
    per = "1 split" if num_folds is None else f"{num_folds} folds"
    unit = "split" if num_folds is None else "fold"
    how = f"Count one fit per combination and per {unit}, plus the final refit."
    _require(fits, name, how)
    expected = count_fits(num_combinations, num_folds)
    if fits == expected:
        return _passed(f"`{name}` = {describe_cost(num_combinations, num_folds)}")
    if fits == expected - 1:
        problem = (
            f"`{name}` is {fits}: that leaves out the final refit of the best combination "
            "on all the training data."
        )
    elif num_folds is not None and fits in (num_combinations, num_combinations + 1):
        problem = (
            f"`{name}` is {fits}: with cross-validation each combination is fitted once per "
            f"fold, {num_folds} times."
        )
    else:
        problem = (
            f"`{name}` is {fits}, {expected} was expected for {num_combinations} "
            f"combinations and {per}."
        )
    raise _fail(problem, how)


def check_sampled_grid(
    sampled: Sequence[Mapping] | None, grid: Sequence[Mapping], n: int, seed: int
) -> CheckPassed:
    """Check a seeded sample of a grid: its size, its origin, its order and its seed."""
    how = f"Draw it with sample_grid(big_grid, {n}, seed={seed})."
    _require(sampled, "sampled_grid", how)
    sampled = list(sampled)
    if len(sampled) != n:
        raise _fail(f"`sampled_grid` has {len(sampled)} combinations, {n} were expected.", how)
    positions = [grid.index(m) if m in grid else None for m in sampled]
    if None in positions:
        raise _fail("Some combinations of `sampled_grid` are not in `big_grid`.", how)
    right = [f"{n} combinations, all from `big_grid`"]
    if positions != sorted(positions):
        raise _fail(
            "The sample is not in the grid's order, so ties would break differently.",
            how,
            right,
        )
    if sampled != sample_grid(grid, n, seed):
        raise _fail(
            f"This is another sample than seed {seed} gives; a rerun must try the same "
            "combinations.",
            how,
            right,
        )
    return _passed(*right, f"the same sample as seed {seed} gives, in grid order")


def check_tuner(
    tuner: object,
    expected_class: type,
    num_param_maps: int,
    seed: int,
    name: str,
    **expected_params: object,
) -> CheckPassed:
    """Check a CrossValidator or TrainValidationSplit: class, grid size, seed and settings.

    Args:
        tuner: the learner's tuner.
        expected_class: `CrossValidator` or `TrainValidationSplit`.
        num_param_maps: the size of the grid it should search.
        seed: the expected seed.
        name: the notebook variable, for the messages.
        **expected_params: e.g. `numFolds=2` or `trainRatio=0.75`.
    """
    settings = ", ".join(f"{key}={value!r}" for key, value in expected_params.items())
    how = (
        f"Create it with {expected_class.__name__}(estimator=pipeline, "
        f"estimatorParamMaps=param_grid, evaluator=evaluator, {settings}, seed={seed})."
    )
    _require(tuner, name, how)
    if not isinstance(tuner, expected_class):
        raise _fail(
            f"`{name}` is a {type(tuner).__name__}, a {expected_class.__name__} was expected.",
            how,
        )
    right = [f"`{name}` is a {expected_class.__name__}"]
    for param in ("estimator", "estimatorParamMaps", "evaluator"):
        if not tuner.isDefined(param) or tuner.getOrDefault(param) is None:
            raise _fail(f"`{name}` has no {param}.", how, right)
    maps = tuner.getEstimatorParamMaps()
    if len(maps) != num_param_maps:
        raise _fail(
            f"`{name}` searches {len(maps)} combinations, {num_param_maps} were expected: "
            "pass `param_grid` as estimatorParamMaps.",
            how,
            right,
        )
    right.append(f"it searches {num_param_maps} combinations")
    for param, expected in {**expected_params, "seed": seed}.items():
        actual = tuner.getOrDefault(param)
        if actual != expected:
            set_by_user = "" if tuner.isSet(param) else " (the default)"
            raise _fail(
                f"`{param}` is {actual!r}{set_by_user}, {expected!r} was expected.", how, right
            )
        right.append(f"`{param}` is {expected!r}")
    return _passed(*right)


def check_tracked_run(result: object, tuner_name: str, num_children: int) -> CheckPassed:
    """Check a tracked tuning: a parent run tagged with the tuner, its children, a test metric.

    Args:
        result: what `tune_with_tracking` returned (or the parent's run id).
        tuner_name: `CrossValidator` or `TrainValidationSplit`.
        num_children: one child run per combination is expected.
    """
    how = "Call tune_with_tracking(tuner, train_df, test_df, evaluator, features)."
    _require(result, "result", how)
    run_id = getattr(result, "run_id", result)
    client = MlflowClient()
    try:
        parent = client.get_run(str(run_id))
    except MlflowException:
        raise _fail(f"MLflow has no run with the id {run_id!r}.", how) from None
    tuner = parent.data.tags.get("tuner")
    if tuner != tuner_name:
        raise _fail(
            f"The run is tagged tuner={tuner!r}, {tuner_name!r} was expected.",
            f"Tune the {tuner_name} of this lab. {how}",
        )
    right = [f"the parent run `{parent.info.run_name}` is tagged tuner={tuner_name!r}"]
    children = child_runs(parent.info.run_id)
    if not children:
        raise _fail(
            "The parent run has no child runs: autolog was off during the fit.",
            f"Call enable_autolog() before tuning. {how}",
            right,
        )
    if len(children) != num_children:
        raise _fail(
            f"The parent run has {len(children)} child runs, {num_children} were expected, "
            "one per combination.",
            "Tune `param_grid` once, in a fresh parent run.",
            right,
        )
    right.append(f"{num_children} child runs, one per combination")
    tests = {key: value for key, value in parent.data.metrics.items() if key.startswith("test_")}
    if not tests:
        raise _fail("The parent run has no test metric.", how, right)
    right.extend(f"{key} = {value:.3f}" for key, value in sorted(tests.items()))
    return _passed(*right)


def check_children_table(
    children: pd.DataFrame | None, num_rows: int, metric_column: str, larger_is_better: bool
) -> CheckPassed:
    """Check the child runs read back as a table: one row each, the metric, best first."""
    how = 'Read it with child_runs_table(result.run_id, "rmse").'
    _require(children, "children", how)
    if not isinstance(children, pd.DataFrame):
        raise _fail(f"`children` is a {type(children).__name__}, not a pandas DataFrame.", how)
    if len(children) != num_rows:
        raise _fail(
            f"`children` has {len(children)} rows, {num_rows} were expected, one per child run.",
            how,
        )
    right = [f"{num_rows} rows, one per child run"]
    if metric_column not in children.columns:
        raise _fail(
            f"`children` has no column `{metric_column}`; its columns are "
            f"{_names(children.columns)}.",
            how,
            right,
        )
    right.append(f"the column `{metric_column}`")
    values = children[metric_column].tolist()
    ordered = sorted(values, reverse=larger_is_better)
    if values != ordered:
        best = "largest" if larger_is_better else "smallest"
        raise _fail(
            f"The rows are not sorted best first: the {best} `{metric_column}` comes first.",
            how,
            right,
        )
    return _passed(*right, f"best first: `{metric_column}` = {values[0]:.3f} in the first row")
