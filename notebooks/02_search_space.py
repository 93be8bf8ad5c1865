# Databricks notebook source
# MAGIC %md
# MAGIC # 2. The search space and what it costs
# MAGIC
# MAGIC A tuner tries combinations of hyperparameter values: the search space.
# MAGIC Every combination costs model fits, and the count grows as a product.
# MAGIC
# MAGIC You will learn:
# MAGIC - how `ParamGridBuilder` turns value lists into a grid of combinations;
# MAGIC - how many fits a grid costs with `CrossValidator` and with `TrainValidationSplit`;
# MAGIC - how the project refuses a grid above a fit budget, and how to raise the budget on purpose;
# MAGIC - how a seeded sample of a big grid keeps the cost fixed.

# COMMAND ----------

import sys

sys.path.append("../src")

# COMMAND ----------

# MAGIC %md
# MAGIC `num_folds` decides the cost of cross-validation below.
# MAGIC The other widgets are declared so that one job can pass the same ones to every notebook.

# COMMAND ----------

dbutils.widgets.text("data_source", "../data/boston_housing.csv", "Data: path or table")
dbutils.widgets.text("label_column", "medv", "Label column")
dbutils.widgets.text("experiment_name", "/Shared/sparkml-tuning", "MLflow experiment")
dbutils.widgets.dropdown("drop_invalid_rows", "false", ["false", "true"], "Drop nulls")
dbutils.widgets.text("num_folds", "3", "CrossValidator folds")

from sparkml_tuning.tuning import parse_num_folds

num_folds = parse_num_folds(dbutils.widgets.get("num_folds"))

# COMMAND ----------

# MAGIC %md
# MAGIC `ParamGridBuilder` takes a list of values per parameter and builds every combination.
# MAGIC The grid below is the one notebooks 03 and 04 search.
# MAGIC Notebook 01 showed that none of these three values changes the model on this data.
# MAGIC The grid is searched anyway, to show what a tuner reports when nothing matters.

# COMMAND ----------

from pyspark.ml.regression import LinearRegression
from pyspark.ml.tuning import ParamGridBuilder

label_column = dbutils.widgets.get("label_column")
lr = LinearRegression(featuresCol="features", labelCol=label_column)
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

# MAGIC %md
# MAGIC Each combination is a dictionary from `Param` to value.
# MAGIC `grid_table` shows the grid as one row per combination.
# MAGIC The last parameter added varies fastest.

# COMMAND ----------

from sparkml_tuning.search_space import grid_table

display(grid_table(param_grid))

# COMMAND ----------

# MAGIC %md
# MAGIC With `CrossValidator` every combination is fitted once per fold.
# MAGIC Then the best combination is refitted on all the training data:
# MAGIC
# MAGIC `12 combinations x 3 folds + 1 refit = 37 fits`
# MAGIC
# MAGIC `TrainValidationSplit` fits each combination once, on one split: `12 + 1 = 13 fits`.
# MAGIC The package computes both, with the folds taken from the widget.

# COMMAND ----------

from sparkml_tuning.search_space import count_fits, describe_cost

print("CrossValidator:      ", describe_cost(len(param_grid), num_folds))
print("TrainValidationSplit:", describe_cost(len(param_grid)))
assert count_fits(len(param_grid), 3) == 37
assert count_fits(len(param_grid)) == 13

# COMMAND ----------

# MAGIC %md
# MAGIC One fit of this small model is quick, but the number of fits is what grows.
# MAGIC Grids grow fast: ten values for each of four parameters are already 10,000 combinations.
# MAGIC So the project refuses a grid above a fit budget (100 fits by default) before any training.
# MAGIC Here is a grid of 10 x 5 x 2 = 100 combinations, which asks for far more.

# COMMAND ----------

from sparkml_tuning.search_space import (
    DEFAULT_FIT_BUDGET,
    FitBudgetError,
    check_fit_budget,
)

big_grid = (
    ParamGridBuilder()
    .addGrid(lr.regParam, [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0])
    .addGrid(lr.elasticNetParam, [0.0, 0.25, 0.5, 0.75, 1.0])
    .addGrid(lr.fitIntercept, [True, False])
    .build()
)
try:
    check_fit_budget(big_grid, num_folds)
except FitBudgetError as error:
    budget_message = str(error)
print(budget_message)
assert str(DEFAULT_FIT_BUDGET) in budget_message

# COMMAND ----------

# MAGIC %md
# MAGIC The message says what is wrong and offers three ways out.
# MAGIC Raising the budget is allowed, but it has to be written down, so a big search is a decision.
# MAGIC (`build_cross_validator` and `build_train_validation_split` take the same `fit_budget`.)

# COMMAND ----------

big_fits = count_fits(len(big_grid), num_folds)
print(check_fit_budget(big_grid, num_folds, fit_budget=big_fits), "fits accepted")

# COMMAND ----------

# MAGIC %md
# MAGIC The other way out is to search fewer combinations.
# MAGIC Random search draws combinations at random instead of trying them all.
# MAGIC It often finds a good region with far fewer fits, when only a few parameters matter.
# MAGIC Spark ML has no random search built in, but sampling the grid gives the same effect.
# MAGIC `sample_grid` draws a seeded sample, so a rerun tries the same combinations.
# MAGIC The sample keeps the grid's order, so ties break as they would on the full grid.

# COMMAND ----------

from sparkml_tuning.search_space import sample_grid

sampled_grid = sample_grid(big_grid, 12, seed=42)
print(describe_cost(len(sampled_grid), num_folds))
display(grid_table(sampled_grid))

# COMMAND ----------

# MAGIC %md
# MAGIC Twelve combinations out of 100 cost the same as the small grid above.
# MAGIC Sampling with the same seed gives the same combinations, which the check below confirms.

# COMMAND ----------

assert sample_grid(big_grid, 12, seed=42) == sampled_grid
sampled_fits = check_fit_budget(sampled_grid, num_folds)
print(f"{sampled_fits} fits, within the default budget of {DEFAULT_FIT_BUDGET}")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Summary
# MAGIC - The number of combinations is the product of the value counts: 3 x 2 x 2 = 12.
# MAGIC - CrossValidator fits combinations x folds + 1 models (37 here); TrainValidationSplit 13.
# MAGIC - `check_fit_budget` stops a grid over budget before training; `fit_budget=` raises it.
# MAGIC - `sample_grid` searches a seeded random subset of a large grid at a fixed cost.
# MAGIC
# MAGIC ## Limitations
# MAGIC - A sample of a grid only draws from the listed values; it cannot explore between them.
# MAGIC - Twelve random combinations can miss a narrow good region; on this data the linear model is
# MAGIC   forgiving, but a tree model may not be.
# MAGIC - The budget counts fits, not seconds: a fit of a large model can take minutes.
# MAGIC
# MAGIC ## Next
# MAGIC Practise the key lines in `labs/02_search_space_lab.py`.
# MAGIC `03_cross_validator.py` searches the 12-combination grid with cross-validation and MLflow.
