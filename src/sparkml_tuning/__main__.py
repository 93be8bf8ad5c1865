"""Command line: `python -m sparkml_tuning <command>`.

run NOTEBOOK... [--param NAME=VALUE] [--connect]   run notebooks locally
job [--target T] [--param NAME=VALUE] [--connect]  run the bundle's job locally
check-bundle [--target T]                          check bundle.yml offline
ui [--port N]                                      the MLflow UI of the local store
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from sparkml_tuning.bundle_cli import add_check_bundle_command, add_job_command
from sparkml_tuning.cli_options import add_connect_option, add_name_value_option
from sparkml_tuning.local_notebook import LocalRunError
from sparkml_tuning.mlflow_ui import add_ui_command
from sparkml_tuning.runner import params_for_notebooks, run_notebooks
from sparkml_tuning.spark_session import JavaNotSupportedError, check_java


def _run(args: argparse.Namespace) -> int:
    runs = params_for_notebooks(args.notebooks, dict(args.param))
    results = run_notebooks(list(runs.items()), connect=args.connect)
    for result in results:
        status = "ok" if result.ok else "FAILED"
        print(f"{status:>6}  {result.notebook}  ({result.seconds:.1f} s)  -> {result.output_path}")
    failed = [result for result in results if not result.ok]
    if failed:
        print(f"\n{failed[0].error}", file=sys.stderr)
        skipped = len(args.notebooks) - len(results)
        if skipped:
            print(f"{skipped} later notebook(s) were not run.", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sparkml_tuning",
        description="Run this project's Databricks notebooks on local Spark and MLflow.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run notebooks locally, in the order given")
    run.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    add_name_value_option(
        run, "--param", "a widget value, as a job parameter would set it (repeatable)"
    )
    add_connect_option(run)
    run.set_defaults(func=_run, needs_spark=True)
    add_job_command(commands)
    add_check_bundle_command(commands)
    add_ui_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    package_logger = logging.getLogger("sparkml_tuning")
    package_logger.addHandler(handler)
    package_logger.setLevel(logging.INFO)
    try:
        if getattr(args, "needs_spark", False):
            check_java()
        return args.func(args)
    except (LocalRunError, JavaNotSupportedError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
