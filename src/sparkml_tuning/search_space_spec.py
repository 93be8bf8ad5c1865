"""A search space written once, as one small spec per hyperparameter.

The same spec drives the three search methods of `search_methods`: a fine grid
(`grid_param_maps`), seeded random samples (`sample_param_maps`) and Optuna's TPE sampler
(`suggest_values`). A spec is a numeric range (low, high, log scale or not, integer or
not) or a list of choices. Every range is checked when the spec is made, and the names are
checked against the estimator (`check_space`) before anything is fitted.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyspark.ml import Estimator
from pyspark.ml.tuning import ParamGridBuilder

from sparkml_tuning.search_space import ParamMap

_logger = logging.getLogger(__name__)


class SearchSpaceError(ValueError):
    """A search space cannot be searched; the message says how to fix it."""


@dataclass(frozen=True)
class ParamSpec:
    """One hyperparameter of a search space: a numeric range or a list of choices.

    Attributes:
        name: the estimator's param name, e.g. `regParam`.
        low: the smallest value of a range (None for choices).
        high: the largest value of a range (None for choices).
        log: draw and space values evenly on a log scale (needs low > 0).
        integer: whole numbers only (`maxDepth`, `numTrees`).
        choices: the allowed values, instead of a range.
    """

    name: str
    low: float | None = None
    high: float | None = None
    log: bool = False
    integer: bool = False
    choices: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        if self.choices is not None:
            if self.low is not None or self.high is not None:
                raise SearchSpaceError(
                    f"The spec of {self.name!r} has both choices and a range. Give either "
                    "choices=(...) or low and high, not both."
                )
            if len(self.choices) == 0:
                raise SearchSpaceError(
                    f"The spec of {self.name!r} has an empty list of choices. Give at least "
                    "one value."
                )
            return
        if self.low is None or self.high is None:
            raise SearchSpaceError(
                f"The spec of {self.name!r} has neither choices nor both bounds. Give "
                "low and high, or choices=(...)."
            )
        if self.low > self.high:
            raise SearchSpaceError(
                f"The range of {self.name!r} has low={self.low} above high={self.high}. "
                "Swap the bounds so that low <= high."
            )
        if self.log and self.low <= 0:
            raise SearchSpaceError(
                f"The range of {self.name!r} is on a log scale but starts at {self.low}; "
                "a log range must lie above 0. Start it at a small positive value such as "
                "1e-4, or set log=False."
            )
        if self.integer and (self.low != int(self.low) or self.high != int(self.high)):
            raise SearchSpaceError(
                f"The integer range of {self.name!r} has bounds {self.low} and {self.high}, "
                "which are not whole numbers. Use whole-number bounds."
            )

    @classmethod
    def uniform(cls, name: str, low: float, high: float) -> ParamSpec:
        """A real range sampled evenly between low and high."""
        return cls(name, low, high)

    @classmethod
    def log_uniform(cls, name: str, low: float, high: float) -> ParamSpec:
        """A real range sampled evenly on a log scale (every decade equally often)."""
        return cls(name, low, high, log=True)

    @classmethod
    def int_range(cls, name: str, low: int, high: int, log: bool = False) -> ParamSpec:
        """A whole-number range, both bounds included."""
        return cls(name, low, high, log=log, integer=True)

    @classmethod
    def choice(cls, name: str, choices: Sequence[Any]) -> ParamSpec:
        """A list of allowed values (strings, or the points of a fixed grid)."""
        return cls(name, choices=tuple(choices))

    def grid_values(self, points: int) -> list[Any]:
        """`points` values evenly spaced over the range (log spaced for a log range).

        Choices are returned as they are. Integer values are rounded and de-duplicated,
        so a narrow integer range can give fewer than `points` values.
        """
        if self.choices is not None:
            return list(self.choices)
        if points < 1:
            raise SearchSpaceError(
                f"A grid needs at least 1 point per parameter, got {points} for "
                f"{self.name!r}. Use 2 or more points to span the range."
            )
        if points == 1 or self.low == self.high:
            values = [self.low]
        elif self.log:
            values = list(np.geomspace(self.low, self.high, points))
        else:
            values = list(np.linspace(self.low, self.high, points))
        if self.integer:
            return sorted({int(round(value)) for value in values})
        return [float(value) for value in values]

    def sample(self, rng: random.Random) -> Any:
        """One random value of this spec (uniform, or log-uniform for a log range)."""
        if self.choices is not None:
            return rng.choice(self.choices)
        assert self.low is not None and self.high is not None
        if self.integer:
            if self.log:
                # Log-uniform over [low, high + 1), floored: each integer gets the share
                # of the log scale that rounds down to it.
                drawn = math.exp(rng.uniform(math.log(self.low), math.log(self.high + 1)))
                return min(int(drawn), int(self.high))
            return rng.randint(int(self.low), int(self.high))
        if self.log:
            return math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        return rng.uniform(self.low, self.high)

    def suggest(self, trial: Any) -> Any:
        """Ask an Optuna trial for a value of this spec."""
        if self.choices is not None:
            return trial.suggest_categorical(self.name, list(self.choices))
        if self.integer:
            return trial.suggest_int(self.name, int(self.low), int(self.high), log=self.log)
        return trial.suggest_float(self.name, float(self.low), float(self.high), log=self.log)


def check_space(estimator: Estimator, space: Sequence[ParamSpec]) -> None:
    """Refuse a space the estimator cannot take, before any fit.

    Raises:
        SearchSpaceError: the space is empty, names a param twice, or names a param the
            estimator does not have.
    """
    if not space:
        raise SearchSpaceError(
            "The search space is empty. Give at least one ParamSpec, for example "
            "ParamSpec.log_uniform('regParam', 1e-4, 10.0)."
        )
    names = [spec.name for spec in space]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise SearchSpaceError(
            f"The search space names {', '.join(repeated)} more than once. Keep one spec "
            "per hyperparameter."
        )
    unknown = [name for name in names if not estimator.hasParam(name)]
    if unknown:
        raise SearchSpaceError(
            f"{type(estimator).__name__} has no parameter named {', '.join(unknown)}. "
            "Check the spelling (Spark uses camelCase, e.g. regParam) against "
            "estimator.explainParams()."
        )


def to_param_map(estimator: Estimator, values: dict[str, Any]) -> ParamMap:
    """Turn `{name: value}` into a Spark param map of the estimator."""
    return {estimator.getParam(name): value for name, value in values.items()}


def from_param_map(param_map: ParamMap) -> dict[str, Any]:
    """Turn a Spark param map into `{name: value}`."""
    return {param.name: value for param, value in param_map.items()}


def grid_param_maps(
    estimator: Estimator, space: Sequence[ParamSpec], points: int
) -> list[ParamMap]:
    """The full grid of the space, `points` values per range (choices as given)."""
    check_space(estimator, space)
    builder = ParamGridBuilder()
    for spec in space:
        builder = builder.addGrid(estimator.getParam(spec.name), spec.grid_values(points))
    param_maps = builder.build()
    _logger.info("Grid of %d combinations over %s.", len(param_maps), [s.name for s in space])
    return param_maps


def sample_param_maps(
    estimator: Estimator, space: Sequence[ParamSpec], n: int, seed: int
) -> list[ParamMap]:
    """`n` seeded random combinations of the space (each param drawn independently)."""
    check_space(estimator, space)
    if n < 1:
        raise SearchSpaceError(
            f"Random search needs at least 1 sample, got {n}. Set the number of trials to "
            "1 or more."
        )
    rng = random.Random(seed)
    return [
        to_param_map(estimator, {spec.name: spec.sample(rng) for spec in space}) for _ in range(n)
    ]


def suggest_values(trial: Any, space: Sequence[ParamSpec]) -> dict[str, Any]:
    """Ask an Optuna trial for one value per spec."""
    return {spec.name: spec.suggest(trial) for spec in space}
