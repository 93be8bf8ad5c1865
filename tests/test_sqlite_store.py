"""Opening a sqlite store: the path is read from the URI and the first opening is locked."""

from __future__ import annotations

from pathlib import Path

from mlflow import MlflowClient

from sparkml_tuning.sqlite_store import open_tracking_store, sqlite_path


def test_database_path_from_the_uri():
    assert sqlite_path("sqlite:////tmp/a/mlflow.db") == Path("/tmp/a/mlflow.db")
    assert sqlite_path("sqlite:///mlruns/mlflow.db?timeout=30") == Path("mlruns/mlflow.db")
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("http://127.0.0.1:5000") is None


def test_new_store_is_created_under_a_lock_beside_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "store" / "mlflow.db"
    uri = f"sqlite:///{database}"
    open_tracking_store(uri)
    open_tracking_store(uri)  # a second opening finds the tables in place
    assert database.is_file()
    assert (tmp_path / "store" / "mlflow.db.lock").is_file()
    assert [e.name for e in MlflowClient(uri).search_experiments()] == ["Default"]
