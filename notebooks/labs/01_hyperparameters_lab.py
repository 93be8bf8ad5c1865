# Databricks notebook source
# MAGIC %md
# MAGIC # Lab 1. Hyperparameters of a Spark ML model
# MAGIC
# MAGIC This lab goes with the lesson `01_hyperparameters.py`: work through the lesson first.
# MAGIC Fill in each blank marked `# TODO`, then run the check cell below it.
# MAGIC A check shows what is right, or fails with a hint that says what to change.
# MAGIC Each check stands alone, so a blank left open does not block the later ones.
# MAGIC The answers are in `../solutions/01_hyperparameters_solution.py`.
# MAGIC
# MAGIC You will:
# MAGIC - create a `LinearRegression` for the housing data;
# MAGIC - name the parameters that can change the fitted model on this data;
# MAGIC - show with two fits that `maxIter` changes nothing here.

# COMMAND ----------

# MAGIC %md
# MAGIC This notebook sits one folder deeper than the lessons.
# MAGIC So `../../src` reaches the package, and `../../data` the housing data.

# COMMAND ----------

import sys

sys.path.append("../../src")

# COMMAND ----------

# MAGIC %md
# MAGIC The data and the label come from widgets, as in the lesson.
# MAGIC The features are assembled into one vector column, `features`, for the fits below.

# COMMAND ----------

dbutils.widgets.text("data_source", "../../data/boston_housing.csv", "Data source")
dbutils.widgets.text("label_column", "medv", "Label column")

from pyspark.ml.feature import VectorAssembler

from sparkml_tuning.housing_data import feature_columns, load_housing_data

label_column = dbutils.widgets.get("label_column")
housing_df = load_housing_data(spark, dbutils.widgets.get("data_source"))
features = feature_columns(housing_df, label_column)
assembler = VectorAssembler(inputCols=features, outputCol="features")
assembled_df = assembler.transform(housing_df)
print(f"{assembled_df.count()} rows, {len(features)} features, label {label_column}")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 1: the estimator
# MAGIC Create a `LinearRegression` that reads the vector column `features`.
# MAGIC It predicts the label column named by the widget, `label_column`.

# COMMAND ----------

from pyspark.ml.regression import LinearRegression

# TODO: a LinearRegression reading "features" and predicting label_column
lr = None

# COMMAND ----------

from sparkml_tuning.lab_checks import check_estimator

check_estimator(lr, LinearRegression, featuresCol="features", labelCol=label_column)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 2: which parameters matter here
# MAGIC Consider `maxIter`, `tol`, `standardization`, `fitIntercept`, `regParam`, `elasticNetParam`.
# MAGIC Which of them can change the fitted model on this data, with the default solver?
# MAGIC Put their names in the set `changes_model`.
# MAGIC The lesson's table of roles, and the reasons below it, hold the answer.

# COMMAND ----------

# TODO: the set of parameter names that can change the model here
changes_model = None

# COMMAND ----------

from sparkml_tuning.lab_checks import check_param_names

check_param_names(
    changes_model,
    expected={"fitIntercept", "regParam", "elasticNetParam"},
    name="changes_model",
    hint="Which parameters does the normal-equation solver never use, and what does "
    "scaling change without a penalty? See the roles table of 01_hyperparameters.py.",
)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 3: check a claim with two fits
# MAGIC Fit `lr` on `assembled_df` twice: with `maxIter=1` and with `maxIter=100`.
# MAGIC `lr.copy({lr.maxIter: 1})` is a copy of `lr` with one parameter changed.
# MAGIC Keep each fit's training RMSE (`model.summary.rootMeanSquaredError`).
# MAGIC Store them in the dict `rmse_by_max_iter`, keyed by the value of `maxIter`.

# COMMAND ----------

# TODO: {1: training RMSE with maxIter=1, 100: training RMSE with maxIter=100}
rmse_by_max_iter = None

# COMMAND ----------

from sparkml_tuning.lab_checks import check_equal_metrics

check_equal_metrics(
    rmse_by_max_iter,
    keys=[1, 100],
    name="rmse_by_max_iter",
    hint="Fit lr.copy({lr.maxIter: value}) on assembled_df for each value.",
)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Review
# MAGIC - An estimator is configured by its params; `explainParams()` lists them all.
# MAGIC - Only some params can change the model on a given data set and solver.
# MAGIC - One pair of fits is enough to test a claim such as "`maxIter` does nothing here".
# MAGIC
# MAGIC ## Next
# MAGIC The lesson `02_search_space.py`, then the lab `02_search_space_lab.py`.
