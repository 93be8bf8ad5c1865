"""The `check-bundle` and `job` commands, on a tiny bundle in a temporary folder."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

from sparkml_tuning import bundle_cli, runner
from sparkml_tuning.project_paths import NOTEBOOKS_DIR
from sparkml_tuning.runner import NotebookRunResult

NOTEBOOK = """# Databricks notebook source
dbutils.widgets.text("data_source", "data.csv")
dbutils.widgets.text("{own}", "default")

# COMMAND ----------

print(dbutils.widgets.get("data_source"), dbutils.widgets.get("{own}"))
"""

BUNDLE = {
    "bundle": {"name": "tiny"},
    "resources": {
        "jobs": {
            "tuning": {
                "name": "tiny",
                "parameters": [{"name": "data_source", "default": "data.csv"}],
                "tasks": [
                    {
                        "task_key": "second",
                        "depends_on": [{"task_key": "first"}],
                        "notebook_task": {
                            "notebook_path": "./second.py",
                            "base_parameters": {"train_ratio": "0.8"},
                        },
                    },
                    {
                        "task_key": "first",
                        "notebook_task": {
                            "notebook_path": "./first.py",
                            "base_parameters": {"num_folds": "4"},
                        },
                    },
                ],
            }
        }
    },
    "targets": {"dev": {"mode": "development", "default": True}},
}


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser()
    commands = root.add_subparsers(dest="command", required=True)
    bundle_cli.add_check_bundle_command(commands)
    bundle_cli.add_job_command(commands)
    return root


@pytest.fixture
def bundle_file(tmp_path: Path) -> Path:
    (tmp_path / "first.py").write_text(NOTEBOOK.replace("{own}", "num_folds"))
    (tmp_path / "second.py").write_text(NOTEBOOK.replace("{own}", "train_ratio"))
    path = tmp_path / "bundle.yml"
    path.write_text(yaml.safe_dump(BUNDLE, sort_keys=False))
    return path


def run(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


def test_check_bundle_says_ok(bundle_file: Path, capsys: pytest.CaptureFixture) -> None:
    assert run(["check-bundle", "--bundle", str(bundle_file)]) == 0
    assert capsys.readouterr().out.startswith("bundle.yml: OK for target dev")


def test_check_bundle_lists_problems_and_exits_1(
    bundle_file: Path, capsys: pytest.CaptureFixture
) -> None:
    config = yaml.safe_load(bundle_file.read_text())
    config["resources"]["jobs"]["tuning"]["tasks"][1]["task_key"] = "one"
    bundle_file.write_text(yaml.safe_dump(config))
    assert run(["check-bundle", "--bundle", str(bundle_file), "--target", "dev"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("resources.jobs.tuning.tasks[0].depends_on[0].task_key: 'first'")
    assert out[-1] == "bundle.yml: 1 problem(s)."


def test_job_runs_tasks_in_order_with_their_own_parameters(
    bundle_file: Path, tmp_mlflow: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, dict[str, str]]] = []

    def fake_run(
        runs: Sequence[tuple[Path, Mapping[str, str]]], connect: bool
    ) -> list[NotebookRunResult]:
        calls.extend((notebook.name, dict(params)) for notebook, params in runs)
        out = bundle_file.parent / "out"
        return [NotebookRunResult(notebook, out / "x.ipynb", 0.1) for notebook, _ in runs]

    monkeypatch.setattr(bundle_cli, "run_notebooks", fake_run)

    code = run(["job", "--bundle", str(bundle_file), "--param", "data_source=other.csv"])

    assert code == 0
    assert calls == [
        ("first.py", {"num_folds": "4", "data_source": "other.csv"}),
        ("second.py", {"train_ratio": "0.8", "data_source": "other.csv"}),
    ]


def test_job_rejects_a_param_that_is_not_a_job_parameter(
    bundle_file: Path, capsys: pytest.CaptureFixture
) -> None:
    assert run(["job", "--bundle", str(bundle_file), "--param", "num_folds=5"]) == 2
    assert "the job has no parameter 'num_folds'" in capsys.readouterr().out


def test_job_runs_a_real_notebook_and_prints_the_summary(
    tmp_path: Path, tmp_mlflow: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    # The repository's CrossValidator notebook as the only task, with real kernels and Spark.
    monkeypatch.setattr(runner, "BUILD_DIR", tmp_path / "build")
    notebook = NOTEBOOKS_DIR / "03_cross_validator.py"
    bundle = {
        "bundle": {"name": "one-task"},
        "resources": {
            "jobs": {
                "tuning": {
                    "name": "one-task",
                    "parameters": [{"name": "experiment_name", "default": "job-test"}],
                    "tasks": [
                        {
                            "task_key": "cross_validator",
                            "notebook_task": {
                                "notebook_path": str(notebook),
                                "base_parameters": {"num_folds": "2", "parallelism": "2"},
                            },
                        }
                    ],
                }
            }
        },
        "targets": {"dev": {"mode": "development", "default": True}},
    }
    path = tmp_path / "bundle.yml"
    path.write_text(yaml.safe_dump(bundle, sort_keys=False))

    assert run(["job", "--bundle", str(path)]) == 0

    out = capsys.readouterr().out
    assert "Job tuning: cross_validator" in out
    assert f"Executed notebooks: {tmp_path / 'build' / 'runs'}" in out
    assert list((tmp_path / "build" / "runs").glob("*/03_cross_validator.ipynb"))
    summary = out.split("Tuners of this run, in MLflow experiment job-test:")[1]
    row = next(line for line in summary.splitlines() if line.startswith("CrossValidator"))
    assert "LinearRegression" in row and "fitIntercept=" in row and "rmse" in row
    assert "python -m sparkml_tuning ui" in out
