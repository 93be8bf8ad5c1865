"""Check every value of a parameter grid with the estimator's own validation, before fitting.

Spark checks a param's value in two places: the Python `typeConverter` when the value is
set (a string for `maxIter` fails there), and the JVM's `ParamValidators` (`maxIter >= 0`,
`elasticNetParam` in [0, 1], `regParam >= 0`, `solver` in its list, ...) when the value
reaches the Java object, which a tuner does only inside `fit`, after the data was read and
possibly after many models were fitted. `check_param_maps` sets each value on a copy of the
stage that owns the param (`stage.copy({param: value})`), which runs the type converter and,
on a classic session, transfers the value to a copy of the Java object, where the JVM
validates it. No Spark job runs.

Limitations: over Spark Connect (serverless) a stage has no local Java object, so only the
type converter runs here and the range checks still happen at fit time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pyspark.ml import Estimator, Pipeline
from pyspark.ml.param import Param, Params

from sparkml_tuning.housing_data import DataValidationError
from sparkml_tuning.search_space import ParamMap

_logger = logging.getLogger(__name__)


def pipeline_stages(estimator: Estimator) -> list[Params]:
    """The estimator itself, and every stage when it is a Pipeline (nested ones too)."""
    stages: list[Params] = [estimator]
    if isinstance(estimator, Pipeline):
        for stage in estimator.getStages():
            stages += pipeline_stages(stage) if isinstance(stage, Pipeline) else [stage]
    return stages


def check_grid_not_empty(param_maps: Sequence[ParamMap]) -> None:
    """Refuse a grid without any combination, which a tuner cannot pick from."""
    if len(param_maps) == 0:
        raise DataValidationError(
            "The parameter grid is empty, so there is nothing to tune. Build it with "
            "ParamGridBuilder().addGrid(param, values).build(); an empty builder's build() "
            "gives one combination, the defaults."
        )


def check_param_value(stage: Params, param: Param, value: object) -> None:
    """Set one value on a copy of its stage, so Python and the JVM validate it.

    Raises:
        DataValidationError: the value has the wrong type or is outside the valid range.
    """
    try:
        stage.copy({param: value})
    except Exception as error:  # TypeError from Python, IllegalArgumentException from the JVM
        reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise DataValidationError(
            f"The grid value {value!r} for {type(stage).__name__}.{param.name} is not valid: "
            f"{reason}. Valid values: {param.doc}. Fix the grid before tuning."
        ) from error


def check_param_maps(estimator: Estimator, param_maps: Sequence[ParamMap]) -> int:
    """Validate every (param, value) of a grid against the stage it belongs to.

    Args:
        estimator: what the tuner fits: an estimator or a Pipeline.
        param_maps: the grid, as built by ParamGridBuilder.

    Returns:
        The number of distinct (param, value) pairs checked.

    Raises:
        DataValidationError: the grid is empty, names a param of a stage that is not part of
            the estimator, or holds a value of the wrong type or out of range.
    """
    check_grid_not_empty(param_maps)
    stages = {stage.uid: stage for stage in pipeline_stages(estimator)}
    checked: set[tuple[str, str, str]] = set()
    for param_map in param_maps:
        for param, value in param_map.items():
            key = (param.parent, param.name, repr(value))
            if key in checked:
                continue
            stage = stages.get(param.parent)
            if stage is None:
                raise DataValidationError(
                    f"The grid sets {param.parent}.{param.name}, but no stage of the estimator "
                    f"has the uid {param.parent} (its stages: {', '.join(stages)}), so the "
                    "value would be ignored. Build the grid from the params of the stage "
                    "inside the estimator, e.g. lr.regParam of the lr in the Pipeline."
                )
            check_param_value(stage, param, value)
            checked.add(key)
    _logger.info("Checked %d grid values against their stages.", len(checked))
    return len(checked)
