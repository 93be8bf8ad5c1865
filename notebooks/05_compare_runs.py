# Databricks notebook source
# MAGIC %md
# MAGIC # 5. Tune what matters, compare runs, register the best model
# MAGIC
# MAGIC Notebooks 03 and 04 searched a grid where nothing but the intercept mattered.
# MAGIC Here the search is over the regularization of `LinearRegression`, which changes the model.
# MAGIC Then every tuning run of the experiment is compared, and the best model is put to use.
# MAGIC
# MAGIC You will learn:
# MAGIC - how to tune `regParam` and `elasticNetParam` and read the effect from plots;
# MAGIC - how to list all tuning runs of an experiment in one table;
# MAGIC - how to load the best model back from MLflow and predict new rows;
# MAGIC - how to register it, locally or in Unity Catalog, and find all of this in the MLflow UI.

# COMMAND ----------

import sys

sys.path.append("../src")

# COMMAND ----------

# MAGIC %md
# MAGIC `registered_model_name` is the name in the model registry.
# MAGIC Locally it goes to the MLflow store's own registry.
# MAGIC On Databricks give a three-part Unity Catalog name such as `main.default.housing_model`.

# COMMAND ----------

dbutils.widgets.text("data_source", "../data/boston_housing.csv", "Data: path or table")
dbutils.widgets.text("label_column", "medv", "Label column")
dbutils.widgets.text("num_folds", "3", "CrossValidator folds")
dbutils.widgets.text("parallelism", "1", "Models fitted at once")
dbutils.widgets.dropdown("metric", "rmse", ["rmse", "mae", "r2"], "Metric")
dbutils.widgets.text("experiment_name", "/Shared/sparkml-tuning", "MLflow experiment")
dbutils.widgets.text("registered_model_name", "sparkml_tuning_housing", "Registered model name")
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
)

data_source = dbutils.widgets.get("data_source")
label_column = dbutils.widgets.get("label_column")
num_folds = parse_num_folds(dbutils.widgets.get("num_folds"))
parallelism = parse_parallelism(dbutils.widgets.get("parallelism"))
metric = parse_metric(dbutils.widgets.get("metric"))
experiment_name = check_experiment_name(dbutils.widgets.get("experiment_name"))
registered_model_name = dbutils.widgets.get("registered_model_name").strip()
drop_invalid_rows = parse_drop_invalid_rows(dbutils.widgets.get("drop_invalid_rows"))
check_tracking_reachable()

# COMMAND ----------

# MAGIC %md
# MAGIC Same data and test split as before (column `B` removed, see notebook 01).

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
validate_training_data(train_df, label_column, num_folds)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Tune the regularization
# MAGIC `regParam` is the strength of the penalty on the coefficients; 0 means none.
# MAGIC `elasticNetParam` mixes its kind: 0 is ridge (L2), 1 is lasso (L1), between is both.
# MAGIC 4 regParam values x 3 elasticNetParam values = 12 combinations, the same cost as before.

# COMMAND ----------

import mlflow

from sparkml_tuning.run_tracking import enable_autolog, tune_with_tracking
from sparkml_tuning.search_space import describe_cost
from sparkml_tuning.tuning import (
    build_cross_validator,
    build_evaluator,
    build_pipeline,
    regularization_grid,
)

pipeline, lr = build_pipeline(features, label_column)
evaluator = build_evaluator(label_column, metric)
reg_grid = regularization_grid(lr)
cv = build_cross_validator(pipeline, reg_grid, evaluator, num_folds, parallelism)
print(describe_cost(len(reg_grid), num_folds))

experiment = mlflow.set_experiment(experiment_name)
enable_autolog()
reg_result = tune_with_tracking(cv, train_df, test_df, evaluator, features, data_source)
print(f"test {metric} = {reg_result.test_metric:.3f}")

# COMMAND ----------

