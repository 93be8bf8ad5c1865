# Databricks notebook source
# MAGIC %md
# MAGIC # 3. Cross-validation, tracked in MLflow
# MAGIC
# MAGIC `CrossValidator` splits the training data into folds.
# MAGIC Each combination is trained on all folds but one and scored on the one left out, in turn.
# MAGIC The best combination is refitted on all the training data.
# MAGIC
# MAGIC You will learn:
# MAGIC - how to tune a Pipeline (VectorAssembler + LinearRegression) with `CrossValidator`;
# MAGIC - how MLflow autologging records the search: one parent run, one child per combination;
# MAGIC - how to name the runs so the MLflow UI reads like a table;
# MAGIC - how to read back what MLflow recorded, and what the results say about this grid.

# COMMAND ----------

import sys

sys.path.append("../src")

# COMMAND ----------

# MAGIC %md
# MAGIC The widgets hold every setting; a job passes its own values as widget values.
# MAGIC `parallelism` is how many models the tuner fits at once.
# MAGIC `drop_invalid_rows` set to true drops rows with a null or NaN instead of stopping.

# COMMAND ----------

dbutils.widgets.text("data_source", "../data/boston_housing.csv", "Data: path or table")
dbutils.widgets.text("label_column", "medv", "Label column")
dbutils.widgets.text("num_folds", "3", "CrossValidator folds")
dbutils.widgets.text("parallelism", "1", "Models fitted at once")
dbutils.widgets.dropdown("metric", "rmse", ["rmse", "mae", "r2"], "Metric")
dbutils.widgets.text("experiment_name", "/Shared/sparkml-tuning", "MLflow experiment")
dbutils.widgets.dropdown("drop_invalid_rows", "false", ["false", "true"], "Drop nulls")

# COMMAND ----------

# MAGIC %md
# MAGIC Widget values are strings, so each one is parsed and checked before any training.
# MAGIC A bad value stops here with a sentence saying how to fix it.

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
)

data_source = dbutils.widgets.get("data_source")
label_column = dbutils.widgets.get("label_column")
num_folds = parse_num_folds(dbutils.widgets.get("num_folds"))
parallelism = parse_parallelism(dbutils.widgets.get("parallelism"))
metric = parse_metric(dbutils.widgets.get("metric"))
experiment_name = check_experiment_name(dbutils.widgets.get("experiment_name"))
drop_invalid_rows = parse_drop_invalid_rows(dbutils.widgets.get("drop_invalid_rows"))
check_tracking_reachable()

# COMMAND ----------

# MAGIC %md
# MAGIC The data is loaded and checked as in notebook 01 (the column `B` is removed, see there).
# MAGIC A fifth of the rows is set aside as a test set, with a seed.
# MAGIC The tuner never sees it: it gives an honest score for the model the tuner picks.

# COMMAND ----------

from sparkml_tuning.housing_data import (
    feature_columns,
    load_housing_data,
    split_train_test,
    validate_training_data,
)

housing_df = load_housing_data(spark, data_source, drop_invalid_rows)
validate_training_data(housing_df, label_column)
features = feature_columns(housing_df, label_column)
train_df, test_df = split_train_test(housing_df, test_fraction=0.2, seed=42)
train_rows = validate_training_data(train_df, label_column, num_folds)
test_rows = test_df.count()
print(f"{train_rows} training rows, {test_rows} test rows, {len(features)} features")

# COMMAND ----------

# MAGIC %md
# MAGIC The pipeline assembles the feature columns into one vector, then fits the regression.
# MAGIC The evaluator scores predictions on the label with the metric from the widget.
# MAGIC The grid is notebook 02's: 3 x 2 x 2 = 12 combinations.
# MAGIC `build_cross_validator` refuses the grid if it is over the fit budget.

# COMMAND ----------

from sparkml_tuning.search_space import describe_cost
from sparkml_tuning.tuning import (
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    solver_grid,
)

pipeline, lr = build_pipeline(features, label_column)
evaluator = build_evaluator(label_column, metric)
param_grid = solver_grid(lr)
cv = build_cross_validator(pipeline, param_grid, evaluator, num_folds, parallelism)
print(describe_cost(len(param_grid), num_folds))

# COMMAND ----------

