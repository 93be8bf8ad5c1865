"""`python -m sparkml_tuning run`: real kernels, local Spark, and the executed notebooks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from sparkml_tuning import runner

NOTEBOOKS = Path(__file__).parent / "notebooks"


def run_command(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env_uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    return subprocess.run(
        [sys.executable, "-m", "sparkml_tuning", "run", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MLFLOW_TRACKING_URI": env_uri},
        timeout=300,
    )


def executed_notebook(stdout: str) -> nbformat.NotebookNode:
    output_path = stdout.strip().splitlines()[-1].split("-> ")[-1]
    return nbformat.read(output_path, as_version=4)


def outputs_of(notebook: nbformat.NotebookNode) -> tuple[str, list[str]]:
    text, kinds = [], []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text.append(output.get("text", ""))
            text.append(output.get("data", {}).get("text/plain", ""))
            kinds.extend(output.get("data", {}).keys())
    return "\n".join(text), kinds


def test_run_executes_a_notebook_with_an_overridden_widget(tmp_path: Path):
    result = run_command(tmp_path, str(NOTEBOOKS / "runtime_demo.py"), "--param", "rows=7")
    assert result.returncode == 0, result.stderr
    assert "runtime_demo.py: cell 5 of 7 (line 28)" in result.stderr
    text, kinds = outputs_of(executed_notebook(result.stdout))
    assert "rows=7 flavour=plain hello from shared_setup" in text
    assert "# Databricks notebook source" in text
    assert "Skipped locally: %pip install something-not-needed-locally" in text
    assert "42" in text
    assert "text/html" in kinds and "image/png" in kinds


def test_a_failing_cell_names_the_notebook_cell_and_line(tmp_path: Path):
    result = run_command(tmp_path, str(NOTEBOOKS / "failing.py"))
    assert result.returncode == 1
    assert "tests/notebooks/failing.py, cell 3 (line 10): ZeroDivisionError" in result.stderr
    text, _ = outputs_of(executed_notebook(result.stdout))
    assert "before the failure" in text


def test_a_param_for_an_unknown_widget_stops_before_anything_runs(tmp_path: Path):
    result = run_command(tmp_path, str(NOTEBOOKS / "runtime_demo.py"), "--param", "colour=red")
    assert result.returncode == 2
    assert "--param colour" in result.stderr and "never declares" in result.stderr
    assert "starting Spark" not in result.stderr


def test_a_missing_notebook_is_reported(tmp_path: Path):
    result = run_command(tmp_path, str(NOTEBOOKS / "nope.py"))
    assert result.returncode == 2
    assert "nope.py: no such notebook file" in result.stderr


def test_a_missing_java_stops_the_run_at_once_with_install_advice(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "sparkml_tuning", "run", str(NOTEBOOKS / "runtime_demo.py")],
        capture_output=True,
        text=True,
        env={**os.environ, "JAVA_HOME": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode == 2
    assert "Spark needs Java 17 or 21" in result.stderr and "JAVA_HOME" in result.stderr
    assert "starting Spark" not in result.stderr


def test_two_runs_in_the_same_second_get_two_output_folders(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(runner, "BUILD_DIR", tmp_path)
    first, second = runner.new_output_dir(), runner.new_output_dir()
    assert first != second
    assert first.is_dir() and second.is_dir()
