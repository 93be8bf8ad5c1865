"""The `check-bundle` and `job` commands of `python -m sparkml_tuning`.

check-bundle [--target T] [--var NAME=VALUE]       check bundle.yml offline
job [--target T] [--var NAME=VALUE] [--param NAME=VALUE] [--connect]
                                                   run the bundle's job locally
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Any

from sparkml_tuning.bundle_check import check_bundle
from sparkml_tuning.bundle_config import (
    BundleConfigError,
    default_target,
    find_bundle_file,
    load_bundle,
    resolve_variables,
)
from sparkml_tuning.bundle_jobs import NotebookTask, job_parameters, jobs, notebook_tasks, run_order
from sparkml_tuning.cli_options import add_connect_option, add_name_value_option
from sparkml_tuning.job_summary import format_summary, mlflow_ui_command, tuner_summaries
from sparkml_tuning.local_mlflow import configure_tracking
from sparkml_tuning.local_notebook import declared_widgets
from sparkml_tuning.project_paths import PROJECT_ROOT
from sparkml_tuning.runner import NotebookRunResult, run_notebooks

_logger = logging.getLogger(__name__)


def _add_bundle_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        default=None,
        help="the bundle target whose variable values to use (default: the default target)",
    )
    add_name_value_option(
        parser, "--var", "set a bundle variable (repeatable), like `databricks bundle deploy --var`"
    )
    parser.add_argument(
        "--bundle",
        type=Path,
        default=None,
        help="the bundle file (default: the one in the repository root)",
    )


def _bundle_file(args: argparse.Namespace) -> Path:
    return args.bundle or find_bundle_file(PROJECT_ROOT)


def _check(args: argparse.Namespace) -> int:
    try:
        path = _bundle_file(args)
    except BundleConfigError as error:
        print(f"error: {error}")
        return 2
    problems = check_bundle(path, args.target, dict(args.var))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{path.name}: {len(problems)} problem(s).")
        return 1
    target = args.target or default_target(load_bundle(path).config)
    print(f"{path.name}: OK for target {target} (schema, tasks, notebooks and widgets).")
    return 0


def add_check_bundle_command(subparsers: Any) -> None:
    """Register `check-bundle`: exit 1 and list each problem with its path, or say OK."""
    parser = subparsers.add_parser(
        "check-bundle",
        help="check bundle.yml offline: the bundle schema, tasks, notebooks and widgets",
    )
    _add_bundle_options(parser)
    parser.set_defaults(func=_check)


def _job_params(job: dict[str, Any], overrides: list[tuple[str, str]]) -> dict[str, str]:
    params = {name: str(value) for name, value in job_parameters(job).items()}
    for name, value in overrides:
        if name not in params:
            known = ", ".join(params) or "none"
            raise BundleConfigError(
                f"--param {name}: the job has no parameter {name!r} (its parameters: {known}); "
                "task parameters are set in bundle.yml under `base_parameters`."
            )
        params[name] = value
    return params


def _only_job(config: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    found = jobs(config)
    if len(found) != 1:
        raise BundleConfigError(
            f"The bundle defines {len(found)} jobs ({', '.join(found) or 'none'}); this "
            "command runs a bundle with exactly one job."
        )
    return next(iter(found.items()))


def _task_params(task: NotebookTask, notebook: Path, job_params: dict[str, str]) -> dict[str, str]:
    """What Databricks passes the task, limited to the widgets its notebook declares."""
    passed = {name: str(value) for name, value in task.base_parameters.items()}
    passed.update(job_params)  # a job parameter wins over a task parameter of the same name
    declared = declared_widgets(notebook)
    return {name: value for name, value in passed.items() if name in declared}


def _run_tasks(
    tasks: list[NotebookTask], root: Path, job_params: dict[str, str], connect: bool
) -> list[NotebookRunResult]:
    runs = []
    for task in tasks:
        notebook = task.notebook(root)
        params = _task_params(task, notebook, job_params)
        _logger.info("Task %s: %s with %s", task.key, task.notebook_path, params)
        runs.append((notebook, params))
    return run_notebooks(runs, connect=connect)


def _print_results(results: list[NotebookRunResult], tasks: list[NotebookTask]) -> None:
    for result in results:
        status = "ok" if result.ok else "FAILED"
        print(f"{status:>6}  {result.notebook.name}  ({result.seconds:.1f} s)")
    if results:
        print(f"\nExecuted notebooks: {results[0].output_path.parent}")
    if results and not results[-1].ok:
        print(f"\n{results[-1].error}")
        skipped = len(tasks) - len(results)
        if skipped:
            print(f"{skipped} later task(s) were not run.")


def _job(args: argparse.Namespace) -> int:
    try:
        return _run_job(args)
    except BundleConfigError as error:
        print(f"error: {error}")
        return 2


def _run_job(args: argparse.Namespace) -> int:
    path = _bundle_file(args)
    problems = check_bundle(path, args.target, dict(args.var))
    if problems:
        for problem in problems:
            print(problem)
        print(f"{path.name} has problems; fix them (see above) before running the job.")
        return 1
    bundle = load_bundle(path)
    target = args.target or default_target(bundle.config)
    config = resolve_variables(bundle.config, target, dict(args.var))
    job_key, job = _only_job(config)
    job_params = _job_params(job, args.param)
    tasks = run_order(notebook_tasks(job))
    started_ms = int(time.time() * 1000)
    print(f"Job {job_key}: {', '.join(task.key for task in tasks)}")
    results = _run_tasks(tasks, bundle.root, job_params, args.connect)
    _print_results(results, tasks)
    tracking_uri = configure_tracking()
    experiment = job_params.get("experiment_name")
    if experiment:
        summaries = tuner_summaries(experiment, started_ms)
        print(f"\nTuners of this run, in MLflow experiment {experiment}:")
        print(format_summary(summaries) if summaries else "(no tuner runs found)")
    print(f"\nMLflow UI: {mlflow_ui_command(tracking_uri)}")
    print("then open http://127.0.0.1:5000, the experiment, and Runs.")
    return 0 if results and results[-1].ok and len(results) == len(tasks) else 1


def add_job_command(subparsers: Any) -> None:
    """Register `job`: run the bundle job's notebook tasks locally, in dependency order."""
    parser = subparsers.add_parser(
        "job",
        help="run the job of bundle.yml locally: its notebook tasks in dependency order",
    )
    _add_bundle_options(parser)
    add_name_value_option(
        parser, "--param", "override a job parameter (repeatable), like `bundle run --params`"
    )
    add_connect_option(parser)
    parser.set_defaults(func=_job, needs_spark=True)
