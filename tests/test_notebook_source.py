"""The source-format parser: exact round trips, cell kinds, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparkml_tuning.notebook_source import (
    NotebookFormatError,
    from_ipynb,
    parse_source,
    read_notebook,
    to_ipynb,
    to_source_text,
)
from sparkml_tuning.project_paths import NOTEBOOKS_DIR, PROJECT_ROOT

EXAMPLE = """# Databricks notebook source
# MAGIC %md
# MAGIC # Title
# MAGIC
# MAGIC Text with  two spaces.

# COMMAND ----------

# DBTITLE 1,Load the data
x = 1


# COMMAND ----------

# MAGIC %md-sandbox
# MAGIC <b>bold</b>

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT 1

# COMMAND ----------

# MAGIC %run ./other
"""


def repository_notebooks() -> list[Path]:
    return sorted(
        path
        for path in PROJECT_ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts
        and path.read_text(encoding="utf-8").startswith("# Databricks notebook source\n")
    )


def test_the_repository_has_notebooks_to_check():
    notebooks = repository_notebooks()
    assert any(NOTEBOOKS_DIR in path.parents for path in notebooks)


@pytest.mark.parametrize(
    "path", repository_notebooks(), ids=lambda path: str(path.relative_to(PROJECT_ROOT))
)
def test_every_notebook_round_trips_through_ipynb_byte_for_byte(path: Path):
    text = path.read_text(encoding="utf-8")
    notebook = read_notebook(path)
    assert to_source_text(from_ipynb(to_ipynb(notebook))) == text


def test_cells_are_classified_with_titles_and_lines():
    notebook = parse_source(EXAMPLE)
    kinds = [cell.kind for cell in notebook.cells]
    assert kinds == ["markdown", "code", "markdown", "magic", "magic"]
    markdown, code, sandbox, sql, run = notebook.cells
    assert markdown.source == "# Title\n\nText with  two spaces."
    assert markdown.line == 2
    assert code.title == "Load the data"
    assert code.source == "x = 1\n"
    assert code.line == 10
    assert sandbox.markdown_magic == "%md-sandbox"
    assert sql.magic_name == "%sql" and sql.source == "%sql\nSELECT 1"
    assert run.magic_name == "%run"


def test_example_round_trips_through_ipynb():
    assert to_source_text(from_ipynb(to_ipynb(parse_source(EXAMPLE)))) == EXAMPLE


def test_a_file_without_trailing_newline_round_trips():
    text = "# Databricks notebook source\nprint(1)"
    assert to_source_text(parse_source(text)) == text


def test_ipynb_has_markdown_and_code_cells_and_a_kernel():
    nb = to_ipynb(parse_source(EXAMPLE))
    assert [cell.cell_type for cell in nb.cells] == [
        "markdown",
        "code",
        "markdown",
        "code",
        "code",
    ]
    assert nb.cells[1].metadata["title"] == "Load the data"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_missing_header_is_rejected_with_the_file_and_line():
    with pytest.raises(NotebookFormatError, match=r"nb\.py, line 1: .*starts with the line"):
        parse_source("print(1)\n", Path("nb.py"))


def test_separator_without_blank_lines_is_rejected_with_its_line():
    text = "# Databricks notebook source\nx = 1\n# COMMAND ----------\ny = 2\n"
    with pytest.raises(NotebookFormatError, match=r"line 3: a cell separator"):
        parse_source(text)


def test_magic_line_with_trailing_space_is_rejected():
    text = "# Databricks notebook source\n# MAGIC %md\n# MAGIC \n# MAGIC text\n"
    with pytest.raises(NotebookFormatError, match="cannot be written back unchanged"):
        parse_source(text)
