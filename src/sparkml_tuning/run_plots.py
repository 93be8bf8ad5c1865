"""Plots of a tuning search: the metric against each hyperparameter, one line per group.

Figures are built with `matplotlib.figure.Figure`, not `pyplot`, so nothing depends on a
global backend or leaks figures; `display(fig)` shows them on Databricks and locally.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure


def _as_numbers(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    return values if numbers.isna().any() else numbers


def metric_by_param_figure(
    table: pd.DataFrame,
    param: str,
    metric_column: str,
    group_by: str | None = None,
) -> Figure:
    """The metric against one hyperparameter, one line per value of `group_by`.

    Args:
        table: one row per combination, e.g. from `run_tracking.child_runs_table`.
        param: the column to put on the x axis.
        metric_column: the column to put on the y axis, e.g. `avg_rmse`.
        group_by: another hyperparameter column; one line per value of it.
    """
    figure = Figure(figsize=(5.5, 3.5), layout="constrained")
    axes = figure.subplots()
    data = table.assign(**{param: _as_numbers(table[param])})
    groups = data.groupby(group_by, sort=True) if group_by else [(None, data)]
    for key, group in groups:
        group = group.sort_values(param)
        label = f"{group_by}={key}" if group_by else None
        axes.plot(group[param], group[metric_column], marker="o", label=label)
    x = data[param]
    if pd.api.types.is_numeric_dtype(x) and (x > 0).any():
        smallest = x[x > 0].min()
        if x.max() / smallest >= 100:
            # A log-like axis that still shows 0 (no regularization) on the left.
            axes.set_xscale("symlog", linthresh=smallest)
    axes.set_xlabel(param)
    axes.set_ylabel(metric_column)
    axes.set_title(f"{metric_column} by {param}")
    axes.grid(alpha=0.3)
    if group_by:
        axes.legend(fontsize="small")
    return figure
