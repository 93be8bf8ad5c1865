"""Pure helpers of run tracking and plotting: names, counts, signature, registry, figures."""

from __future__ import annotations

import pandas as pd

from sparkml_tuning.run_plots import metric_by_param_figure
from sparkml_tuning.run_tracking import (
    child_run_name,
    count_distinct_results,
    metric_columns,
    model_signature,
    registry_uri_for,
)


def test_child_run_name_follows_the_given_order():
    params = {"LinearRegression.standardization": "True", "LinearRegression.maxIter": "10"}
    keys = ["LinearRegression.maxIter", "LinearRegression.standardization"]
    assert child_run_name(params, keys) == "maxIter=10 standardization=True"
    assert child_run_name(params, []) == "defaults"


def test_distinct_results_ignore_float_noise():
    table = pd.DataFrame({"avg_rmse": [5.0, 5.0 + 1e-12, 5.4, 5.4]})
    assert count_distinct_results(table, "avg_rmse") == 2


def test_metric_columns_per_tuner():
    assert metric_columns("CrossValidator", "r2") == ("avg_r2", "std_r2")
    assert metric_columns("TrainValidationSplit", "mae") == ("mae", None)


def test_signature_has_every_feature_and_the_prediction():
    signature = model_signature(["rm", "lstat"])
    assert signature.inputs.input_names() == ["rm", "lstat"]
    assert signature.outputs.input_names() == ["prediction"]


def test_three_part_names_go_to_unity_catalog_on_databricks_only():
    assert registry_uri_for("main.default.housing_model", on_databricks=True) == "databricks-uc"
    assert registry_uri_for("housing_model", on_databricks=True) is None
    assert registry_uri_for("main.default.housing_model", on_databricks=False) is None


def test_figure_has_one_line_per_group_and_a_log_axis_for_wide_ranges():
    table = pd.DataFrame(
        {
            "regParam": ["0.0", "0.01", "1.0"] * 2,
            "elasticNetParam": ["0.0"] * 3 + ["1.0"] * 3,
            "avg_rmse": [5.0, 5.0, 6.0, 5.0, 5.1, 7.0],
        }
    )
    figure = metric_by_param_figure(table, "regParam", "avg_rmse", group_by="elasticNetParam")
    axes = figure.axes[0]
    assert len(axes.get_lines()) == 2
    assert axes.get_xscale() == "symlog"
    assert list(axes.get_lines()[1].get_ydata()) == [5.0, 5.1, 7.0]
