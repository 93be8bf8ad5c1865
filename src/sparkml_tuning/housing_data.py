"""Load the housing data (a CSV path or a table) and check it before any training.

Every check raises `DataValidationError` with a full sentence that says what is wrong and
how to fix it, so a notebook stops at the first cell that can explain the problem instead
of deep inside a Spark job.

NOTE: the repository's `data/boston_housing.csv` has no column `B`. It was built from the
proportion of Black residents per town, on the racist assumption that segregation raised
house prices; scikit-learn dropped the data set in 1.2 for that reason, and the second
edition of "An Introduction to Statistical Learning" ships it without `B`.
"""

from __future__ import annotations

import logging
import os
import re
from functools import reduce

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import NumericType

_logger = logging.getLogger(__name__)

DEFAULT_LABEL = "medv"
_URI_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class DataValidationError(ValueError):
    """The data or a tuning setting cannot be used; the message says how to fix it."""


def is_path(source: str) -> bool:
    """Tell a file path (`../data/x.csv`, `/Volumes/...`, `dbfs:/...`) from a table name."""
    return "/" in source or "\\" in source or source.lower().endswith(".csv")


def load_housing_data(
    spark: SparkSession, source: str, drop_invalid_rows: bool = False
) -> DataFrame:
    """Read the data from a CSV file path or from a (Unity Catalog) table name.

    Args:
        spark: the active SparkSession.
        source: a CSV path (relative paths are relative to the working directory, which is
            the notebook's folder on Databricks and locally) or a table name such as
            `main.default.boston_housing`.
        drop_invalid_rows: drop every row with a null or NaN in any column (the
            `drop_invalid_rows` widget); by default such rows stop `validate_training_data`.

    Raises:
        DataValidationError: the file or the table does not exist.
    """
    df = _read(spark, source.strip())
    if drop_invalid_rows:
        _logger.info("Dropping rows with a null or NaN value, as drop_invalid_rows asks.")
        df = df.na.drop()
    return df


def _read(spark: SparkSession, source: str) -> DataFrame:
    if not source:
        raise DataValidationError(
            "The data source is empty. Set the `data_source` widget to a CSV path such as "
            "`../data/boston_housing.csv` or to a table name such as "
            "`main.default.boston_housing`."
        )
    if is_path(source):
        local = not _URI_SCHEME.match(source) or source.startswith("file:")
        local_path = source.removeprefix("file:")
        if local and not os.path.exists(local_path):
            raise DataValidationError(
                f"The data file {source!r} does not exist (working directory: "
                f"{os.getcwd()}). Check the `data_source` widget: a relative path is read "
                "from the notebook's folder, so the repository's copy is "
                "`../data/boston_housing.csv`."
            )
        _logger.info("Reading CSV data from %s.", source)
        try:
            return spark.read.csv(source, header=True, inferSchema=True)
        except Exception as error:  # Spark raises AnalysisException, whose module varies.
            if "PATH_NOT_FOUND" in str(error) or "does not exist" in str(error):
                raise DataValidationError(
                    f"The data file {source!r} does not exist. Check the `data_source` "
                    "widget and that the cluster can read that location."
                ) from error
            raise
    if not spark.catalog.tableExists(source):
        raise DataValidationError(
            f"The table {source!r} does not exist or is not visible to you. Check the "
            "`data_source` widget (use catalog.schema.table for Unity Catalog) and your "
            "permissions, or pass a CSV path instead."
        )
    _logger.info("Reading table %s.", source)
    return spark.read.table(source)


def feature_columns(df: DataFrame, label: str) -> list[str]:
    """Return every column except the label, in the data's order."""
    return [name for name in df.columns if name != label]


def count_rows_and_invalid(df: DataFrame, columns: list[str]) -> tuple[int, int]:
    """Count all rows, and the rows with a null or NaN in any of `columns`, in one job."""
    numeric = {field.name for field in df.schema.fields if isinstance(field.dataType, NumericType)}
    conditions = [
        F.col(name).isNull() | F.isnan(name) if name in numeric else F.col(name).isNull()
        for name in columns
    ]
    invalid = reduce(lambda left, right: left | right, conditions, F.lit(False))
    row = df.agg(F.count(F.lit(1)), F.sum(F.when(invalid, 1).otherwise(0))).first()
    return int(row[0]), int(row[1] or 0)


def validate_training_data(df: DataFrame, label: str, num_folds: int | None = None) -> int:
    """Check the data before training and return its number of rows.

    Args:
        df: the data to train on (after any train/test split).
        label: the label column.
        num_folds: the CrossValidator's folds, when cross-validating: every fold needs at
            least one row.

    Raises:
        DataValidationError: the label is missing, a column is not numeric, a row has a
            null or NaN, the data is empty, or it has fewer rows than folds.
    """
    if label not in df.columns:
        raise DataValidationError(
            f"The label column {label!r} is not in the data; the columns present are "
            f"{', '.join(df.columns)}. Set the `label_column` widget to one of them."
        )
    numeric = {field.name for field in df.schema.fields if isinstance(field.dataType, NumericType)}
    if not numeric and df.limit(1).count() == 0:
        # A CSV with a header and no rows reads every column as a string.
        raise DataValidationError(
            "The data set is empty (0 rows; a CSV file with only a header line reads as "
            "text columns). Check the `data_source` widget."
        )
    if label not in numeric:
        raise DataValidationError(
            f"The label column {label!r} has type {df.schema[label].dataType.simpleString()}, "
            "but a regression needs a numeric label. Cast it to double before tuning."
        )
    wrong = [
        f"{name} ({df.schema[name].dataType.simpleString()})"
        for name in feature_columns(df, label)
        if name not in numeric
    ]
    if wrong:
        raise DataValidationError(
            f"These feature columns are not numeric: {', '.join(wrong)}. VectorAssembler "
            "only takes numbers: cast them to double, encode them (StringIndexer + "
            "OneHotEncoder), or drop them before tuning."
        )
    if not feature_columns(df, label):
        raise DataValidationError(
            f"The data has no feature columns besides the label {label!r}. Add at least one "
            "numeric feature column."
        )
    rows, invalid = count_rows_and_invalid(df, df.columns)
    if invalid:
        raise DataValidationError(
            f"{invalid} of {rows} rows have a null or NaN value in the label or a feature, "
            "which LinearRegression cannot train on. Fix the data, or set the "
            "`drop_invalid_rows` widget to true to drop those rows before tuning."
        )
    if rows == 0:
        raise DataValidationError(
            "The data set is empty (0 rows). Check the `data_source` widget and any filter "
            "applied before tuning."
        )
    if num_folds is not None and rows < num_folds:
        raise DataValidationError(
            f"The data has {rows} rows, fewer than the {num_folds} folds of cross-validation, "
            "so some folds would be empty. Lower `num_folds` or use more data."
        )
    return rows


def split_train_test(
    df: DataFrame, test_fraction: float = 0.2, seed: int = 42
) -> tuple[DataFrame, DataFrame]:
    """Split off a test set the tuner never sees; seeded, so every run gets the same rows."""
    train_df, test_df = df.randomSplit([1.0 - test_fraction, test_fraction], seed=seed)
    return train_df, test_df
