"""A local `display()`: tables for Spark and pandas DataFrames, images for figures."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from IPython.display import Image, Markdown
from IPython.display import display as ipython_display

# Databricks renders at most 10,000 rows of a DataFrame; a local notebook file stays
# readable with fewer.
MAX_ROWS = 1000


def _is_spark_dataframe(obj: Any) -> bool:
    # Classic and Spark Connect DataFrames are different classes; both live under
    # `pyspark.sql` and both have `toPandas`.
    module = type(obj).__module__
    return module.startswith("pyspark.sql") and hasattr(obj, "toPandas")


def display(obj: Any) -> None:
    """Show a Spark or pandas DataFrame as a table, a matplotlib figure as an image.

    Anything else is shown the way Jupyter would show it.
    """
    if _is_spark_dataframe(obj):
        rows = obj.limit(MAX_ROWS + 1).toPandas()
        _display_table(rows, f"more than {MAX_ROWS}")
    elif isinstance(obj, pd.DataFrame):
        _display_table(obj, str(len(obj)))
    elif _is_matplotlib_figure(obj):
        _display_figure(obj)
    else:
        ipython_display(obj)


def _display_table(rows: pd.DataFrame, total: str) -> None:
    ipython_display(rows.head(MAX_ROWS))
    if len(rows) > MAX_ROWS:
        ipython_display(Markdown(f"Showing the first {MAX_ROWS} of {total} rows."))


def _is_matplotlib_figure(obj: Any) -> bool:
    return type(obj).__module__.startswith("matplotlib") and hasattr(obj, "savefig")


def _display_figure(figure: Any) -> None:
    # Rendered here rather than left to the inline backend, which would show a pyplot
    # figure a second time at the end of the cell; closing it prevents that.
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    ipython_display(Image(data=buffer.getvalue(), format="png"))
