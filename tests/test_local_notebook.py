"""Preparing a notebook for a local run: magics, widgets, and errors found before running."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparkml_tuning.local_notebook import (
    LocalRunError,
    declared_widgets,
    read_widgets,
    to_local_ipynb,
)
from sparkml_tuning.runner import params_for_notebooks

DEMO = Path(__file__).parent / "notebooks" / "runtime_demo.py"


def write(path: Path, *cells: str) -> Path:
    path.write_text(
        "# Databricks notebook source\n" + "\n\n# COMMAND ----------\n\n".join(cells) + "\n"
    )
    return path


def test_magics_are_translated_and_markdown_kept():
    local = to_local_ipynb(DEMO, {"rows": "7"})
    sources = [cell.source for cell in local.cells]
    assert "start_local_runtime" in sources[0] and "'rows': '7'" in sources[0]
    assert local.cells[1].cell_type == "markdown"
    assert any(source.startswith("print('Skipped locally: %pip") for source in sources)
    assert any("run_notebook(" in source and "shared_setup.py" in source for source in sources)
    assert "display(spark.sql('SELECT 41 + 1 AS answer'))" in sources
    assert local.cells[2].metadata == {"source_cell": 2, "source_line": 9}


def test_widgets_are_found_through_run_targets(tmp_path: Path):
    write(tmp_path / "inner.py", 'dbutils.widgets.text("inner", "1")')
    outer = write(
        tmp_path / "outer.py",
        'dbutils.widgets.dropdown("metric", "rmse", ["rmse", "r2"])\nx = dbutils.widgets.get("y")',
        "# MAGIC %run ./inner",
    )
    assert declared_widgets(outer) == {"metric": "rmse", "inner": "1"}
    assert read_widgets(outer) == {"y"}


def test_unknown_magic_is_an_error_naming_file_and_line(tmp_path: Path):
    notebook = write(tmp_path / "nb.py", "x = 1", "# MAGIC %sh ls")
    with pytest.raises(LocalRunError, match=r"nb\.py, line 6: the magic %sh cannot run locally"):
        to_local_ipynb(notebook, {})


def test_run_target_that_does_not_exist_is_an_error(tmp_path: Path):
    notebook = write(tmp_path / "nb.py", "# MAGIC %run ./missing")
    with pytest.raises(LocalRunError, match=r"nb\.py, line 2: `%run \./missing` names no notebook"):
        to_local_ipynb(notebook, {})


def test_file_without_header_is_an_error(tmp_path: Path):
    notebook = tmp_path / "plain.py"
    notebook.write_text("print(1)\n")
    with pytest.raises(LocalRunError, match=r"plain\.py, line 1"):
        to_local_ipynb(notebook, {})


def test_param_for_an_undeclared_widget_is_an_error():
    with pytest.raises(LocalRunError, match=r"--param colour: .*runtime_demo\.py never declares"):
        params_for_notebooks([DEMO], {"colour": "red"})


def test_each_notebook_gets_only_the_params_it_uses(tmp_path: Path):
    first = write(tmp_path / "a.py", 'dbutils.widgets.text("a", "1")')
    second = write(tmp_path / "b.py", 'dbutils.widgets.text("b", "2")')
    assert params_for_notebooks([first, second], {"a": "x", "b": "y"}) == {
        first: {"a": "x"},
        second: {"b": "y"},
    }
