"""The offline bundle check: the real bundle passes, and each kind of mistake is reported
with the path where it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sparkml_tuning.bundle_check import check_bundle
from sparkml_tuning.bundle_config import BundleConfigError, load_bundle, resolve_variables
from sparkml_tuning.bundle_jobs import JobOrderError, NotebookTask, run_order

PROJECT_ROOT = Path(__file__).resolve().parents[1]

NOTEBOOK = """# Databricks notebook source
dbutils.widgets.text("data_source", "data.csv")
dbutils.widgets.text("num_folds", "3")

# COMMAND ----------

# MAGIC %md
# MAGIC Reads its widgets.

# COMMAND ----------

rows = dbutils.widgets.get("data_source")
folds = int(dbutils.widgets.get("num_folds"))
"""


def tiny_bundle() -> dict[str, Any]:
    """A valid bundle: two notebook tasks, one job parameter, one base parameter."""
    return yaml.safe_load(
        """
bundle:
  name: tiny
variables:
  folds:
    description: Number of folds.
    default: "3"
resources:
  jobs:
    tuning:
      name: tiny
      parameters:
        - name: data_source
          default: data.csv
      tasks:
        - task_key: first
          notebook_task:
            notebook_path: ./first.py
        - task_key: second
          depends_on:
            - task_key: first
          notebook_task:
            notebook_path: ./second.py
            base_parameters:
              num_folds: ${var.folds}
targets:
  dev:
    mode: development
    default: true
