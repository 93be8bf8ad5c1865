# Databricks notebook source
# MAGIC %md
# MAGIC # 1. Hyperparameters of a Spark ML model
# MAGIC
# MAGIC A hyperparameter is a setting chosen before training; the model does not learn it.
# MAGIC This notebook looks at the hyperparameters of `LinearRegression` on the housing data.
# MAGIC
# MAGIC You will learn:
# MAGIC - how to list every parameter of a Spark ML estimator with `explainParams()`;
# MAGIC - how to read the same list as a table: name, meaning, default, current value;
# MAGIC - which of these parameters can change the fitted model on this data, and which cannot.

# COMMAND ----------

# MAGIC %md
# MAGIC The code the notebooks share lives in `src/sparkml_tuning`.
# MAGIC The working directory is the notebook's folder, on Databricks and locally.
# MAGIC So `../src` reaches the package.

# COMMAND ----------

import sys

sys.path.append("../src")

# COMMAND ----------

# MAGIC %md
# MAGIC The widgets say where the data comes from.
# MAGIC `data_source` takes a CSV path or a table name.
# MAGIC On Databricks it can name a Unity Catalog table, such as `main.default.boston_housing`.
# MAGIC `drop_invalid_rows` set to true drops rows with a null or NaN instead of stopping.
# MAGIC `experiment_name` is unused here: every notebook declares it, so one job can pass it to all.

# COMMAND ----------

dbutils.widgets.text("data_source", "../data/boston_housing.csv", "Data: path or table")
dbutils.widgets.text("label_column", "medv", "Label column")
dbutils.widgets.text("experiment_name", "/Shared/sparkml-tuning", "MLflow experiment")
dbutils.widgets.dropdown("drop_invalid_rows", "false", ["false", "true"], "Drop nulls")

from sparkml_tuning.tuning import parse_drop_invalid_rows

data_source = dbutils.widgets.get("data_source")
label_column = dbutils.widgets.get("label_column")
drop_invalid_rows = parse_drop_invalid_rows(dbutils.widgets.get("drop_invalid_rows"))

# COMMAND ----------

# MAGIC %md
# MAGIC The data describes 506 towns around Boston with 12 numeric features.
# MAGIC The label `medv` is the median home value in thousands of dollars.
# MAGIC NOTE: the column `B` of the original data is removed on purpose.
# MAGIC It was built from the proportion of Black residents per town, on a racist assumption.
# MAGIC scikit-learn dropped the data set in version 1.2 for that reason.
# MAGIC The second edition of "An Introduction to Statistical Learning" ships it without `B`.
# MAGIC The loader checks the data before any training and says what to fix when it is unusable.

# COMMAND ----------

from sparkml_tuning.housing_data import (
    feature_columns,
    load_housing_data,
    validate_training_data,
)

housing_df = load_housing_data(spark, data_source, drop_invalid_rows)
rows = validate_training_data(housing_df, label_column)
features = feature_columns(housing_df, label_column)
print(f"{rows} rows, {len(features)} features: {', '.join(features)}")
display(housing_df.limit(5))

# COMMAND ----------

# MAGIC %md
# MAGIC Every Spark ML stage describes its own parameters.
# MAGIC `explainParams()` gives one line per parameter: name, meaning, default, current value.

# COMMAND ----------

from pyspark.ml.regression import LinearRegression

lr = LinearRegression(featuresCol="features", labelCol=label_column)
print(lr.explainParams())

# COMMAND ----------

# MAGIC %md
# MAGIC The text is complete but hard to scan, so `params_table` turns it into a table.
# MAGIC `current` is the value the estimator would use now.
# MAGIC `set_by_user` marks the values given in the constructor: here only the two column names.

# COMMAND ----------

from sparkml_tuning.param_docs import params_table

lr_params = params_table(lr)
display(lr_params)

# COMMAND ----------

# MAGIC %md
# MAGIC Not every parameter is a hyperparameter worth tuning.
# MAGIC Some only name columns, some only change how the work is computed.
# MAGIC Some only matter for a solver that this data never uses.
# MAGIC The next cell groups them; the reasons follow the table.

# COMMAND ----------

