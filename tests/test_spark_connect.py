"""The CrossValidator notebook over a local Spark Connect session, as on serverless compute."""

from __future__ import annotations

from pathlib import Path

import mlflow

from sparkml_tuning.project_paths import NOTEBOOKS_DIR
from sparkml_tuning.runner import run_notebooks

EXPERIMENT = "/Shared/sparkml-tuning-connect-test"


def test_cross_validator_notebook_runs_over_spark_connect(tmp_mlflow: str, tmp_path: Path):
    notebook = NOTEBOOKS_DIR / "03_cross_validator.py"
    results = run_notebooks(
        [(notebook, {"experiment_name": EXPERIMENT, "num_folds": "2"})],
        connect=True,
        output_dir=tmp_path,
    )
    assert results[-1].ok, results[-1].error

    experiment = mlflow.get_experiment_by_name(EXPERIMENT)
    runs = mlflow.search_runs([experiment.experiment_id], output_format="list")
    parents = [run for run in runs if "mlflow.parentRunId" not in run.data.tags]
    cross_validators = [run for run in parents if run.data.tags.get("tuner") == "CrossValidator"]
    assert cross_validators, "the notebook recorded no CrossValidator parent run"
    for parent in cross_validators:
        children = [
            run for run in runs if run.data.tags.get("mlflow.parentRunId") == parent.info.run_id
        ]
        assert children, f"parent {parent.info.run_name} has no child runs"
        assert all(child.info.status == "FINISHED" for child in children)
        assert all(any(key.startswith("avg_") for key in child.data.metrics) for child in children)
        model_info = mlflow.models.get_model_info(f"runs:/{parent.info.run_id}/model")
        assert model_info.signature is not None, "the best model was logged without a signature"
