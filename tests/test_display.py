"""The local display() renders tables and figures as Databricks would."""

from __future__ import annotations

import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from sparkml_tuning import display as display_module


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list:
    shown: list = []
    monkeypatch.setattr(display_module, "ipython_display", shown.append)
    return shown


def test_spark_dataframe_is_shown_as_a_pandas_table(spark, shown):
    display_module.display(spark.range(3))
    assert isinstance(shown[0], pd.DataFrame)
    assert shown[0]["id"].tolist() == [0, 1, 2]


def test_long_tables_are_cut_with_a_note(shown, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(display_module, "MAX_ROWS", 2)
    display_module.display(pd.DataFrame({"x": range(5)}))
    assert len(shown[0]) == 2
    assert "first 2 of 5 rows" in shown[1].data


def test_figure_is_shown_as_png_and_closed(shown):
    figure, axes = plt.subplots()
    axes.plot([1, 2])
    display_module.display(figure)
    formatted, _ = InteractiveShell.instance().display_formatter.format(shown[0])
    assert base64.b64decode(formatted["image/png"])[:4] == b"\x89PNG"
    assert not plt.fignum_exists(figure.number)
