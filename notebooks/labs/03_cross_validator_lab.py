# Databricks notebook source
# MAGIC %md
# MAGIC # Lab 3. Cross-validation, tracked in MLflow
# MAGIC
# MAGIC This lab goes with the lesson `03_cross_validator.py`: work through the lesson first.
# MAGIC Fill in each blank marked `# TODO`, then run the check cell below it.
# MAGIC A check shows what is right, or fails with a hint that says what to change.
# MAGIC Each check stands alone, so a blank left open does not block the later ones.
# MAGIC The answers are in `../solutions/03_cross_validator_solution.py`.
# MAGIC
# MAGIC You will:
# MAGIC - build a `CrossValidator` with a seed and 2 folds;
# MAGIC - tune it with MLflow tracking: one parent run, one child per combination;
# MAGIC - read the child runs back as a table, best first.

# COMMAND ----------

# MAGIC %md
# MAGIC This notebook sits one folder deeper than the lessons.
# MAGIC So `../../src` reaches the package, and `../../data` the housing data.

# COMMAND ----------

import sys

sys.path.append("../../src")

# COMMAND ----------

# MAGIC %md
# MAGIC The settings come from widgets, as in the lesson.
# MAGIC The labs log to their own MLflow experiment, so the lessons' experiment stays tidy.

# COMMAND ----------

dbutils.widgets.text("data_source", "../../data/boston_housing.csv", "Data source")
dbutils.widgets.text("label_column", "medv", "Label column")
dbutils.widgets.text("num_folds", "2", "CrossValidator folds")
dbutils.widgets.text("experiment_name", "/Shared/sparkml-tuning-labs", "Experiment")

from sparkml_tuning.tuning import parse_num_folds

data_source = dbutils.widgets.get("data_source")
label_column = dbutils.widgets.get("label_column")
num_folds = parse_num_folds(dbutils.widgets.get("num_folds"))
experiment_name = dbutils.widgets.get("experiment_name")

# COMMAND ----------

# MAGIC %md
# MAGIC The data is loaded and split as in the lesson: a fifth is kept back as a test set.
# MAGIC The pipeline, the evaluator and a small grid are given.
# MAGIC The grid is small on purpose, so that the lab runs in seconds.

# COMMAND ----------

from pyspark.ml.tuning import ParamGridBuilder

from sparkml_tuning.housing_data import (
    feature_columns,
    load_housing_data,
    split_train_test,
)
from sparkml_tuning.tuning import build_evaluator, build_pipeline

housing_df = load_housing_data(spark, data_source)
features = feature_columns(housing_df, label_column)
train_df, test_df = split_train_test(housing_df, test_fraction=0.2, seed=42)
pipeline, lr = build_pipeline(features, label_column)
evaluator = build_evaluator(label_column, "rmse")
# 2 regParam values x 2 fitIntercept = 4 combinations; x 2 folds + 1 refit = 9 fits
param_grid = (
    ParamGridBuilder()
    .addGrid(lr.regParam, [0.0, 0.1])
    .addGrid(lr.fitIntercept, [True, False])
    .build()
)
print(f"{len(param_grid)} combinations, {len(features)} features")

# COMMAND ----------

# MAGIC %md
# MAGIC Autologging is turned on explicitly, as in every notebook of the project.

# COMMAND ----------

import mlflow

from sparkml_tuning.run_tracking import enable_autolog

experiment = mlflow.set_experiment(experiment_name)
enable_autolog()

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 1: the tuner
# MAGIC Create a `CrossValidator` over `pipeline`, `param_grid` and `evaluator`.
# MAGIC Give it `num_folds` folds and the seed 42, so that every run gets the same folds.
# MAGIC Store it in `cv`.

# COMMAND ----------

from pyspark.ml.tuning import CrossValidator

# TODO: a CrossValidator with num_folds folds and seed 42
cv = None

# COMMAND ----------

from sparkml_tuning.lab_checks import check_tuner

check_tuner(
    cv,
    CrossValidator,
    num_param_maps=4,
    seed=42,
    name="cv",
    numFolds=num_folds,
)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 2: tune, tracked in MLflow
# MAGIC Fit `cv` with `tune_with_tracking` from `sparkml_tuning.run_tracking`.
# MAGIC It opens a named parent run, fits, scores the best model on `test_df` and logs it.
# MAGIC Pass the tuner, `train_df`, `test_df`, `evaluator` and `features`.
# MAGIC Store what it returns in `result`.

# COMMAND ----------

# TODO: result = tune_with_tracking(...)
result = None

# COMMAND ----------

from sparkml_tuning.lab_checks import check_tracked_run

check_tracked_run(result, "CrossValidator", num_children=4)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 3: read the children back
# MAGIC Read the child runs of `result.run_id` as a table with `child_runs_table`.
# MAGIC Ask it for the metric `"rmse"`; store the table in `children`.
# MAGIC For CrossValidator each row holds the mean over the folds, `avg_rmse`.

# COMMAND ----------

# TODO: the child runs of result.run_id as a table, best first
children = None

# COMMAND ----------

from sparkml_tuning.lab_checks import check_children_table

check_children_table(
    children,
    num_rows=4,
    metric_column="avg_rmse",
    larger_is_better=False,
)

# COMMAND ----------

# MAGIC %md
# MAGIC ## In the MLflow UI
# MAGIC Start the UI from the repository root with `python -m sparkml_tuning ui`.
# MAGIC On Databricks, open Experiments in the sidebar instead.
# MAGIC Open the experiment `/Shared/sparkml-tuning-labs` and its runs table.
# MAGIC Click the `+` beside `CrossValidator-LinearRegression` to see its four children.
# MAGIC The cell below prints the address of the runs table.

# COMMAND ----------

print(f"runs table: #/experiments/{experiment.experiment_id}/runs")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Review
# MAGIC - `CrossValidator` needs an estimator, a grid, an evaluator, folds and a seed.
# MAGIC - With autolog on, one tuning gives one parent run and one child per combination.
# MAGIC - The children carry the mean (`avg_rmse`) and spread (`std_rmse`) over the folds.
# MAGIC
# MAGIC ## Next
# MAGIC The lesson `04_train_validation_split.py`, then the lab `04_train_validation_split_lab.py`.
