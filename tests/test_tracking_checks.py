"""The MLflow store and the experiment name are checked before any training."""

from __future__ import annotations

import os
import socket
import time

import pytest

from sparkml_tuning.tracking_checks import (
    TrackingSetupError,
    check_experiment_name,
    check_tracking_reachable,
    redact_uri,
)


def _unused_local_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_fails_fast_and_says_what_to_do():
    uri = f"http://127.0.0.1:{_unused_local_port()}"
    started = time.perf_counter()
    with pytest.raises(TrackingSetupError, match=r"cannot be reached.*nothing was trained.*Start"):
        check_tracking_reachable(uri, timeout_seconds=2)
    assert time.perf_counter() - started < 30


def test_local_store_answers(tmp_mlflow):
    assert check_tracking_reachable() == tmp_mlflow


def test_timeout_settings_are_restored(monkeypatch):
    monkeypatch.delenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", raising=False)
    with pytest.raises(TrackingSetupError):
        check_tracking_reachable(f"http://127.0.0.1:{_unused_local_port()}", timeout_seconds=1)
    assert "MLFLOW_HTTP_REQUEST_MAX_RETRIES" not in os.environ


@pytest.mark.parametrize("on_databricks", [True, False])
def test_empty_experiment_name_is_refused(on_databricks):
    with pytest.raises(TrackingSetupError, match="experiment name is empty.*experiment_name"):
        check_experiment_name("  ", on_databricks=on_databricks)


def test_databricks_needs_a_workspace_path():
    with pytest.raises(TrackingSetupError, match=r"starting with '/'.*/Shared/tuning"):
        check_experiment_name("tuning", on_databricks=True)
    assert check_experiment_name(" /Shared/tuning ", on_databricks=True) == "/Shared/tuning"
    assert check_experiment_name("tuning", on_databricks=False) == "tuning"


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("https://alice:s3cr3t-token@mlflow.example.com/api", "https://***@mlflow.example.com/api"),
        ("postgresql://bob:pw@db:5432/mlflow", "postgresql://***@db:5432/mlflow"),
        ("sqlite:///tmp/mlflow.db", "sqlite:///tmp/mlflow.db"),
        ("databricks", "databricks"),
    ],
)
def test_credentials_in_a_tracking_uri_are_never_shown(uri: str, shown: str) -> None:
    assert redact_uri(uri) == shown


def test_an_unreachable_store_is_named_without_its_password() -> None:
    uri = f"http://alice:s3cr3t-token@127.0.0.1:{_unused_local_port()}"
    with pytest.raises(TrackingSetupError) as error:
        check_tracking_reachable(uri, timeout_seconds=1)
    assert "s3cr3t-token" not in str(error.value)
    assert "http://***@127.0.0.1:" in str(error.value)
