"""Turn a Databricks source notebook into a Jupyter notebook that runs locally.

The notebook file stays exactly as it would run on Databricks. For a local run it gets a
first cell that provides what Databricks provides (`spark`, `dbutils`, `display`; see
`local_runtime`), and its magic cells are translated:

- `%md`: stays markdown;
- `%pip`: skipped with a visible note, since the local environment comes from
  requirements.txt;
- `%run ./other`: runs the other notebook in the same namespace, as on Databricks;
- `%sql`: runs through `spark.sql` and displays the result;
- any other magic: an error naming the file and line, before anything runs.

Every problem this module can find (a missing header, an unknown magic, a `%run` target
that does not exist, a parameter for a widget the notebook never declares) is raised as
`LocalRunError` before a kernel or a Spark session starts.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import nbformat

from sparkml_tuning.notebook_source import Cell, NotebookFormatError, read_notebook

WIDGET_DECLARATIONS = ("text", "dropdown", "combobox", "multiselect")
SUPPORTED_MAGICS = ("%md", "%md-sandbox", "%pip", "%run", "%sql")


class LocalRunError(ValueError):
    """A notebook cannot run locally; the message names the file and line."""


def _where(path: Path, cell: Cell) -> str:
    return f"{path}, line {cell.line}"


def run_target(cell: Cell, notebook_path: Path) -> Path:
    """The notebook file a `%run` cell names, resolved like Databricks does.

    The path is relative to the calling notebook's folder and has no extension.
    """
    parts = cell.source.split()
    if len(parts) != 2:
        raise LocalRunError(
            f"{_where(notebook_path, cell)}: `%run` takes exactly one notebook path, "
            f"for example `%run ./helpers`; found {cell.source.strip()!r}."
        )
    target = (notebook_path.parent / parts[1]).resolve()
    target = target if target.suffix == ".py" else target.with_name(target.name + ".py")
    if not target.is_file():
        raise LocalRunError(
            f"{_where(notebook_path, cell)}: `%run {parts[1]}` names no notebook; "
            f"{target} does not exist."
        )
    return target


def local_cell_code(cell: Cell, notebook_path: Path) -> str | None:
    """The Python code that runs a cell locally, or None for a markdown cell."""
    if cell.kind == "markdown":
        return None
    if cell.kind == "code":
        return cell.source
    magic = cell.magic_name
    body = cell.source[len(magic) :].strip()
    if magic == "%pip":
        note = f"Skipped locally: %pip {body} (the local environment is requirements.txt)."
        return f"print({note!r})"
    if magic == "%sql":
        return f"display(spark.sql({body!r}))"
    if magic == "%run":
        target = run_target(cell, notebook_path)
        return (
            "from sparkml_tuning.local_runtime import run_notebook\n\n"
            f"run_notebook({str(target)!r}, globals())"
        )
    raise LocalRunError(
        f"{_where(notebook_path, cell)}: the magic {magic} cannot run locally; "
        f"the local runner supports {', '.join(SUPPORTED_MAGICS)}."
    )


def _widget_calls(cell: Cell) -> list[tuple[str, ast.Call]]:
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return []
    calls = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "widgets"
            and isinstance(node.func.value.value, ast.Name)
            and node.func.value.value.id == "dbutils"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            calls.append((node.func.attr, node))
    return calls


def declared_widgets(notebook_path: Path) -> dict[str, str | None]:
    """The widgets a notebook (and the notebooks it `%run`s) declares, with defaults.

    The default is None where it is not a literal string.
    """
    widgets: dict[str, str | None] = {}
    for _, cell in _cells_with_runs(notebook_path):
        for method, call in _widget_calls(cell):
            if method not in WIDGET_DECLARATIONS:
                continue
            default = call.args[1] if len(call.args) > 1 else None
            literal = isinstance(default, ast.Constant) and isinstance(default.value, str)
            widgets[call.args[0].value] = default.value if literal else None
    return widgets


def read_widgets(notebook_path: Path) -> set[str]:
    """The widget names a notebook (and what it `%run`s) reads with `dbutils.widgets.get`."""
    return {
        call.args[0].value
        for _, cell in _cells_with_runs(notebook_path)
        for method, call in _widget_calls(cell)
        if method == "get"
    }


def _cells_with_runs(notebook_path: Path, seen: frozenset[Path] = frozenset()):
    """Yield (file, cell) for a notebook's cells, descending into `%run` targets."""
    notebook_path = notebook_path.resolve()
    if notebook_path in seen:
        return
    try:
        notebook = read_notebook(notebook_path)
    except NotebookFormatError as error:
        raise LocalRunError(str(error)) from error
    for cell in notebook.cells:
        yield notebook_path, cell
        if cell.magic_name == "%run":
            yield from _cells_with_runs(run_target(cell, notebook_path), seen | {notebook_path})


def check_notebook(notebook_path: Path) -> None:
    """Raise LocalRunError for anything that would stop the notebook from running locally."""
    for path, cell in _cells_with_runs(notebook_path):
        local_cell_code(cell, path)


def bootstrap_code(notebook_path: Path, params: Mapping[str, str], connect: bool) -> str:
    """The first cell of a local run: what Databricks gives a notebook."""
    return (
        "# Local stand-ins for what Databricks provides: spark, dbutils, display.\n"
        "from sparkml_tuning.local_runtime import start_local_runtime\n\n"
        f"start_local_runtime(globals(), {str(notebook_path)!r}, {dict(params)!r}, "
        f"connect={connect!r})"
    )


def cell_location(cell: nbformat.NotebookNode) -> str:
    """Where a cell of a notebook made by `to_local_ipynb` came from, for error messages."""
    if cell.metadata.get("local_runtime"):
        return "the local runtime setup (before the first cell)"
    return f"cell {cell.metadata['source_cell']} (line {cell.metadata['source_line']})"


def to_local_ipynb(
    notebook_path: Path, params: Mapping[str, str], connect: bool = False
) -> nbformat.NotebookNode:
    """Build the Jupyter notebook that runs `notebook_path` locally with `params`.

    Each cell's metadata records the source line it came from, so that an error can be
    reported against the `.py` file.
    """
    notebook_path = notebook_path.resolve()
    check_notebook(notebook_path)
    notebook = read_notebook(notebook_path)
    cells = [
        nbformat.v4.new_code_cell(
            bootstrap_code(notebook_path, params, connect),
            metadata={"local_runtime": True},
        )
    ]
    for number, cell in enumerate(notebook.cells, start=1):
        metadata = {"source_cell": number, "source_line": cell.line}
        code = local_cell_code(cell, notebook_path)
        if code is None:
            cells.append(nbformat.v4.new_markdown_cell(cell.source, metadata=metadata))
        else:
            cells.append(nbformat.v4.new_code_cell(code, metadata=metadata))
    return nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "source_notebook": str(notebook_path),
        },
    )
