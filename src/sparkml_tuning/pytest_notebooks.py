"""pytest plugin: every Databricks notebook under notebooks/ is a test, run through nbmake.

nbmake collects only `.ipynb` files, so each source notebook is first turned into the
Jupyter notebook that runs it locally (`local_notebook.to_local_ipynb`), written under
`build/pytest/` (with its outputs, for inspection), and executed by nbmake's runner with
the widgets' default values. A failing cell fails the test with the notebook, the cell
and the source line named.

Enabled in pyproject.toml with `-p sparkml_tuning.pytest_notebooks`.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbmake.nb_run import NotebookRun

from sparkml_tuning.local_notebook import cell_location, to_local_ipynb
from sparkml_tuning.notebook_source import HEADER
from sparkml_tuning.project_paths import BUILD_DIR, NOTEBOOKS_DIR, PROJECT_ROOT

# Labs ship with blanks, so their check cells fail on purpose: tests/test_labs.py runs them.
LABS_DIR = NOTEBOOKS_DIR / "labs"

_collected: list[Path] = []


class NotebookCellFailed(Exception):
    """A notebook cell raised; the message says which and shows the traceback."""


def _is_notebook(path: Path) -> bool:
    parents = path.resolve().parents
    if path.suffix != ".py" or NOTEBOOKS_DIR not in parents or LABS_DIR in parents:
        return False
    with path.open(encoding="utf-8") as file:
        return file.readline().rstrip("\n") == HEADER


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_notebook(file_path):
        _collected.append(file_path)
        return DatabricksNotebook.from_parent(parent, path=file_path)
    return None


def _collects_notebooks(config: pytest.Config) -> bool:
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path == NOTEBOOKS_DIR or path in NOTEBOOKS_DIR.parents:
            return True
    return False


def pytest_collection_finish(session: pytest.Session) -> None:
    if _collects_notebooks(session.config) and not _collected:
        raise pytest.UsageError(
            f"No Databricks notebook was found under {NOTEBOOKS_DIR}: every notebook there "
            f"must start with the line {HEADER!r}. The suite refuses to pass without "
            "running the notebooks."
        )


class DatabricksNotebook(pytest.File):
    def collect(self):
        yield NotebookExecution.from_parent(self, name="run")


class NotebookExecution(pytest.Item):
    def runtest(self) -> None:
        local = to_local_ipynb(self.path, params={})
        output_path = BUILD_DIR / "pytest" / f"{self.path.stem}.ipynb"
        output_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(local, output_path)
        timeout = self.config.getoption("nbmake_timeout")
        result = NotebookRun(output_path, timeout).execute()
        nbformat.write(result.nb, output_path)
        if result.error is not None:
            where = cell_location(result.nb.cells[result.error.failing_cell_index])
            raise NotebookCellFailed(
                f"{self.path.relative_to(PROJECT_ROOT)}, {where}: {result.error.summary}\n"
                f"Executed notebook: {output_path}\n{result.error.trace}"
            )

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, NotebookCellFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"notebook {self.path.name}"