"""
    )


def write_bundle(
    folder: Path, config: dict[str, Any] | None = None, notebook: str = NOTEBOOK
) -> Path:
    """Write a bundle file and its two notebooks into `folder`; return the bundle file."""
    (folder / "first.py").write_text(notebook, encoding="utf-8")
    (folder / "second.py").write_text(notebook, encoding="utf-8")
    path = folder / "bundle.yml"
    path.write_text(yaml.safe_dump(config or tiny_bundle(), sort_keys=False), encoding="utf-8")
    return path


def tasks(config: dict[str, Any]) -> list[dict[str, Any]]:
    return config["resources"]["jobs"]["tuning"]["tasks"]


def problem_texts(
    path: Path, target: str | None = None, overrides: dict[str, str] | None = None
) -> list[str]:
    return [str(problem) for problem in check_bundle(path, target, overrides)]


def test_the_real_bundle_passes_for_every_target() -> None:
    for target in ("dev", "prod"):
        assert problem_texts(PROJECT_ROOT / "bundle.yml", target) == []


def test_the_tiny_bundle_passes(tmp_path: Path) -> None:
    assert problem_texts(write_bundle(tmp_path)) == []


def test_a_misspelt_key_is_an_unknown_key_at_its_path(tmp_path: Path) -> None:
    config = tiny_bundle()
    tasks(config)[0]["notebok_task"] = tasks(config)[0].pop("notebook_task")
    assert problem_texts(write_bundle(tmp_path, config)) == [
        "resources.jobs.tuning.tasks[0].notebok_task: unknown key; did you mean `notebook_task`?"
    ]


def test_a_parameter_value_that_is_not_a_string_is_reported(tmp_path: Path) -> None:
    config = tiny_bundle()
    tasks(config)[1]["notebook_task"]["base_parameters"]["num_folds"] = 3
    assert problem_texts(write_bundle(tmp_path, config)) == [
        "resources.jobs.tuning.tasks[1].notebook_task.base_parameters.num_folds: expected "
        "string, got integer 3; quote it in YAML."
    ]


def test_a_missing_task_key_is_reported(tmp_path: Path) -> None:
    config = tiny_bundle()
    del tasks(config)[1]["task_key"]
    assert problem_texts(write_bundle(tmp_path, config)) == [
        "resources.jobs.tuning.tasks[1].task_key: required key is missing."
    ]


def test_depends_on_a_task_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    config = tiny_bundle()
    tasks(config)[1]["depends_on"][0]["task_key"] = "frist"
    assert problem_texts(write_bundle(tmp_path, config)) == [
        "resources.jobs.tuning.tasks[1].depends_on[0].task_key: 'frist' names no task of "
        "job 'tuning' (its tasks: first, second); use one of those task keys."
    ]


def test_a_parameter_for_an_undeclared_widget_is_reported(tmp_path: Path) -> None:
    config = tiny_bundle()
    tasks(config)[1]["notebook_task"]["base_parameters"] = {"num_fold": "3"}
    assert problem_texts(write_bundle(tmp_path, config)) == [
        "resources.jobs.tuning.tasks[1].notebook_task.base_parameters.num_fold: ./second.py "
        "declares no widget 'num_fold' (it declares: data_source, num_folds); fix the name "
        "or declare the widget."
    ]


def test_a_job_parameter_must_be_declared_by_every_notebook(tmp_path: Path) -> None:
    path = write_bundle(tmp_path)
    (tmp_path / "first.py").write_text(
        NOTEBOOK.replace('"data_source", "data.csv"', '"source", "data.csv"').replace(
            'get("data_source")', 'get("source")'
        )
    )
    texts = problem_texts(path)
    assert len(texts) == 1
    assert texts[0].startswith(
        "resources.jobs.tuning.parameters[0].name: job parameter 'data_source' is passed to "
        "every task, but ./first.py (task 'first') declares no widget 'data_source'"
    )


def test_a_widget_read_without_default_or_parameter_is_reported(tmp_path: Path) -> None:
    notebook = NOTEBOOK + '\n# COMMAND ----------\n\nmetric = dbutils.widgets.get("metric")\n'
    path = write_bundle(tmp_path, notebook=notebook)
    texts = problem_texts(path)
    assert len(texts) == 2
    assert texts[0].startswith(
        "resources.jobs.tuning.tasks[0].notebook_task: ./first.py reads widget 'metric' "
        "with dbutils.widgets.get but neither declares it"
    )


def test_a_notebook_path_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    config = tiny_bundle()
    tasks(config)[1]["notebook_task"]["notebook_path"] = "./missing.py"
    assert problem_texts(write_bundle(tmp_path, config)) == [
        "resources.jobs.tuning.tasks[1].notebook_task.notebook_path: ./missing.py does not "
        f"exist (looked for {tmp_path / 'missing.py'}); fix the path, which is relative to "
        "the bundle file, or add the notebook."
    ]


def test_a_notebook_without_the_header_is_reported(tmp_path: Path) -> None:
    path = write_bundle(tmp_path)
    (tmp_path / "first.py").write_text("print('plain file')\n", encoding="utf-8")
    texts = problem_texts(path)
    assert texts == [
        "resources.jobs.tuning.tasks[0].notebook_task.notebook_path: ./first.py is not a "
        "Databricks source notebook: its first line is \"print('plain file')\", not "
        "`# Databricks notebook source`; add that line or point at a notebook."
    ]


def test_a_target_mode_other_than_development_or_production_is_reported(
    tmp_path: Path,
) -> None:
    config = tiny_bundle()
    config["targets"]["dev"]["mode"] = "staging"
    assert problem_texts(write_bundle(tmp_path, config)) == [
        "targets.dev.mode: 'staging' is not a deployment mode; use `development` or `production`."
    ]


def test_an_unknown_variable_is_reported_where_it_is_used(tmp_path: Path) -> None:
    config = tiny_bundle()
    tasks(config)[1]["notebook_task"]["base_parameters"]["num_folds"] = "${var.fold}"
    assert problem_texts(write_bundle(tmp_path, config)) == [
        "resources.jobs.tuning.tasks[1].notebook_task.base_parameters.num_folds: "
        "${var.fold} names no variable; declare it under `variables` or fix the name."
    ]


def test_target_variables_override_the_defaults(tmp_path: Path) -> None:
    config = tiny_bundle()
    config["targets"]["dev"]["variables"] = {"folds": "5"}
    config["targets"]["prod"] = {"mode": "production"}
    bundle = load_bundle(write_bundle(tmp_path, config))
    for target, folds in {"dev": "5", "prod": "3"}.items():
        resolved = resolve_variables(bundle.config, target)
        assert tasks(resolved)[1]["notebook_task"]["base_parameters"]["num_folds"] == folds


def test_an_unknown_target_is_an_error(tmp_path: Path) -> None:
    config = load_bundle(write_bundle(tmp_path)).config
    with pytest.raises(BundleConfigError, match="no target 'staging'"):
        resolve_variables(config, "staging")


def test_tasks_run_after_the_tasks_they_depend_on() -> None:
    tasks = [
        NotebookTask(0, "compare", "c.py", depends_on=("cv", "tvs")),
        NotebookTask(1, "tvs", "t.py", depends_on=("cv",)),
        NotebookTask(2, "cv", "v.py"),
    ]
    assert [task.key for task in run_order(tasks)] == ["cv", "tvs", "compare"]


def test_a_dependency_loop_is_an_error() -> None:
    tasks = [
        NotebookTask(0, "a", "a.py", depends_on=("b",)),
        NotebookTask(1, "b", "b.py", depends_on=("a",)),
    ]
    with pytest.raises(JobOrderError, match="loop"):
        run_order(tasks)


def test_var_overrides_win_over_the_target(tmp_path: Path) -> None:
    config = tiny_bundle()
    config["targets"]["dev"]["variables"] = {"folds": "5"}
    bundle = load_bundle(write_bundle(tmp_path, config))
    resolved = resolve_variables(bundle.config, "dev", {"folds": "7"})
    assert tasks(resolved)[1]["notebook_task"]["base_parameters"]["num_folds"] == "7"


def test_a_var_override_for_an_unknown_variable_is_reported(tmp_path: Path) -> None:
    assert problem_texts(write_bundle(tmp_path), overrides={"fold": "7"}) == [
        "variables: --var fold: the bundle declares no variable 'fold' (its variables: "
        "folds); fix the name."
    ]
