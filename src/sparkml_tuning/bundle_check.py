"""Check `bundle.yml` offline: the official schema, then what the schema cannot express.

The checks beyond the schema:

- each target's `mode` is `development` or `production`;
- task keys are unique, each `depends_on` names a task of the same job, and the
  dependencies form no loop;
- each `notebook_path` is a file whose first line is `# Databricks notebook source`;
- each job parameter names a widget that every notebook task of the job declares (job
  parameters are pushed to every task), and each `base_parameters` key names a widget
  that its notebook declares;
- each widget a notebook reads with `dbutils.widgets.get` is declared with a default or
  receives a parameter.

Widgets are found by parsing the notebooks' code cells, and the notebooks they `%run`,
with `ast` (`local_notebook.declared_widgets` and `read_widgets`): only calls on
`dbutils.widgets` with a literal name are seen.

`${var.name}` references are resolved for the chosen target before these checks run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sparkml_tuning.bundle_config import (
    BundleConfigError,
    default_target,
    load_bundle,
    resolve_variables,
)
from sparkml_tuning.bundle_jobs import (
    JobOrderError,
    NotebookTask,
    job_parameters,
    jobs,
    notebook_tasks,
    run_order,
)
from sparkml_tuning.bundle_schema import BundleProblem, schema_problems
from sparkml_tuning.local_notebook import LocalRunError, declared_widgets, read_widgets
from sparkml_tuning.notebook_source import HEADER

_logger = logging.getLogger(__name__)

TARGET_MODES = ("development", "production")


def mode_problems(config: dict[str, Any]) -> list[BundleProblem]:
    """Targets whose `mode` is neither `development` nor `production`."""
    problems = []
    targets = config.get("targets")
    for name, target in (targets if isinstance(targets, dict) else {}).items():
        mode = target.get("mode") if isinstance(target, dict) else None
        if mode is not None and mode not in TARGET_MODES:
            problems.append(
                BundleProblem(
                    f"targets.{name}.mode",
                    f"{mode!r} is not a deployment mode; use `development` or `production`.",
                )
            )
    return problems


def dependency_problems(job_key: str, job: dict[str, Any]) -> list[BundleProblem]:
    """Duplicate task keys, `depends_on` entries naming no task, and dependency loops."""
    prefix = f"resources.jobs.{job_key}"
    tasks = job.get("tasks") if isinstance(job.get("tasks"), list) else []
    keys = [task.get("task_key") if isinstance(task, dict) else None for task in tasks]
    known = ", ".join(str(key) for key in keys if key is not None) or "none"
    problems = []
    for index, key in enumerate(keys):
        if key is not None and keys.index(key) != index:
            problems.append(
                BundleProblem(
                    f"{prefix}.tasks[{index}].task_key",
                    f"task key {key!r} is already used by tasks[{keys.index(key)}]; task "
                    "keys must be unique within a job.",
                )
            )
    for index, task in enumerate(tasks):
        depends_on = task.get("depends_on") if isinstance(task, dict) else None
        for position, entry in enumerate(depends_on if isinstance(depends_on, list) else []):
            target = entry.get("task_key") if isinstance(entry, dict) else None
            if target is not None and target not in keys:
                problems.append(
                    BundleProblem(
                        f"{prefix}.tasks[{index}].depends_on[{position}].task_key",
                        f"{target!r} names no task of job {job_key!r} (its tasks: {known}); "
                        "use one of those task keys.",
                    )
                )
    try:
        run_order(notebook_tasks(job))
    except JobOrderError as error:
        problems.append(BundleProblem(f"{prefix}.tasks", str(error)))
    return problems


def _notebook_file_problem(task: NotebookTask, root: Path) -> str | None:
    notebook = task.notebook(root)
    if not notebook.is_file():
        return (
            f"{task.notebook_path} does not exist (looked for {notebook}); fix the path, "
            "which is relative to the bundle file, or add the notebook."
        )
    with notebook.open(encoding="utf-8") as handle:
        first_line = handle.readline().rstrip("\n")
    if first_line != HEADER:
        return (
            f"{task.notebook_path} is not a Databricks source notebook: its first line is "
            f"{first_line[:60]!r}, not `{HEADER}`; add that line or point at a notebook."
        )
    return None


def _widget_problems(
    prefix: str,
    task: NotebookTask,
    notebook: Path,
    job_params: dict[str, Any],
) -> list[BundleProblem]:
    task_path = f"{prefix}.tasks[{task.index}].notebook_task"
    widgets = declared_widgets(notebook)
    declared = ", ".join(sorted(widgets)) or "none"
    problems = []
    for position, name in enumerate(job_params):
        if name not in widgets:
            problems.append(
                BundleProblem(
                    f"{prefix}.parameters[{position}].name",
                    f"job parameter {name!r} is passed to every task, but "
                    f"{task.notebook_path} (task {task.key!r}) declares no widget {name!r} "
                    f"(it declares: {declared}); make it a `base_parameters` entry of the "
                    "tasks that use it, or declare the widget.",
                )
            )
    for name in task.base_parameters:
        if name in job_params:
            problems.append(
                BundleProblem(
                    f"{task_path}.base_parameters.{name}",
                    f"the job parameter {name!r} overrides this value on every run; remove "
                    "one of the two.",
                )
            )
        elif name not in widgets:
            problems.append(
                BundleProblem(
                    f"{task_path}.base_parameters.{name}",
                    f"{task.notebook_path} declares no widget {name!r} (it declares: "
                    f"{declared}); fix the name or declare the widget.",
                )
            )
    passed = set(job_params) | set(task.base_parameters)
    for name in sorted(read_widgets(notebook) - set(widgets) - passed):
        problems.append(
            BundleProblem(
                task_path,
                f"{task.notebook_path} reads widget {name!r} with dbutils.widgets.get but "
                "neither declares it with a default nor receives it as a parameter; declare "
                f"it (dbutils.widgets.text({name!r}, ...)) or add it to `base_parameters`.",
            )
        )
    return problems


def notebook_problems(job_key: str, job: dict[str, Any], root: Path) -> list[BundleProblem]:
    """Missing notebooks, files that are not notebooks, and parameter-widget mismatches."""
    prefix = f"resources.jobs.{job_key}"
    job_params = job_parameters(job)
    problems = []
    for task in notebook_tasks(job):
        task_path = f"{prefix}.tasks[{task.index}].notebook_task.notebook_path"
        if task.notebook_path.startswith("/"):
            _logger.warning(
                "%s: %s is a workspace path, which cannot be checked offline; use a path "
                "relative to the bundle file to have it checked.",
                task_path,
                task.notebook_path,
            )
            continue
        file_problem = _notebook_file_problem(task, root)
        if file_problem:
            problems.append(BundleProblem(task_path, file_problem))
            continue
        try:
            problems.extend(_widget_problems(prefix, task, task.notebook(root), job_params))
        except LocalRunError as error:
            problems.append(BundleProblem(task_path, str(error)))
    return problems


def check_bundle(
    path: Path, target: str | None = None, overrides: Mapping[str, str] | None = None
) -> list[BundleProblem]:
    """Check a bundle file for one target (the default target when None).

    Args:
        path: the bundle file (`bundle.yml`).
        target: the target whose variable values to use.
        overrides: variable values that win over the defaults and the target's, as
            `databricks bundle deploy --var name=value` sets them.

    Returns:
        Every problem found, each with the path in the bundle where it is; empty when
        the bundle is fine.
    """
    try:
        bundle = load_bundle(path)
    except BundleConfigError as error:
        return [BundleProblem(error.path, str(error))]
    problems = schema_problems(bundle.config) + mode_problems(bundle.config)
    try:
        chosen = target or default_target(bundle.config)
        config = resolve_variables(bundle.config, chosen, overrides)
    except BundleConfigError as error:
        return [*problems, BundleProblem(error.path, str(error))]
    for job_key, job in jobs(config).items():
        problems += dependency_problems(job_key, job)
        problems += notebook_problems(job_key, job, bundle.root)
    return problems
