"""Notebook 06 records every search method in autolog's shape: one parent, one child each."""

from __future__ import annotations

from pathlib import Path

import mlflow

from sparkml_tuning.project_paths import NOTEBOOKS_DIR
from sparkml_tuning.runner import run_notebooks

NOTEBOOK = NOTEBOOKS_DIR / "06_beyond_grid_search.py"
EXPERIMENT = "beyond-grid-search-runs"


def test_each_search_is_one_parent_with_one_child_per_evaluation(tmp_mlflow, tmp_path: Path):
    params = {
        "experiment_name": EXPERIMENT,
        "num_folds": "2",
        "grid_points": "2",
        "n_trials": "3",
        "parallelism": "1",
    }
    result = run_notebooks([(NOTEBOOK, params)], output_dir=tmp_path / "out")[-1]
    assert result.ok, result.error

    experiment = mlflow.get_experiment_by_name(EXPERIMENT)
    runs = mlflow.search_runs([experiment.experiment_id], output_format="list")
    parents = [run for run in runs if "mlflow.parentRunId" not in run.data.tags]
    shapes = sorted((run.data.tags["tuner"], run.data.tags["model"]) for run in parents)
    assert shapes == [
        ("GridSearch", "LinearRegression"),
        ("OptunaTPE", "LinearRegression"),
        ("OptunaTPE", "RandomForestRegressor"),
        ("RandomSearch", "LinearRegression"),
        ("RandomSearch", "RandomForestRegressor"),
    ]
    for parent in parents:
        children = [
            run for run in runs if run.data.tags.get("mlflow.parentRunId") == parent.info.run_id
        ]
        assert len(children) == parent.data.metrics["num_evaluations"] > 0
        assert "test_rmse" in parent.data.metrics and "numFolds" in parent.data.params
        for child in children:
            assert {"avg_rmse", "std_rmse"} <= set(child.data.metrics)
            # The estimator's full param map, not only the searched values.
            assert "maxIter" in child.data.params or "numTrees" in child.data.params
            assert "labelCol" in child.data.params
    grid = next(run for run in parents if run.data.tags["tuner"] == "GridSearch")
    assert grid.data.metrics["num_evaluations"] == 4  # 2 values x 2 hyperparameters
