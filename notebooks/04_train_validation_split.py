# Databricks notebook source
# MAGIC %md
# MAGIC # 4. TrainValidationSplit, compared with CrossValidator
# MAGIC
# MAGIC `TrainValidationSplit` scores each combination on one split of the training data.
# MAGIC It fits each combination once instead of once per fold: cheaper, but noisier.
# MAGIC
# MAGIC You will learn:
# MAGIC - how to tune the same pipeline and grid with `TrainValidationSplit`;
# MAGIC - how its cost, time and choice compare with `CrossValidator`'s from notebook 03;
# MAGIC - how to reuse a tuning result recorded in MLflow instead of recomputing it.

# COMMAND ----------

import sys

sys.path.append("../src")

# COMMAND ----------

# MAGIC %md
# MAGIC `train_ratio` is the share of the training rows used to fit; the rest validates.
# MAGIC `num_folds` is only used if no CrossValidator run is found to compare with (see below).

# COMMAND ----------

dbutils.widgets.text("data_source", "../data/boston_housing.csv", "Data: path or table")
dbutils.widgets.text("label_column", "medv", "Label column")
dbutils.widgets.text("train_ratio", "0.75", "Share of rows to fit on")
dbutils.widgets.text("num_folds", "3", "CrossValidator folds (fallback)")
dbutils.widgets.text("parallelism", "1", "Models fitted at once")
dbutils.widgets.dropdown("metric", "rmse", ["rmse", "mae", "r2"], "Metric")
dbutils.widgets.text("experiment_name", "/Shared/sparkml-tuning", "MLflow experiment")
dbutils.widgets.dropdown("drop_invalid_rows", "false", ["false", "true"], "Drop nulls")

# COMMAND ----------

from sparkml_tuning.tracking_checks import (
    check_experiment_name,
    check_tracking_reachable,
)
from sparkml_tuning.tuning import (
    parse_drop_invalid_rows,
    parse_metric,
    parse_num_folds,
    parse_parallelism,
    parse_train_ratio,
)

data_source = dbutils.widgets.get("data_source")
label_column = dbutils.widgets.get("label_column")
train_ratio = parse_train_ratio(dbutils.widgets.get("train_ratio"))
num_folds = parse_num_folds(dbutils.widgets.get("num_folds"))
parallelism = parse_parallelism(dbutils.widgets.get("parallelism"))
metric = parse_metric(dbutils.widgets.get("metric"))
experiment_name = check_experiment_name(dbutils.widgets.get("experiment_name"))
drop_invalid_rows = parse_drop_invalid_rows(dbutils.widgets.get("drop_invalid_rows"))
check_tracking_reachable()

# COMMAND ----------

# MAGIC %md
# MAGIC The same data, test split, pipeline and grid as notebook 03 (column `B` removed, see 01).

# COMMAND ----------

from sparkml_tuning.housing_data import (
    feature_columns,
    load_housing_data,
    split_train_test,
    validate_training_data,
)
from sparkml_tuning.tuning import build_evaluator, build_pipeline, solver_grid

housing_df = load_housing_data(spark, data_source, drop_invalid_rows)
validate_training_data(housing_df, label_column)
features = feature_columns(housing_df, label_column)
train_df, test_df = split_train_test(housing_df, test_fraction=0.2, seed=42)
validate_training_data(train_df, label_column)
pipeline, lr = build_pipeline(features, label_column)
evaluator = build_evaluator(label_column, metric)
param_grid = solver_grid(lr)

# COMMAND ----------

# MAGIC %md
# MAGIC With `trainRatio` 0.75, each combination fits on three quarters of the training rows.
# MAGIC It is scored on the last quarter; the best one is then refitted on all of them.

# COMMAND ----------

from sparkml_tuning.search_space import describe_cost
from sparkml_tuning.tuning import build_train_validation_split

tvs = build_train_validation_split(pipeline, param_grid, evaluator, train_ratio, parallelism)
print(describe_cost(len(param_grid)))

# COMMAND ----------

# MAGIC %md
# MAGIC `tune_with_tracking` does what notebook 03 spelled out, in one call.
# MAGIC It opens the named, tagged parent and fits; it logs the test metric, the fit time and the
# MAGIC best model once, then renames the children.
# MAGIC Autolog is switched on explicitly first, as in every notebook.

# COMMAND ----------

import mlflow

from sparkml_tuning.run_tracking import enable_autolog, tune_with_tracking

experiment = mlflow.set_experiment(experiment_name)
enable_autolog()
tvs_result = tune_with_tracking(tvs, train_df, test_df, evaluator, features, data_source)
test_value, seconds = tvs_result.test_metric, tvs_result.fit_seconds
print(f"test {metric} = {test_value:.3f}, fit in {seconds:.1f} s")

# COMMAND ----------

# MAGIC %md
# MAGIC The children, best first; with one split there is one score per combination and no std.

# COMMAND ----------

from sparkml_tuning.run_tracking import child_runs_table, count_distinct_results

tvs_children = child_runs_table(tvs_result.run_id, metric)
display(tvs_children.drop(columns="run_id").round(3))
distinct = count_distinct_results(tvs_children, metric)
print(f"{len(tvs_children)} combinations, {distinct} distinct results")

# COMMAND ----------

# MAGIC %md
# MAGIC The notebook checks its own result, as notebook 03 did: one parent and one child per
# MAGIC combination, 1 + 12, among the runs this notebook started.

# COMMAND ----------

from sparkml_tuning.run_tracking import runs_from_same_source

