"""The local MLflow store: artifacts land beside the database, whatever the working directory."""

from __future__ import annotations

from pathlib import Path

import mlflow
import pytest

from sparkml_tuning.local_mlflow import configure_tracking


def test_artifacts_of_a_sqlite_store_land_beside_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    store = tmp_path / "store"
    store.mkdir()
    notebook_folder = tmp_path / "notebooks"
    notebook_folder.mkdir()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{store / 'mlflow.db'}")
    monkeypatch.chdir(notebook_folder)

    assert configure_tracking() == f"sqlite:///{store / 'mlflow.db'}"
    mlflow.set_experiment("/Shared/artifact-location-test")
    with mlflow.start_run():
        mlflow.log_text("hello", "note.txt")
        artifact_uri = mlflow.get_artifact_uri()

    assert Path(artifact_uri.removeprefix("file://")).is_relative_to(store)
    assert list(notebook_folder.iterdir()) == []
