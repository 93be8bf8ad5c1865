"""Build what the tuning notebooks share: the pipeline, the evaluator, the grids, the tuners.

The settings arrive from widgets as strings, so every builder validates its inputs and
raises `DataValidationError` with a sentence saying how to fix a bad value.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pyspark.ml import Pipeline
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.regression import LinearRegression
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder, TrainValidationSplit

from sparkml_tuning.housing_data import DataValidationError
from sparkml_tuning.param_checks import check_param_maps
from sparkml_tuning.search_space import DEFAULT_FIT_BUDGET, ParamMap, check_fit_budget

_logger = logging.getLogger(__name__)

METRICS = ("rmse", "mae", "r2")
SEED = 42


def parse_num_folds(value: str | int) -> int:
    """Read `num_folds` (a widget string) and check it is an integer of at least 2."""
    try:
        folds = int(str(value).strip())
    except ValueError:
        raise DataValidationError(
            f"num_folds must be a whole number, got {value!r}. Set the `num_folds` widget "
            "to 2 or more, for example 3."
        ) from None
    if folds < 2:
        raise DataValidationError(
            f"num_folds must be at least 2, got {folds}: cross-validation needs one fold to "
            "validate on and at least one to train on. Set the `num_folds` widget to 2 or more."
        )
    return folds


def parse_train_ratio(value: str | float) -> float:
    """Read `train_ratio` (a widget string) and check it lies strictly between 0 and 1."""
    try:
        ratio = float(str(value).strip())
    except ValueError:
        raise DataValidationError(
            f"train_ratio must be a number between 0 and 1, got {value!r}. Set the "
            "`train_ratio` widget to, for example, 0.75."
        ) from None
    if not 0.0 < ratio < 1.0:
        raise DataValidationError(
            f"train_ratio must lie strictly between 0 and 1, got {ratio}: it is the share "
            "of rows used for training, the rest validates. Set the `train_ratio` widget "
            "to, for example, 0.75."
        )
    return ratio


def parse_metric(value: str) -> str:
    """Check the metric name against the ones this project's evaluator supports."""
    metric = str(value).strip().lower()
    if metric not in METRICS:
        raise DataValidationError(
            f"Unknown metric {value!r}. Choose one of {', '.join(METRICS)} in the `metric` widget."
        )
    return metric


def parse_drop_invalid_rows(value: str | bool) -> bool:
    """Read the `drop_invalid_rows` widget: "true" or "false" (any case)."""
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise DataValidationError(
            f"drop_invalid_rows must be true or false, got {value!r}. Set the "
            "`drop_invalid_rows` widget to true to drop rows with missing values, or false "
            "to stop on them."
        )
    return text == "true"


def parse_parallelism(value: str | int) -> int:
    """Read `parallelism` (models fitted at once by the tuner) and check it is at least 1."""
    try:
        parallelism = int(str(value).strip())
    except ValueError:
        parallelism = 0
    if parallelism < 1:
        raise DataValidationError(
            f"parallelism must be a whole number of at least 1, got {value!r}. Set the "
            "`parallelism` widget to 1, or to about the number of cores of the driver."
        )
    return parallelism


def build_pipeline(feature_cols: Sequence[str], label: str) -> tuple[Pipeline, LinearRegression]:
    """Return a VectorAssembler + LinearRegression pipeline and its regression stage.

    The regression stage is returned too, because the grid is built on its params.
    """
    assembler = VectorAssembler(inputCols=list(feature_cols), outputCol="features")
    lr = LinearRegression(featuresCol="features", labelCol=label)
    return Pipeline(stages=[assembler, lr]), lr


def build_evaluator(label: str, metric: str = "rmse") -> RegressionEvaluator:
    """A RegressionEvaluator for `metric` (rmse, mae or r2) on the label column."""
    return RegressionEvaluator(labelCol=label, predictionCol="prediction", metricName=metric)


def solver_grid(lr: LinearRegression) -> list[ParamMap]:
    """maxIter [1, 10, 100] x fitIntercept x standardization: 3 x 2 x 2 = 12 combinations."""
    return (
        ParamGridBuilder()
        .addGrid(lr.maxIter, [1, 10, 100])
        .addGrid(lr.fitIntercept, [True, False])
        .addGrid(lr.standardization, [True, False])
        .build()
    )


def regularization_grid(lr: LinearRegression) -> list[ParamMap]:
    """regParam [0, 0.01, 0.1, 1] x elasticNetParam [0, 0.5, 1]: 4 x 3 = 12 combinations."""
    return (
        ParamGridBuilder()
        .addGrid(lr.regParam, [0.0, 0.01, 0.1, 1.0])
        .addGrid(lr.elasticNetParam, [0.0, 0.5, 1.0])
        .build()
    )


def build_cross_validator(
    estimator: Pipeline,
    param_maps: list[ParamMap],
    evaluator: RegressionEvaluator,
    num_folds: int = 3,
    parallelism: int = 1,
    fit_budget: int = DEFAULT_FIT_BUDGET,
) -> CrossValidator:
    """A seeded CrossValidator, refused when a grid value is invalid or over the fit budget."""
    num_folds = parse_num_folds(num_folds)
    check_param_maps(estimator, param_maps)
    check_fit_budget(param_maps, num_folds, fit_budget)
    return CrossValidator(
        estimator=estimator,
        estimatorParamMaps=param_maps,
        evaluator=evaluator,
        numFolds=num_folds,
        parallelism=parse_parallelism(parallelism),
        seed=SEED,
    )


def build_train_validation_split(
    estimator: Pipeline,
    param_maps: list[ParamMap],
    evaluator: RegressionEvaluator,
    train_ratio: float = 0.75,
    parallelism: int = 1,
    fit_budget: int = DEFAULT_FIT_BUDGET,
) -> TrainValidationSplit:
    """A seeded TrainValidationSplit, refused for an invalid grid value or over the budget."""
    train_ratio = parse_train_ratio(train_ratio)
    check_param_maps(estimator, param_maps)
    check_fit_budget(param_maps, None, fit_budget)
    return TrainValidationSplit(
        estimator=estimator,
        estimatorParamMaps=param_maps,
        evaluator=evaluator,
        trainRatio=train_ratio,
        parallelism=parse_parallelism(parallelism),
        seed=SEED,
    )