# MAGIC %md
# MAGIC The children, best first.
# MAGIC Unlike the solver grid, these combinations give different results.

# COMMAND ----------

from sparkml_tuning.run_tracking import (
    child_runs_table,
    count_distinct_results,
    larger_is_better,
    metric_columns,
)

mean_column, std_column = metric_columns("CrossValidator", metric)
reg_children = child_runs_table(reg_result.run_id, metric)
display(reg_children.drop(columns="run_id").round(3))
distinct = count_distinct_results(reg_children, mean_column)
print(f"{len(reg_children)} combinations, {distinct} distinct results")
assert len(reg_children) == len(reg_grid)
assert distinct > 2

# COMMAND ----------

# MAGIC %md
# MAGIC One plot per hyperparameter: the metric against its values, one line per value of the other.
# MAGIC Each figure is also logged to the parent run, so the UI shows it with the run.

# COMMAND ----------

from mlflow import MlflowClient

from sparkml_tuning.run_plots import metric_by_param_figure

client = MlflowClient()
for param, other in [("regParam", "elasticNetParam"), ("elasticNetParam", "regParam")]:
    fig = metric_by_param_figure(reg_children, param, mean_column, group_by=other)
    client.log_figure(reg_result.run_id, fig, f"plots/{mean_column}_by_{param}.png")
    display(fig)

# COMMAND ----------

# MAGIC %md
# MAGIC What the plots and the table say, computed from the child runs:

# COMMAND ----------

numeric = reg_children.astype({"regParam": float, "elasticNetParam": float})
best = numeric.iloc[0]
unregularized = numeric[numeric["regParam"] == 0.0][mean_column].iloc[0]
strongest = numeric[numeric["regParam"] == numeric["regParam"].max()]
sign = -1 if larger_is_better(metric) else 1
print(
    f"best: regParam={best['regParam']}, elasticNetParam={best['elasticNetParam']}, "
    f"{mean_column}={best[mean_column]:.3f} (std {best[std_column]:.3f})"
)
print(f"no regularization: {mean_column}={unregularized:.3f}")
gain = sign * (unregularized - best[mean_column])
print(f"gain over no regularization: {gain:.3f}")
print("strongest penalty, by elasticNetParam:")
display(strongest[["elasticNetParam", mean_column]].round(3))

# COMMAND ----------

# MAGIC %md
# MAGIC With `regParam=0` the mixing parameter does nothing: the three lines meet on the left.
# MAGIC A small penalty changes the cross-validated metric by far less than its std over the folds.
# MAGIC So on 12 features and 430 rows ordinary least squares is hardly overfitting.
# MAGIC A strong penalty hurts, and an L1 (lasso) penalty of 1.0 hurts most, by removing features.
# MAGIC The best combination is therefore a near tie with no regularization.
# MAGIC It is worth knowing that before reaching for a bigger search.
# MAGIC The checks below compute each of these statements, so a rerun that breaks one fails here.

# COMMAND ----------

no_penalty = numeric[numeric["regParam"] == 0.0][mean_column]
assert no_penalty.round(9).nunique() == 1, no_penalty
assert abs(gain) < best[std_column], (gain, best[std_column])
worse = strongest[mean_column] * sign > unregularized * sign
assert worse.all(), strongest
by_mix = strongest.set_index("elasticNetParam")[mean_column] * sign
assert by_mix.idxmax() == 1.0, by_mix

# COMMAND ----------

# MAGIC %md
# MAGIC ## All tuning runs of the experiment
# MAGIC Every parent is found by its `tuner` tag; the table is sorted by the test metric.
# MAGIC The `best_...` columns are the values each search chose.

# COMMAND ----------

from sparkml_tuning.run_tracking import tuning_runs_table

all_runs = tuning_runs_table(experiment_name, metric)
display(all_runs.drop(columns="run_id").round(3))
assert reg_result.run_id in set(all_runs["run_id"])

# COMMAND ----------

