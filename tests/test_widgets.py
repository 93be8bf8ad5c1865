"""The local dbutils.widgets behaves like Databricks'."""

from __future__ import annotations

import pytest

from sparkml_tuning.widgets import InputWidgetNotDefined, LocalWidgets


def test_declared_default_is_returned():
    widgets = LocalWidgets()
    widgets.text("folds", "3", "Folds")
    assert widgets.get("folds") == "3"


def test_a_parameter_overrides_the_default_and_is_a_string():
    widgets = LocalWidgets({"folds": 5})
    widgets.text("folds", "3")
    assert widgets.get("folds") == "5"


def test_a_parameter_can_be_read_without_a_declaration():
    assert LocalWidgets({"label": "price"}).get("label") == "price"


def test_an_undeclared_widget_raises_like_databricks():
    with pytest.raises(InputWidgetNotDefined, match="No input widget named missing is defined"):
        LocalWidgets().get("missing")


def test_dropdown_rejects_a_default_outside_its_choices():
    with pytest.raises(ValueError, match="not one of its choices"):
        LocalWidgets().dropdown("metric", "auc", ["rmse", "mae"])


def test_dropdown_rejects_a_parameter_outside_its_choices():
    widgets = LocalWidgets({"metric": "auc"})
    with pytest.raises(ValueError, match=r"'auc'.*not among its choices"):
        widgets.dropdown("metric", "rmse", ["rmse", "mae"])


def test_combobox_accepts_any_value_and_multiselect_checks_each():
    widgets = LocalWidgets({"model": "custom", "metrics": "rmse,r2"})
    widgets.combobox("model", "lr", ["lr", "gbt"])
    widgets.multiselect("metrics", "rmse", ["rmse", "mae", "r2"])
    assert widgets.get("model") == "custom"
    assert widgets.get("metrics") == "rmse,r2"


def test_get_all_remove_and_remove_all():
    widgets = LocalWidgets({"extra": "1"})
    widgets.text("a", "x")
    widgets.text("b", "y")
    assert widgets.getAll() == {"a": "x", "b": "y", "extra": "1"}
    widgets.remove("a")
    with pytest.raises(InputWidgetNotDefined):
        widgets.get("a")
    widgets.removeAll()
    assert widgets.getAll() == {"extra": "1"}
    with pytest.raises(InputWidgetNotDefined):
        widgets.remove("b")