# MAGIC %md
# MAGIC Now MLflow.
# MAGIC Databricks turns autologging on by itself only in notebooks on interactive clusters.
# MAGIC Jobs and serverless compute need the explicit call, so every notebook makes it.
# MAGIC `enable_autolog` calls `mlflow.pyspark.ml.autolog` with these settings:
# MAGIC - an explicit `log_model_allowlist`: without it autolog fails over Spark Connect;
# MAGIC - `log_models=False`: by default autolog saves the tuned model twice, inferring its pip
# MAGIC   requirements each time in a new process; the best model is logged once below instead;
# MAGIC - no dataset, input example or post-training metric logging; the test metric comes below.
# MAGIC
# MAGIC `benchmarks/tracking_overhead.py` measures what these settings save.

# COMMAND ----------

import mlflow

from sparkml_tuning.run_tracking import enable_autolog

experiment = mlflow.set_experiment(experiment_name)
enable_autolog()

# COMMAND ----------

# MAGIC %md
# MAGIC The fit runs inside a parent run named after tuner and model.
# MAGIC Here that is `CrossValidator-LinearRegression`.
# MAGIC The parent is tagged `tuner` and `model`, which is how other code finds tuning runs.
# MAGIC Autolog fills the parent with the search's params and adds the children after the fit.
# MAGIC Inside the same run the best model is scored on the test set and logged once.

# COMMAND ----------

import time

from sparkml_tuning.run_tracking import log_best_model, start_tuning_run

with start_tuning_run(cv, data_source) as parent_run:
    started = time.perf_counter()
    cv_model = cv.fit(train_df)
    fit_seconds = time.perf_counter() - started
    best_model = cv_model.bestModel
    test_metric = evaluator.evaluate(best_model.transform(test_df))
    mlflow.log_metrics({f"test_{metric}": test_metric, "fit_seconds": fit_seconds})
    model_info = log_best_model(best_model, features)

parent_run_id = parent_run.info.run_id
print(f"test {metric} = {test_metric:.3f}, fit in {fit_seconds:.1f} s")

# COMMAND ----------

# MAGIC %md
# MAGIC Autolog leaves the children with random names such as `whimsical-gnat-624`.
# MAGIC `name_child_runs` renames each one after its hyperparameter values, through `MlflowClient`.

# COMMAND ----------

from sparkml_tuning.run_tracking import name_child_runs

tuned_params = ["maxIter", "fitIntercept", "standardization"]
child_names = name_child_runs(parent_run_id, tuned_params)
print("\n".join(sorted(child_names)))

# COMMAND ----------

# MAGIC %md
# MAGIC `cv_model.bestModel` is a fitted PipelineModel; its last stage holds the chosen values.

# COMMAND ----------

best_lr = best_model.stages[-1]
chosen = {name: best_lr.getOrDefault(name) for name in tuned_params}
print(chosen)

# COMMAND ----------

# MAGIC %md
# MAGIC ## What MLflow recorded
# MAGIC The parent holds the tuner's params, the evaluator's, and `best_...` for the chosen values.

# COMMAND ----------

import pandas as pd
from mlflow import MlflowClient

client = MlflowClient()
parent = client.get_run(parent_run_id)
params = sorted(parent.data.params.items())
parent_params = pd.DataFrame(params, columns=["param", "value"])
display(parent_params)
print({key: round(value, 3) for key, value in parent.data.metrics.items()})

# COMMAND ----------

# MAGIC %md
# MAGIC Its artifacts: the search results as CSV, the best values as JSON, the estimator's
# MAGIC structure, and the one logged model.

# COMMAND ----------

print([artifact.path for artifact in client.list_artifacts(parent_run_id)])

# COMMAND ----------

# MAGIC %md
# MAGIC The children as a table, best first: one row per combination, with the mean and the
# MAGIC standard deviation of the metric over the folds.

# COMMAND ----------

from sparkml_tuning.run_tracking import child_runs_table, metric_columns

mean_column, std_column = metric_columns("CrossValidator", metric)
children = child_runs_table(parent_run_id, metric)
display(children.drop(columns="run_id").round(3))

# COMMAND ----------

# MAGIC %md
# MAGIC The notebook checks its own result.
# MAGIC The runs this notebook started must be one parent and one child per combination: 1 + 12.
# MAGIC (Runs of other notebooks in the experiment are left out by start time and source.)

# COMMAND ----------

from sparkml_tuning.run_tracking import runs_from_same_source

parents, kids = runs_from_same_source(parent_run_id)
assert [run.info.run_id for run in parents] == [parent_run_id], parents
assert len(kids) == len(param_grid) == 12, len(kids)
assert parent.data.tags["tuner"] == "CrossValidator"
assert parent.data.tags["model"] == "LinearRegression"