parents, kids = runs_from_same_source(tvs_result.run_id)
assert [run.info.run_id for run in parents] == [tvs_result.run_id], parents
assert len(kids) == len(tvs_children) == len(param_grid) == 12, len(kids)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Side by side with CrossValidator
# MAGIC The CrossValidator numbers are read from MLflow, not recomputed.
# MAGIC Notebook 03 already logged them: recomputing would cost 37 more fits for the same numbers.
# MAGIC Reading them back is also what tracking is for.
# MAGIC The latest CrossValidator parent is only used if it matches this notebook's setup.
# MAGIC It must have the same data source, model, metric and grid; otherwise the CV runs here.

# COMMAND ----------

from mlflow import MlflowClient

from sparkml_tuning.run_tracking import parent_run_name
from sparkml_tuning.tuning import build_cross_validator

client = MlflowClient()
candidates = client.search_runs(
    [experiment.experiment_id],
    filter_string=(
        "tags.tuner = 'CrossValidator' and tags.model = 'LinearRegression' "
        f"and tags.data_source = '{data_source}' "
        f"and params.`RegressionEvaluator.labelCol` = '{label_column}' "
        f"and params.`RegressionEvaluator.metricName` = '{metric}'"
    ),
    order_by=["attributes.start_time DESC"],
    max_results=50,
)
# Same grid: the run chose a value for each of this grid's params; and it has finished.
grid_names = [param.name for param in param_grid[0]]
matching = [
    run
    for run in candidates
    if f"test_{metric}" in run.data.metrics
    and all(f"best_LinearRegression.{name}" in run.data.params for name in grid_names)
]
if matching:
    cv_run = matching[0]
    print(f"Reading CrossValidator results from run {cv_run.info.run_id}.")
else:
    print("No matching CrossValidator run found: running it now.")
    cv = build_cross_validator(pipeline, param_grid, evaluator, num_folds, parallelism)
    cv_result = tune_with_tracking(cv, train_df, test_df, evaluator, features, data_source)
    cv_run = client.get_run(cv_result.run_id)
assert cv_run.info.run_name == parent_run_name(tvs).replace(
    "TrainValidationSplit", "CrossValidator"
)

# COMMAND ----------

# MAGIC %md
# MAGIC One row per tuner: fits, time, chosen values, validation and test metric.

# COMMAND ----------

import pandas as pd

from sparkml_tuning.search_space import count_fits


def tuner_row(run, fits, validation_key):
    params = run.data.params
    metrics = run.data.metrics
    children = child_runs_table(run.info.run_id, metric)
    return {
        "tuner": run.data.tags["tuner"],
        "fits": fits,
        "fit seconds": metrics.get("fit_seconds"),
        "maxIter": params["best_LinearRegression.maxIter"],
        "fitIntercept": params["best_LinearRegression.fitIntercept"],
        "standardization": params["best_LinearRegression.standardization"],
        f"validation {metric}": children[validation_key].iloc[0],
        f"test {metric}": metrics[f"test_{metric}"],
    }


cv_folds = int(cv_run.data.params["numFolds"])
comparison = pd.DataFrame(
    [
        tuner_row(cv_run, count_fits(len(param_grid), cv_folds), f"avg_{metric}"),
        tuner_row(client.get_run(tvs_result.run_id), count_fits(len(param_grid)), metric),
    ]
)
display(comparison.round(3))

# COMMAND ----------

# MAGIC %md
# MAGIC Both tuners choose the same kind of model: with an intercept, and the first `maxIter`
# MAGIC of the tie, for the reasons notebook 03 showed.
# MAGIC So the test metric is the same: the same model is refitted on the same training rows.
# MAGIC TrainValidationSplit got there with about a third of the fits (13 against 37).
# MAGIC The validation scores differ.
# MAGIC With the default widgets one split of about 108 rows scores each model.
# MAGIC CrossValidator averages three folds of about 143 rows; the single split is noisier.
# MAGIC The time column comes from the runs: both ran on the same machine, but not at the same time.

# COMMAND ----------

same_choice = comparison[["maxIter", "fitIntercept", "standardization"]].nunique()
assert (same_choice == 1).all(), comparison
test_column = f"test {metric}"
assert abs(comparison[test_column].iloc[0] - comparison[test_column].iloc[1]) < 1e-9

# COMMAND ----------

# MAGIC %md
# MAGIC ## In the MLflow UI
# MAGIC Start the UI as in notebook 03 (`python -m sparkml_tuning ui` locally, Experiments on
# MAGIC Databricks) and open the experiment's Runs.
# MAGIC 1. The table now has two parents: `TrainValidationSplit-LinearRegression` and
# MAGIC    `CrossValidator-LinearRegression`.
# MAGIC 2. Click the `+` left of each: both have twelve children with the same names.
# MAGIC    A TrainValidationSplit child has one score, named after the metric, with no std.
# MAGIC 3. Tick the two parents and choose Compare: their `best_...` params and test metrics
# MAGIC    stand side by side, as in the table above.

# COMMAND ----------

print(f"runs table: #/experiments/{experiment.experiment_id}/runs")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Summary
# MAGIC - `TrainValidationSplit` fits each combination once: 13 fits for this grid, against 37.
# MAGIC - On this grid both tuners pick the same model, so they reach the same test metric.
# MAGIC - The CrossValidator side was read back from MLflow, which saves recomputing it.
# MAGIC
# MAGIC ## Limitations
# MAGIC - The agreement comes from a grid where nothing but the intercept matters.
# MAGIC   With hyperparameters that matter, one split can pick a different, worse value.
# MAGIC - The fit times come from two runs at different moments; machine load can skew them.
# MAGIC   `benchmarks/tracking_overhead.py` shows how to time fairly (interleaved repeats).
# MAGIC
# MAGIC ## Next
# MAGIC Practise the key lines in `labs/04_train_validation_split_lab.py`.
# MAGIC `05_compare_runs.py` tunes `regParam` and `elasticNetParam` and compares every run.
