"""pytest plugin: every Databricks notebook under notebooks/ is a test, run through nbmake.

nbmake collects only `.ipynb` files, so each source notebook is first turned into the
Jupyter notebook that runs it locally (`local_notebook.to_local_ipynb`), written under
`build/pytest/` (with its outputs, for inspection), and executed by nbmake's runner with
the widgets' default values. Both folders are taken from pytest's root directory (the
repository's, where pyproject.toml is). A failing cell fails the test with the notebook, the cell
and the source line named.

Enabled in pyproject.toml with `-p sparkml_tuning.pytest_notebooks`.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbmake.nb_run import NotebookRun

from sparkml_tuning.local_notebook import cell_location, to_local_ipynb
from sparkml_tuning.notebook_source import HEADER

# Labs ship with blanks, so their check cells fail on purpose: tests/test_labs.py runs them.
LABS_FOLDER = "labs"

_collected: list[Path] = []

# The kernel colours its tracebacks; in a test report the escape codes are only noise.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


class NotebookCellFailed(Exception):
    """A notebook cell raised; the message says which and shows the traceback."""


def _notebooks_dir(config: pytest.Config) -> Path:
    return config.rootpath.resolve() / "notebooks"


def _is_notebook(path: Path, notebooks_dir: Path) -> bool:
    parents = path.resolve().parents
    if path.suffix != ".py" or notebooks_dir not in parents:
        return False
    if notebooks_dir / LABS_FOLDER in parents:
        return False
    with path.open(encoding="utf-8") as file:
        return file.readline().rstrip("\n") == HEADER


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_notebook(file_path, _notebooks_dir(parent.config)):
        _collected.append(file_path)
        return DatabricksNotebook.from_parent(parent, path=file_path)
    return None


class _NotImported(pytest.File):
    """Stands in for the Python module pytest would import for a notebook it is given by path."""

    def collect(self) -> list[pytest.Item]:
        return []


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Collector | None:
    """A notebook named on the command line runs as a notebook and is never imported.

    pytest imports every `.py` file given by path; a notebook imported as a module fails on
    its first use of `dbutils` or `spark`, which only the notebook runtime provides.
    """
    if _is_notebook(module_path, _notebooks_dir(parent.config)):
        return _NotImported.from_parent(parent, path=module_path)
    return None


def _collects_notebooks(config: pytest.Config) -> bool:
    notebooks_dir = _notebooks_dir(config)
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path == notebooks_dir or path in notebooks_dir.parents:
            return True
    return False


def pytest_collection_finish(session: pytest.Session) -> None:
    if _collects_notebooks(session.config) and not _collected:
        raise pytest.UsageError(
            f"No Databricks notebook was found under {_notebooks_dir(session.config)}: "
            "every notebook there "
            f"must start with the line {HEADER!r}. The suite refuses to pass without "
            "running the notebooks."
        )


class DatabricksNotebook(pytest.File):
    def collect(self):
        yield NotebookExecution.from_parent(self, name="run")


class NotebookExecution(pytest.Item):
    def runtest(self) -> None:
        local = to_local_ipynb(self.path, params={})
        root = self.config.rootpath
        output_path = root / "build" / "pytest" / f"{self.path.stem}.ipynb"
        output_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(local, output_path)
        timeout = self.config.getoption("nbmake_timeout")
        result = NotebookRun(output_path, timeout).execute()
        nbformat.write(result.nb, output_path)
        if result.error is not None:
            where = cell_location(result.nb.cells[result.error.failing_cell_index])
            message = (
                f"{self.path.relative_to(root)}, {where}: {result.error.summary}\n"
                f"Executed notebook: {output_path}\n{result.error.trace}"
            )
            raise NotebookCellFailed(_ANSI_ESCAPE.sub("", message))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, NotebookCellFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"notebook {self.path.name}"