# COMMAND ----------

# MAGIC %md
# MAGIC ## What the results say
# MAGIC Twelve combinations were tried; how many different results did they give?

# COMMAND ----------

from sparkml_tuning.run_tracking import count_distinct_results

distinct = count_distinct_results(children, mean_column)
summary = children.groupby(children[mean_column].round(9)).agg(
    combinations=("run_name", "count"),
    fitIntercept=("fitIntercept", lambda values: ", ".join(sorted(set(values)))),
)
display(summary.reset_index().round(3))
print(f"{len(children)} combinations, {distinct} distinct results")
# Two results, each from one value of fitIntercept only.
assert distinct == 2, summary
assert not summary["fitIntercept"].str.contains(",").any(), summary

# COMMAND ----------

# MAGIC %md
# MAGIC The twelve models collapse to two results, and only `fitIntercept` separates them.
# MAGIC As notebook 01 showed, the solver uses the normal equation here, so `maxIter` is never used.
# MAGIC Without regularization `standardization` does not change the fit either.
# MAGIC So the "best" `maxIter` is only the first value of a tie: the tuner keeps the first best
# MAGIC combination in grid order.
# MAGIC The cell below computes the tie and checks that claim.

# COMMAND ----------

best_value = children[mean_column].iloc[0]
tied = children[children[mean_column].round(9) == round(best_value, 9)]
print(f"{len(tied)} combinations tie for the best {mean_column} = {best_value:.3f}:")
display(tied.drop(columns="run_id").round(3))
tied_max_iters = sorted(int(value) for value in tied["maxIter"])
assert chosen["maxIter"] == tied_max_iters[0], (chosen, tied_max_iters)

# COMMAND ----------

# MAGIC %md
# MAGIC ## In the MLflow UI
# MAGIC Locally, start the UI from the repository's root folder: `python -m sparkml_tuning ui`.
# MAGIC It serves the local store at `http://127.0.0.1:5000`; Ctrl-C stops it.
# MAGIC On Databricks, choose Experiments in the sidebar instead.
# MAGIC 1. Open the experiment `/Shared/sparkml-tuning`.
# MAGIC    Its landing page is an overview: choose Runs in the menu on the left.
# MAGIC    The cell below prints the runs table's address, `#/experiments/<id>/runs`.
# MAGIC 2. The table shows one row for this tuning: `CrossValidator-LinearRegression`.
# MAGIC 3. Click the `+` left of its name: its twelve children appear below it, each named
# MAGIC    after its values, such as `maxIter=1 fitIntercept=True standardization=False`.
# MAGIC 4. Click the parent's name to see its `best_...` params, the test metric and artifacts.
# MAGIC
# MAGIC Beware one thing the UI gets wrong: a child's duration is not its fit time.
# MAGIC Autolog creates the children after the fit and gives them the parent's start time.
# MAGIC So every child shows the duration of the whole search.

# COMMAND ----------

print(f"experiment id {experiment.experiment_id}, parent run {parent_run_id}")
print(f"runs table: #/experiments/{experiment.experiment_id}/runs")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Summary
# MAGIC - `CrossValidator` fitted 12 combinations on each fold and refitted the best one.
# MAGIC - Autolog, called explicitly, recorded a named parent and twelve renamed children.
# MAGIC - The parent also holds the test metric and the best model, logged once.
# MAGIC - The grid's twelve models give only two distinct results: only `fitIntercept`
# MAGIC   matters, and the chosen `maxIter` is just the first of a tie.
# MAGIC
# MAGIC ## Limitations
# MAGIC - With about 430 training rows and 3 folds, each fold scores about 143 rows, so the
# MAGIC   metric is noisy; the std column shows how much.
# MAGIC - This grid searched parameters that do nothing here, on purpose, to show a tie.
# MAGIC - Runs started by others in the same experiment and from the same source would break the
# MAGIC   1 + 12 check above; use a personal experiment when running it on a shared workspace.
# MAGIC - On serverless compute (Spark Connect) the runs have the same shape: parent, children,
# MAGIC   and the best model with its signature, which the package sets explicitly.
# MAGIC
# MAGIC ## Next
# MAGIC Practise the key lines in `labs/03_cross_validator_lab.py`.
# MAGIC `04_train_validation_split.py` searches the same grid with one validation split.
# MAGIC `05_compare_runs.py` tunes what matters here, `regParam` and `elasticNetParam`, and
# MAGIC compares every run of the experiment.
