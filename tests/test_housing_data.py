"""Loading and validating the housing data: each failure explains itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparkml_tuning.housing_data import (
    DataValidationError,
    feature_columns,
    is_path,
    load_housing_data,
    validate_training_data,
)

HOUSING_CSV = Path(__file__).resolve().parents[1] / "data" / "boston_housing.csv"


def test_loads_the_csv_without_column_b(spark):
    df = load_housing_data(spark, str(HOUSING_CSV))
    assert df.count() == 506
    assert "b" not in [name.lower() for name in df.columns]
    assert len(feature_columns(df, "medv")) == 12
    assert validate_training_data(df, "medv", num_folds=3) == 506


def test_tells_paths_from_table_names():
    assert is_path("../data/boston_housing.csv")
    assert is_path("/Volumes/main/default/raw/housing.csv")
    assert not is_path("main.default.boston_housing")


def test_missing_file_names_the_widget(spark, tmp_path):
    with pytest.raises(DataValidationError, match="does not exist.*data_source"):
        load_housing_data(spark, str(tmp_path / "nope.csv"))


def test_missing_table(spark):
    with pytest.raises(DataValidationError, match="table 'no_such_housing_table' does not"):
        load_housing_data(spark, "no_such_housing_table")


def test_absent_label_lists_the_columns(spark):
    df = spark.createDataFrame([(1.0, 2.0)], ["x", "y"])
    with pytest.raises(DataValidationError, match="'medv' is not in the data.*x, y"):
        validate_training_data(df, "medv")


def test_non_numeric_feature_is_named(spark):
    df = spark.createDataFrame([(1.0, "a", 3.0)], ["x", "town", "medv"])
    with pytest.raises(DataValidationError, match=r"not numeric: town \(string\)"):
        validate_training_data(df, "medv")


def test_empty_data(spark):
    df = spark.createDataFrame([(1.0, 2.0)], ["x", "medv"]).limit(0)
    with pytest.raises(DataValidationError, match="empty"):
        validate_training_data(df, "medv")


def test_fewer_rows_than_folds(spark):
    df = spark.createDataFrame([(1.0, 2.0), (2.0, 3.0)], ["x", "medv"])
    with pytest.raises(DataValidationError, match="2 rows, fewer than the 3 folds"):
        validate_training_data(df, "medv", num_folds=3)
    assert validate_training_data(df, "medv", num_folds=2) == 2
