# Databricks notebook source
dbutils.widgets.text("divisor", "0")

# COMMAND ----------

print("before the failure")

# COMMAND ----------

1 / int(dbutils.widgets.get("divisor"))
