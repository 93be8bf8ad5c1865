"""Run Databricks source notebooks locally, one Jupyter kernel per notebook.

Every notebook is checked before the first one starts (see `local_notebook`), so a typo
in a parameter or a magic costs seconds, not a half-finished run. Each executed notebook
is written with its outputs under `build/runs/<time>/`, also when it fails.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from sparkml_tuning.local_notebook import (
    LocalRunError,
    cell_location,
    declared_widgets,
    read_widgets,
    to_local_ipynb,
)
from sparkml_tuning.project_paths import BUILD_DIR, PROJECT_ROOT

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotebookRunResult:
    """The outcome of one notebook's local run."""

    notebook: Path
    output_path: Path
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def params_for_notebooks(
    notebooks: Sequence[Path], params: Mapping[str, str]
) -> dict[Path, dict[str, str]]:
    """Give each notebook the parameters for the widgets it declares or reads.

    Raises:
        LocalRunError: a notebook does not exist, or a parameter names a widget that none
            of the notebooks declares or reads.
    """
    widgets = {}
    for notebook in notebooks:
        if not notebook.is_file():
            raise LocalRunError(f"{notebook}: no such notebook file.")
        widgets[notebook] = set(declared_widgets(notebook)) | read_widgets(notebook)
    known = set().union(*widgets.values()) if widgets else set()
    for name in params:
        if name not in known:
            names = ", ".join(_display_path(notebook) for notebook in notebooks)
            raise LocalRunError(
                f"--param {name}: {names} never declares a widget named {name!r}; "
                f"the widgets are: {', '.join(sorted(known)) or 'none'}."
            )
    return {
        notebook: {name: value for name, value in params.items() if name in names}
        for notebook, names in widgets.items()
    }


def _failure_message(notebook: Path, cell: nbformat.NotebookNode, error: Exception) -> str:
    if isinstance(error, CellExecutionError):
        detail = f"{error.ename}: {error.evalue}"
    else:
        detail = f"{type(error).__name__}: {error}"
    return f"{_display_path(notebook)}, {cell_location(cell)}: {detail}"


def _execute(notebook: Path, local: nbformat.NotebookNode, output_path: Path) -> NotebookRunResult:
    """Execute a notebook prepared by `to_local_ipynb` in a fresh kernel and write it."""
    total = len(local.cells) - 1  # the source notebook's cells, without the setup cell
    current: list[nbformat.NotebookNode] = []
    name = _display_path(notebook)

    def on_cell_start(cell: nbformat.NotebookNode, cell_index: int) -> None:
        current[:] = [cell]
        if cell.metadata.get("local_runtime"):
            _logger.info("%s: starting Spark and MLflow", name)
        else:
            _logger.info(
                "%s: cell %d of %d (line %d)",
                name,
                cell.metadata["source_cell"],
                total,
                cell.metadata["source_line"],
            )

    client = NotebookClient(
        local,
        timeout=None,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.resolve().parent)}},
        on_cell_start=on_cell_start,
    )
    started = time.perf_counter()
    error = None
    try:
        client.execute()
    except Exception as failure:  # the notebook's own errors arrive as CellExecutionError
        error = _failure_message(notebook, current[0], failure)
    seconds = time.perf_counter() - started
    output_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(local, output_path)
    return NotebookRunResult(notebook, output_path, seconds, error)


def new_output_dir() -> Path:
    """Create a fresh folder for one run's executed notebooks; earlier runs are kept.

    The folder is created here, atomically, so two runs started in the same second get
    two folders.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    runs_dir = BUILD_DIR / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    output_dir = runs_dir / stamp
    suffix = 1
    while True:
        try:
            output_dir.mkdir()
            return output_dir
        except FileExistsError:
            suffix += 1
            output_dir = runs_dir / f"{stamp}-{suffix}"


def run_notebooks(
    runs: Sequence[tuple[Path, Mapping[str, str]]],
    connect: bool = False,
    output_dir: Path | None = None,
) -> list[NotebookRunResult]:
    """Run notebooks in order, each with its own widget values; stop at the first failure.

    Every notebook is checked and prepared before the first one starts.

    Args:
        runs: Databricks source notebooks (`.py`) with the widget values each one gets
            (see `params_for_notebooks`).
        connect: run Spark through a local Spark Connect server (as serverless does).
        output_dir: where the executed notebooks go; a new folder under build/runs/ by
            default.

    Returns:
        One result per notebook that ran; the last one carries the error if any failed.

    Raises:
        LocalRunError: a problem found before anything ran (see `local_notebook`).
    """
    prepared = [
        (Path(notebook), to_local_ipynb(Path(notebook), params, connect))
        for notebook, params in runs
    ]
    output_dir = output_dir or new_output_dir()
    results = []
    for number, (notebook, local) in enumerate(prepared, start=1):
        _logger.info("[%d/%d] %s", number, len(prepared), _display_path(notebook))
        result = _execute(notebook, local, output_dir / f"{notebook.stem}.ipynb")
        results.append(result)
        if not result.ok:
            break
        _logger.info("[%d/%d] done in %.1f s", number, len(prepared), result.seconds)
    return results
