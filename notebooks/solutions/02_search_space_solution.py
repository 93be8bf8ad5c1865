# Databricks notebook source
# MAGIC %md
# MAGIC # Lab 2. The search space and what it costs: solution
# MAGIC
# MAGIC The lab `../labs/02_search_space_lab.py` with every blank filled in.
# MAGIC Every check cell passes; the test suite runs this notebook to make sure.
# MAGIC
# MAGIC The exercises:
# MAGIC - build the 12-combination grid of the lesson with `ParamGridBuilder`;
# MAGIC - count what it costs with `CrossValidator`, by hand;
# MAGIC - draw a seeded sample of a large grid.

# COMMAND ----------

# MAGIC %md
# MAGIC This notebook sits one folder deeper than the lessons.
# MAGIC So `../../src` reaches the package, and `../../data` the housing data.

# COMMAND ----------

import sys

sys.path.append("../../src")

# COMMAND ----------

# MAGIC %md
# MAGIC `num_folds` sets the cost of cross-validation in exercise 2.
# MAGIC The grids are built on the params of one `LinearRegression`.

# COMMAND ----------

dbutils.widgets.text("label_column", "medv", "Label column")
dbutils.widgets.text("num_folds", "3", "CrossValidator folds")

from pyspark.ml.regression import LinearRegression

from sparkml_tuning.tuning import parse_num_folds

num_folds = parse_num_folds(dbutils.widgets.get("num_folds"))
label_column = dbutils.widgets.get("label_column")
lr = LinearRegression(featuresCol="features", labelCol=label_column)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 1: the grid
# MAGIC Build the grid the lesson searches: `maxIter` in [1, 10, 100].
# MAGIC Then `fitIntercept` and `standardization`, each in [True, False].
# MAGIC Add them in that order, so that the last one varies fastest.

# COMMAND ----------

from pyspark.ml.tuning import ParamGridBuilder

# 3 maxIter values x 2 fitIntercept x 2 standardization = 12 combinations
param_grid = (
    ParamGridBuilder()
    .addGrid(lr.maxIter, [1, 10, 100])
    .addGrid(lr.fitIntercept, [True, False])
    .addGrid(lr.standardization, [True, False])
    .build()
)
print(f"{len(param_grid)} combinations")

# COMMAND ----------

from sparkml_tuning.lab_checks import check_grid

expected_grid = {
    "maxIter": [1, 10, 100],
    "fitIntercept": [True, False],
    "standardization": [True, False],
}
check_grid(param_grid, expected_grid)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 2: the cost
# MAGIC How many models does `CrossValidator` fit for this grid with `num_folds` folds?
# MAGIC Write the arithmetic yourself instead of calling `count_fits`.
# MAGIC Store the number in `cv_fits`.

# COMMAND ----------

# every combination on every fold, then the best one refitted on all the data
cv_fits = 12 * num_folds + 1
print(f"{cv_fits} fits")

# COMMAND ----------

from sparkml_tuning.lab_checks import check_fit_count

check_fit_count(cv_fits, num_combinations=12, num_folds=num_folds)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Exercise 3: a seeded sample
# MAGIC The grid below has 10 x 5 x 2 = 100 combinations: too many to search in full.
# MAGIC Draw 10 of them with `sample_grid` from `sparkml_tuning.search_space`, with seed 42.
# MAGIC Store them in `sampled_grid`.

# COMMAND ----------

big_grid = (
    ParamGridBuilder()
    .addGrid(lr.regParam, [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0])
    .addGrid(lr.elasticNetParam, [0.0, 0.25, 0.5, 0.75, 1.0])
    .addGrid(lr.fitIntercept, [True, False])
    .build()
)
print(f"{len(big_grid)} combinations")

# COMMAND ----------

from sparkml_tuning.search_space import grid_table, sample_grid

sampled_grid = sample_grid(big_grid, 10, seed=42)
display(grid_table(sampled_grid))

# COMMAND ----------

from sparkml_tuning.lab_checks import check_sampled_grid

check_sampled_grid(sampled_grid, big_grid, n=10, seed=42)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Review
# MAGIC - A grid's size is the product of its value counts: 3 x 2 x 2 = 12.
# MAGIC - `CrossValidator` fits combinations x folds + 1 models; the refit is easy to forget.
# MAGIC - A seeded sample keeps the cost fixed and a rerun reproducible.
# MAGIC
# MAGIC ## Next
# MAGIC The lesson `03_cross_validator.py`, then the lab `03_cross_validator_lab.py`.
