"""Hyperparameter tuning of Spark ML models with automated MLflow tracking.

The notebooks under `notebooks/` import what they share from here. The modules that run
those notebooks on a laptop (`notebook_source`, `local_runtime`, `runner`, ...) are never
imported on Databricks.
"""
