"""Read and write Databricks source-format notebooks (`.py`), exactly.

The format, as the Databricks export writes it:

    # Databricks notebook source
    print("first cell")

    # COMMAND ----------

    # MAGIC %md
    # MAGIC A markdown cell: every line carries the `# MAGIC` prefix.

Cells are split on `# COMMAND ----------` with one blank line on each side. A cell may
open with a title line `# DBTITLE 1,<title>`. A cell whose lines all carry the MAGIC
prefix is a magic cell: `%md` / `%md-sandbox` make it markdown, anything else (`%sql`,
`%pip`, `%run`, ...) is kept as a magic cell whose source starts with `%`.

Reading and writing are exact inverses: `to_source_text(parse_source(text))` gives back
`text` byte for byte. Text that could not be written back the same way (a stray MAGIC
line with trailing space, a separator without its blank lines) is rejected with an error
naming the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import nbformat

HEADER = "# Databricks notebook source"
SEPARATOR = "\n\n# COMMAND ----------\n\n"
SEPARATOR_LINE = "# COMMAND ----------"
MAGIC = "# MAGIC"
TITLE_PREFIX = "# DBTITLE 1,"
MARKDOWN_MAGICS = ("%md", "%md-sandbox")

CellKind = Literal["code", "markdown", "magic"]


class NotebookFormatError(ValueError):
    """The text is not a Databricks source notebook this module can read exactly."""


@dataclass(frozen=True)
class Cell:
    """One notebook cell.

    Attributes:
        kind: "code" (Python), "markdown", or "magic" (source starts with `%<name>`).
        source: the cell's content without MAGIC prefixes (for markdown, without the
            `%md` line).
        title: the cell title from a `# DBTITLE 1,` line, if any.
        line: the 1-based line in the file where the cell's content starts.
        markdown_magic: `%md` or `%md-sandbox` for markdown cells.
    """

    kind: CellKind
    source: str
    title: str | None = None
    line: int = 0
    markdown_magic: str = "%md"

    @property
    def magic_name(self) -> str | None:
        """The magic command of a magic cell (`%sql`, `%run`, ...), else None."""
        if self.kind != "magic":
            return None
        return self.source.split(maxsplit=1)[0]


@dataclass(frozen=True)
class SourceNotebook:
    """A parsed notebook: its cells and where it came from."""

    cells: tuple[Cell, ...]
    path: Path | None = None
    trailing_newline: bool = True

    def code_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.kind == "code"]


def _where(path: Path | None, line: int) -> str:
    return f"{path or '<text>'}, line {line}"


def _is_magic_line(line: str) -> bool:
    return line == MAGIC or line.startswith(MAGIC + " ")


def _strip_magic(lines: list[str]) -> list[str]:
    return [line[len(MAGIC) + 1 :] for line in lines]


def _add_magic(lines: list[str]) -> list[str]:
    return [f"{MAGIC} {line}" if line else MAGIC for line in lines]


def _parse_cell(raw: str, line: int, path: Path | None) -> Cell:
    lines = raw.split("\n")
    title = None
    content_line = line
    if lines[0].startswith(TITLE_PREFIX):
        title = lines[0][len(TITLE_PREFIX) :]
        lines = lines[1:]
        content_line += 1
    if SEPARATOR_LINE in lines:
        offset = lines.index(SEPARATOR_LINE)
        raise NotebookFormatError(
            f"{_where(path, content_line + offset)}: a cell separator needs exactly one "
            "blank line before and after it."
        )
    if lines and lines != [""] and all(_is_magic_line(text) for text in lines):
        content = _strip_magic(lines)
        first = content[0].strip()
        if first in MARKDOWN_MAGICS:
            cell = Cell("markdown", "\n".join(content[1:]), title, content_line, first)
        elif first.startswith("%md"):
            raise NotebookFormatError(
                f"{_where(path, content_line)}: put markdown on the lines after `%md`, "
                "not on the same line."
            )
        else:
            cell = Cell("magic", "\n".join(content), title, content_line)
    else:
        cell = Cell("code", "\n".join(lines), title, content_line)
    if _cell_text(cell) != raw:
        raise NotebookFormatError(
            f"{_where(path, line)}: this cell cannot be written back unchanged; check for "
            "`# MAGIC` lines with trailing spaces or a magic cell mixed with plain lines."
        )
    return cell


def parse_source(text: str, path: Path | None = None) -> SourceNotebook:
    """Parse the text of a Databricks source notebook.

    Raises:
        NotebookFormatError: the first line is not the header, or a cell cannot be
            written back byte for byte.
    """
    first_line, _, body = text.partition("\n")
    if first_line != HEADER:
        raise NotebookFormatError(
            f"{_where(path, 1)}: a Databricks source notebook starts with the line "
            f"`{HEADER}`; found {first_line[:60]!r}. Export the notebook from Databricks "
            "as source, or add that line."
        )
    trailing_newline = body.endswith("\n")
    if trailing_newline:
        body = body[:-1]
    cells = []
    line = 2
    for raw in body.split(SEPARATOR):
        cells.append(_parse_cell(raw, line, path))
        line += raw.count("\n") + SEPARATOR.count("\n")
    return SourceNotebook(tuple(cells), path, trailing_newline)


def read_notebook(path: Path | str) -> SourceNotebook:
    """Read and parse a Databricks source notebook file."""
    path = Path(path)
    return parse_source(path.read_text(encoding="utf-8"), path)


def _cell_text(cell: Cell) -> str:
    lines: list[str] = []
    if cell.title is not None:
        lines.append(TITLE_PREFIX + cell.title)
    if cell.kind == "code":
        lines.append(cell.source)
    elif cell.kind == "markdown":
        lines.extend(_add_magic([cell.markdown_magic, *cell.source.split("\n")]))
    else:
        lines.extend(_add_magic(cell.source.split("\n")))
    return "\n".join(lines)


def to_source_text(notebook: SourceNotebook) -> str:
    """Write a notebook in the Databricks source format."""
    body = SEPARATOR.join(_cell_text(cell) for cell in notebook.cells)
    return f"{HEADER}\n{body}" + ("\n" if notebook.trailing_newline else "")


def to_ipynb(notebook: SourceNotebook) -> nbformat.NotebookNode:
    """Convert to a Jupyter notebook; magic cells become code cells starting with `%`."""
    cells = []
    for cell in notebook.cells:
        metadata: dict = {}
        if cell.title is not None:
            metadata["title"] = cell.title
        if cell.kind == "markdown":
            if cell.markdown_magic != "%md":
                metadata["databricks_magic"] = cell.markdown_magic
            cells.append(nbformat.v4.new_markdown_cell(cell.source, metadata=metadata))
        else:
            cells.append(nbformat.v4.new_code_cell(cell.source, metadata=metadata))
    return nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "databricks_source": {"trailing_newline": notebook.trailing_newline},
        },
    )


def from_ipynb(notebook: nbformat.NotebookNode) -> SourceNotebook:
    """Convert a Jupyter notebook made by `to_ipynb` (and perhaps edited) back."""
    cells = []
    for cell in notebook.cells:
        title = cell.metadata.get("title")
        if cell.cell_type == "markdown":
            magic = cell.metadata.get("databricks_magic", "%md")
            cells.append(Cell("markdown", cell.source, title, markdown_magic=magic))
        elif cell.source.startswith("%"):
            cells.append(Cell("magic", cell.source, title))
        else:
            cells.append(Cell("code", cell.source, title))
    trailing = notebook.metadata.get("databricks_source", {}).get("trailing_newline", True)
    return SourceNotebook(tuple(cells), trailing_newline=trailing)
