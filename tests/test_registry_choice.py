"""The registry follows the place the code runs in, not only the shape of the name."""

from __future__ import annotations

import pytest

from sparkml_tuning.databricks_env import running_on_databricks
from sparkml_tuning.run_tracking import registry_uri_for


def test_three_part_name_goes_to_unity_catalog_only_on_databricks():
    assert registry_uri_for("main.default.housing_model", on_databricks=True) == "databricks-uc"
    assert registry_uri_for("main.default.housing_model", on_databricks=False) is None
    assert registry_uri_for("housing_model", on_databricks=True) is None


def test_place_is_detected_from_the_runtime_or_the_tracking_uri(monkeypatch):
    monkeypatch.delenv("DATABRICKS_RUNTIME_VERSION", raising=False)
    assert not running_on_databricks("sqlite:///mlflow.db")
    assert running_on_databricks("databricks")
    assert running_on_databricks("databricks://dev-profile")
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "18.0")
    assert running_on_databricks("sqlite:///mlflow.db")


@pytest.mark.usefixtures("tmp_mlflow")
def test_laptop_store_takes_the_three_part_name(monkeypatch):
    monkeypatch.delenv("DATABRICKS_RUNTIME_VERSION", raising=False)
    assert registry_uri_for("main.default.sparkml_tuning_housing") is None
