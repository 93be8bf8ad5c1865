"""What a notebook gets locally in place of Databricks: `spark`, `dbutils`, `display`.

Called from the first cell of every local run (see `local_notebook.bootstrap_code`):

- the working directory becomes the notebook's folder, as on Databricks Runtime 14+;
- MLflow points at the project's local sqlite store (`local_mlflow`);
- `spark` is the local session (`spark_session`), `dbutils.widgets` takes the run's
  parameters (`widgets`), and `display` renders tables and figures (`display`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sparkml_tuning.display import display
from sparkml_tuning.local_mlflow import configure_tracking
from sparkml_tuning.local_notebook import local_cell_code
from sparkml_tuning.notebook_source import read_notebook
from sparkml_tuning.spark_session import local_spark_session
from sparkml_tuning.widgets import LocalDbutils


def start_local_runtime(
    namespace: dict[str, Any],
    notebook_path: str,
    params: Mapping[str, str],
    connect: bool = False,
) -> None:
    """Put `spark`, `dbutils` and `display` into a notebook's namespace."""
    os.chdir(Path(notebook_path).parent)
    configure_tracking()
    namespace["spark"] = local_spark_session(connect=connect)
    namespace["dbutils"] = LocalDbutils(params)
    namespace["display"] = display


def run_notebook(notebook_path: str, namespace: dict[str, Any]) -> None:
    """Run another notebook's cells in `namespace`, as `%run` does on Databricks."""
    path = Path(notebook_path)
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        code = local_cell_code(cell, path)
        if code is not None:
            exec(compile(code, f"{path} (cell {number}, line {cell.line})", "exec"), namespace)