# MAGIC %md
# MAGIC ## Load the best model back and predict
# MAGIC The best run by test metric that logged a model is used (this project's runs log it once).
# MAGIC Loading it from MLflow gives the fitted PipelineModel back, assembler included.
# MAGIC The new rows below are made-up towns: typical in every feature except the rooms (`rm`).

# COMMAND ----------

import pandas as pd

best_run_id = all_runs[all_runs["logged_model"]]["run_id"].iloc[0]
model_uri = f"runs:/{best_run_id}/model"
loaded_model = mlflow.spark.load_model(model_uri)

typical = housing_df.select(features).toPandas().median()
new_towns = pd.DataFrame([typical] * 4).assign(rm=[5.0, 6.0, 7.0, 8.0])
new_df = spark.createDataFrame(new_towns.astype("float64"))
predictions = loaded_model.transform(new_df).select("rm", "prediction").toPandas()
display(predictions.round(3))

# COMMAND ----------

# MAGIC %md
# MAGIC More rooms, higher predicted value (in thousands of dollars), as expected.
# MAGIC The check below makes sure the loaded model behaves that way, from 5 to 8 rooms.

# COMMAND ----------

by_rooms = predictions["prediction"]
assert by_rooms.iloc[-1] > by_rooms.iloc[0], predictions

# COMMAND ----------

# MAGIC %md
# MAGIC ## Register the model
# MAGIC The registry gives the model a name and numbered versions that jobs and serving can use.
# MAGIC A three-part name goes to Unity Catalog; any other name to the store's own registry.
# MAGIC Unity Catalog needs a signature; the model has one (features in, prediction out).

# COMMAND ----------

from sparkml_tuning.run_tracking import register_model

version = register_model(model_uri, registered_model_name)
print(f"registered {version.name} version {version.version} from run {version.run_id}")
assert version.run_id == best_run_id

# COMMAND ----------

# MAGIC %md
# MAGIC ## The same in the MLflow UI
# MAGIC Locally, from the repository's root folder: `python -m sparkml_tuning ui`.
# MAGIC Then open `http://127.0.0.1:5000`; on Databricks use Experiments in the sidebar.
# MAGIC - The experiment's landing page is an overview.
# MAGIC   Choose Runs on the left, or open the address printed below (`#/experiments/<id>/runs`).
# MAGIC - Each tuning is one parent row; its `+` expands it into its named children.
# MAGIC - Select the children and choose Compare: the parallel coordinates plot shows each
# MAGIC   hyperparameter against the metric, like the plots above.
# MAGIC - A child's duration is not its fit time: children get the parent's start time.
# MAGIC - The logged plots are under the parent's artifacts, in `plots/`.
# MAGIC - The registered model is under Models locally, and in Catalog Explorer for Unity Catalog.

# COMMAND ----------

print(f"runs table: #/experiments/{experiment.experiment_id}/runs")
print(f"regularization parent run: {reg_result.run_id}")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Summary
# MAGIC - Regularization is the hyperparameter that changes this model, unlike the solver settings.
# MAGIC - On this data a light penalty is within noise of none, and a strong one hurts.
# MAGIC - `tuning_runs_table` compares every tuning parent of the experiment in one table.
# MAGIC - The best model came back from MLflow, predicted new rows and was registered.
# MAGIC
# MAGIC ## Limitations
# MAGIC - The differences between the top combinations are below the fold std: a different seed
# MAGIC   for the folds could reorder them.
# MAGIC - "Best" is chosen on a test set of about 76 rows, which is itself noisy; with more data,
# MAGIC   keep the test set out of model selection altogether.
# MAGIC - A linear model cannot capture the curvature in `lstat` and `rm`; tuning cannot fix that.
# MAGIC
# MAGIC ## Next
# MAGIC `06_beyond_grid_search.py` searches the regularization space by grid, random search and
# MAGIC Optuna's TPE, and tunes a random forest beside the linear model.
