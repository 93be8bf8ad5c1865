"""The CrossValidator notebook run as a job would: data given by parameter, bad data stopped."""

from __future__ import annotations

from pathlib import Path

import mlflow
import pandas as pd

from sparkml_tuning.project_paths import NOTEBOOKS_DIR
from sparkml_tuning.runner import run_notebooks

HOUSING_CSV = Path(__file__).resolve().parents[1] / "data" / "boston_housing.csv"
NOTEBOOK = NOTEBOOKS_DIR / "03_cross_validator.py"
EXPERIMENT = "notebook-input-checks"


def _run(tmp_path: Path, csv: Path, **params: str):
    widgets = {"data_source": str(csv), "experiment_name": EXPERIMENT, "num_folds": "2"}
    return run_notebooks([(NOTEBOOK, {**widgets, **params})], output_dir=tmp_path / "out")[-1]


def _runs() -> list:
    experiment = mlflow.get_experiment_by_name(EXPERIMENT)
    if experiment is None:
        return []
    return mlflow.search_runs([experiment.experiment_id], output_format="list")


def test_a_renamed_label_and_another_file_work_through_parameters(tmp_mlflow, tmp_path):
    csv = tmp_path / "prices.csv"
    pd.read_csv(HOUSING_CSV).rename(columns={"medv": "price"}).to_csv(csv, index=False)

    result = _run(tmp_path, csv, label_column="price")

    assert result.ok, result.error
    parents = [run for run in _runs() if "mlflow.parentRunId" not in run.data.tags]
    assert [run.data.tags["data_source"] for run in parents] == [str(csv)]
    assert parents[0].data.params["RegressionEvaluator.labelCol"] == "price"


def test_a_null_anywhere_in_the_data_stops_before_any_run(tmp_mlflow, tmp_path):
    # One missing value; the whole data set is checked, test rows included, before tuning.
    housing = pd.read_csv(HOUSING_CSV)
    housing.loc[len(housing) - 1, "crim"] = None
    csv = tmp_path / "with_null.csv"
    housing.to_csv(csv, index=False)

    result = _run(tmp_path, csv)

    assert not result.ok
    assert f"1 of {len(housing)} rows have a null or NaN" in result.error
    assert "`drop_invalid_rows`" in result.error
    assert _runs() == []
