"""Missing values and schema problems stop the run before training, with a count and a fix."""

from __future__ import annotations

import pytest

from sparkml_tuning.housing_data import (
    DataValidationError,
    load_housing_data,
    validate_training_data,
)
from sparkml_tuning.tuning import parse_drop_invalid_rows

CSV = "crim,rm,medv\n0.1,6.5,24.0\n0.2,,21.6\n0.3,7.1,NaN\n0.4,6.2,18.0\n"


def test_nulls_and_nans_are_counted_and_the_widget_offered(spark, tmp_path):
    path = tmp_path / "housing.csv"
    path.write_text(CSV)
    df = load_housing_data(spark, str(path))
    with pytest.raises(
        DataValidationError, match=r"2 of 4 rows have a null or NaN.*`drop_invalid_rows`"
    ):
        validate_training_data(df, "medv", num_folds=2)


def test_drop_invalid_rows_keeps_the_complete_rows(spark, tmp_path):
    path = tmp_path / "housing.csv"
    path.write_text(CSV)
    df = load_housing_data(spark, str(path), drop_invalid_rows=True)
    assert validate_training_data(df, "medv", num_folds=2) == 2


def test_the_job_counter_sees_a_job_of_another_group(spark, spark_jobs_started):
    before = spark_jobs_started()
    spark.sparkContext.setJobGroup("counter-check", "a job outside the default group")
    try:
        spark.range(3).count()
    finally:
        spark.sparkContext._jsc.clearJobGroup()  # PySpark has no clearJobGroup of its own
    assert spark_jobs_started() > before


def test_schema_problems_are_found_without_a_spark_job(spark, spark_jobs_started):
    df = spark.createDataFrame([(1.0, "a", 3.0)], ["x", "town", "medv"])
    before = spark_jobs_started()
    with pytest.raises(DataValidationError, match="'price' is not in the data.*x, town, medv"):
        validate_training_data(df, "price")
    with pytest.raises(DataValidationError, match=r"not numeric: town \(string\)"):
        validate_training_data(df, "medv")
    assert spark_jobs_started() == before


def test_missing_file_is_found_without_a_spark_job(spark, spark_jobs_started, tmp_path):
    before = spark_jobs_started()
    with pytest.raises(DataValidationError, match="does not exist.*`data_source` widget"):
        load_housing_data(spark, str(tmp_path / "nope.csv"))
    assert spark_jobs_started() == before


@pytest.mark.parametrize(("value", "expected"), [("false", False), (" TRUE ", True), (True, True)])
def test_drop_invalid_rows_widget(value, expected):
    assert parse_drop_invalid_rows(value) is expected


def test_drop_invalid_rows_widget_refuses_other_words():
    with pytest.raises(DataValidationError, match="must be true or false, got 'yes'"):
        parse_drop_invalid_rows("yes")


def test_header_only_csv_is_called_empty(spark, tmp_path):
    path = tmp_path / "housing.csv"
    path.write_text("crim,rm,medv\n")
    df = load_housing_data(spark, str(path))
    with pytest.raises(DataValidationError, match=r"data set is empty \(0 rows; a CSV file"):
        validate_training_data(df, "medv", num_folds=2)
