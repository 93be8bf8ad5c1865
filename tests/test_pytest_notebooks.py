"""The pytest plugin that runs notebooks, tried on a throwaway project of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).parent / "notebooks"


@pytest.fixture
def notebook_project(pytester: pytest.Pytester, tmp_path: Path, monkeypatch) -> pytest.Pytester:
    """A folder with the plugin enabled, an empty notebooks/ and its own MLflow store."""
    pytester.makeini("[pytest]\naddopts = -p sparkml_tuning.pytest_notebooks\n")
    (pytester.path / "notebooks").mkdir()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    return pytester


def test_a_failing_cell_fails_the_run_naming_notebook_and_cell(notebook_project):
    shutil.copy(NOTEBOOKS / "failing.py", notebook_project.path / "notebooks" / "failing.py")

    result = notebook_project.runpytest_subprocess("notebooks")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*notebooks/failing.py, cell 3 (line 10): ZeroDivisionError*"])
    assert (notebook_project.path / "build" / "pytest" / "failing.ipynb").is_file()


def test_a_notebooks_folder_without_notebooks_is_refused(notebook_project):
    (notebook_project.path / "notebooks" / "plain.py").write_text("print('not a notebook')\n")

    result = notebook_project.runpytest_subprocess("notebooks")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*No Databricks notebook was found under*notebooks*"])


def test_a_notebook_named_by_path_runs_once_and_is_not_imported(notebook_project):
    (notebook_project.path / "notebooks" / "one.py").write_text(
        "# Databricks notebook source\n"
        'dbutils.widgets.text("rows", "3")\n'
        "\n# COMMAND ----------\n\n"
        'assert int(dbutils.widgets.get("rows")) == 3\n'
    )

    result = notebook_project.runpytest_subprocess("notebooks/one.py")

    result.assert_outcomes(passed=1, errors=0)