import pandas as pd

roles = {
    "1 regularization": ["regParam", "elasticNetParam"],
    "2 model form": ["fitIntercept", "loss", "epsilon"],
    "3 only with regularization": ["standardization"],
    "4 only for the iterative solver": ["maxIter", "tol", "solver"],
    "5 computation only": ["aggregationDepth", "maxBlockSizeInMB"],
    "6 columns and weights": ["featuresCol", "labelCol", "predictionCol", "weightCol"],
}
role_of = {name: role for role, names in roles.items() for name in names}
lr_roles = lr_params.assign(role=lr_params["name"].map(role_of).fillna("7 other"))
display(lr_roles[["role", "name", "default", "current"]].sort_values(["role", "name"]))

# COMMAND ----------

# MAGIC %md
# MAGIC Why these groups, for this model and this data:
# MAGIC - With 12 features and no L1 penalty, `solver="auto"` solves the normal equation directly.
# MAGIC   So `maxIter` and `tol` are never used.
# MAGIC - Without regularization (`regParam=0`, the default) scaling the features changes nothing.
# MAGIC   The least-squares fit is the same, so `standardization` has no effect either.
# MAGIC - `fitIntercept` changes the model: house values are not zero when every feature is zero.
# MAGIC - `regParam` and `elasticNetParam` shrink the coefficients, trading bias for variance.
# MAGIC - `loss="huber"` (and `epsilon`) resists outliers; `medv` is capped at 50, so it may matter.
# MAGIC
# MAGIC The next cell checks the first two claims instead of taking them on trust.

# COMMAND ----------

from pyspark.ml.feature import VectorAssembler

assembler = VectorAssembler(inputCols=features, outputCol="features")
assembled_df = assembler.transform(housing_df)
settings = [
    {"maxIter": 1, "standardization": True},
    {"maxIter": 100, "standardization": True},
    {"maxIter": 1, "standardization": False},
    {"maxIter": 100, "standardization": True, "regParam": 0.1},
]
fits = []
for setting in settings:
    param_map = {lr.getParam(name): value for name, value in setting.items()}
    model = lr.copy(param_map).fit(assembled_df)
    fits.append(
        {
            "setting": str(setting),
            "solver iterations": model.summary.totalIterations,
            "intercept": round(model.intercept, 3),
            "training rmse": round(model.summary.rootMeanSquaredError, 3),
        }
    )
fits_df = pd.DataFrame(fits)
display(fits_df)

# COMMAND ----------

# MAGIC %md
# MAGIC The first three rows agree to the last decimal and report 0 solver iterations.
# MAGIC The normal equation was solved in one pass: `maxIter` had nothing to limit.
# MAGIC With no penalty, `standardization` had nothing to rescale.
# MAGIC Only the row with `regParam=0.1` differs, because the penalty changes what is minimized.
# MAGIC The assertions below fail if a newer Spark or other data breaks this.

# COMMAND ----------

unregularized = fits_df.iloc[:3]
assert unregularized["intercept"].nunique() == 1, unregularized
assert unregularized["training rmse"].nunique() == 1, unregularized
assert fits_df["training rmse"].iloc[3] != fits_df["training rmse"].iloc[0], fits_df

# COMMAND ----------

# MAGIC %md
# MAGIC ## Summary
# MAGIC - `explainParams()` lists every parameter; `params_table` shows it as a table.
# MAGIC - On 12 features `LinearRegression` solves the normal equation.
# MAGIC   So `maxIter`, `tol` and, without a penalty, `standardization` leave the model unchanged.
# MAGIC - `fitIntercept`, `regParam` and `elasticNetParam` do; they are worth tuning here.
# MAGIC
# MAGIC ## Limitations
# MAGIC - The grouping holds for this model and this data.
# MAGIC   With thousands of features or an L1 penalty the iterative solver runs: `maxIter` matters.
# MAGIC - 506 rows is small: differences between settings say little about a larger data set.
# MAGIC
# MAGIC ## Next
# MAGIC Practise the key lines in `labs/01_hyperparameters_lab.py`.
# MAGIC `02_search_space.py` builds a grid of hyperparameter values and counts what it costs.
