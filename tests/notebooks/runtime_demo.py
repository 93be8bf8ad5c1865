# Databricks notebook source
# MAGIC %md
# MAGIC # Runtime demo
# MAGIC
# MAGIC Uses what Databricks gives a notebook, for the runner's tests.

# COMMAND ----------

import sys

sys.path.append("../../src")
from sparkml_tuning.notebook_source import HEADER

dbutils.widgets.text("rows", "5", "Rows")
dbutils.widgets.dropdown("flavour", "plain", ["plain", "salted"], "Flavour")

# COMMAND ----------

# MAGIC %pip install something-not-needed-locally

# COMMAND ----------

# MAGIC %run ./shared_setup

# COMMAND ----------

# DBTITLE 1,Count rows
rows = int(dbutils.widgets.get("rows"))
frame = spark.range(rows)
display(frame)
print(f"rows={frame.count()} flavour={dbutils.widgets.get('flavour')} {GREETING}")
print(HEADER)

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT 41 + 1 AS answer

# COMMAND ----------

import matplotlib.pyplot as plt

figure, axes = plt.subplots()
axes.plot([1, 2, 3])
display(figure)
