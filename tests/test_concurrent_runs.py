"""Two tuning jobs writing to one fresh local sqlite store at the same time lose nothing.

Each job is its own process (own JVM, own MLflow client), as two notebooks or a notebook
and a job would be: a CrossValidator over 4 combinations with 2 folds, tracked by the
package. The jobs start tuning together, and their parent runs must overlap in time: the
test fails if the writes it checks did not happen at once. Afterwards the store must hold
both parents and all eight children, every run FINISHED, with their metrics.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mlflow import MlflowClient

WORKER = Path(__file__).resolve().parent / "small_tuning_job.py"
EXPERIMENT = "concurrent-tuning"
JOB_NAMES = ("first", "second")
TIMEOUT_SECONDS = 900


def _start(tmp_path: Path, uri: str, name: str) -> subprocess.Popen:
    env = {**os.environ, "MLFLOW_TRACKING_URI": uri}
    return subprocess.Popen(
        [sys.executable, str(WORKER), EXPERIMENT, name, str(len(JOB_NAMES))],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / f"{name}.log", "w"),  # noqa: SIM115 - closed with the process
        text=True,
    )


def test_two_jobs_on_one_store_keep_every_run(tmp_path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    jobs = {name: _start(tmp_path, uri, name) for name in JOB_NAMES}
    parent_ids = {}
    for name, job in jobs.items():
        out, _ = job.communicate(timeout=TIMEOUT_SECONDS)
        log = (tmp_path / f"{name}.log").read_text()
        assert job.returncode == 0, f"the {name} job failed:\n{log[-3000:]}"
        parent_ids[name] = out.strip().splitlines()[-1]

    client = MlflowClient(uri)
    experiment = client.get_experiment_by_name(EXPERIMENT)
    runs = client.search_runs([experiment.experiment_id], max_results=1000)
    parents = [run for run in runs if "mlflow.parentRunId" not in run.data.tags]
    children = [run for run in runs if "mlflow.parentRunId" in run.data.tags]
    assert sorted(run.info.run_id for run in parents) == sorted(parent_ids.values())
    first, second = parents
    assert max(first.info.start_time, second.info.start_time) < min(
        first.info.end_time, second.info.end_time
    ), "the two tunings did not overlap in time, so the test proved nothing about concurrency"
    assert len(children) == 8
    for parent_id in parent_ids.values():
        own = [run for run in children if run.data.tags["mlflow.parentRunId"] == parent_id]
        assert len(own) == 4
    assert {run.info.status for run in runs} == {"FINISHED"}
    assert all({"avg_rmse", "std_rmse"} <= run.data.metrics.keys() for run in children)
    assert all({"test_rmse", "fit_seconds"} <= run.data.metrics.keys() for run in parents)
    for parent in parents:
        artifacts = {item.path for item in client.list_artifacts(parent.info.run_id)}
        assert {"model", "best_parameters.json", "search_results.csv"} <= artifacts
