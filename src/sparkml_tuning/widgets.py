"""A local `dbutils.widgets` with Databricks' semantics.

A widget's value is the parameter passed to the run under its name (as a job or task
parameter would be), or else the default it was declared with. As on Databricks, a
parameter can be read with `get` even when no widget declares it, every value is a
string, and reading a name that is neither declared nor passed raises
`InputWidgetNotDefined`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class InputWidgetNotDefined(KeyError):
    """Raised by `get` for a name that no widget declares and no parameter sets.

    Databricks raises `com.databricks.dbutils_v1.InputWidgetNotDefined` with the same
    message.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"No input widget named {self.name} is defined"


@dataclass(frozen=True)
class Widget:
    kind: str
    default: str
    choices: tuple[str, ...] = ()
    label: str | None = None


class LocalWidgets:
    """The `dbutils.widgets` object of a local notebook run."""

    def __init__(self, params: Mapping[str, str] | None = None) -> None:
        self._params = {name: str(value) for name, value in (params or {}).items()}
        self._widgets: dict[str, Widget] = {}

    def _declare(self, name: str, widget: Widget) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("A widget needs a non-empty string name.")
        value = self._params.get(name, widget.default)
        if widget.kind in ("dropdown", "multiselect"):
            if widget.default not in widget.choices:
                raise ValueError(
                    f"The default {widget.default!r} of widget {name!r} is not one of its "
                    f"choices {list(widget.choices)}; pick a default from the choices."
                )
            selected = value.split(",") if widget.kind == "multiselect" else [value]
            unknown = [item for item in selected if item not in widget.choices]
            if unknown:
                raise ValueError(
                    f"Widget {name!r} was given {value!r}, but {unknown} is not among its "
                    f"choices {list(widget.choices)}; pass one of the choices."
                )
        self._widgets[name] = widget

    def text(self, name: str, defaultValue: str, label: str | None = None) -> None:  # noqa: N803
        self._declare(name, Widget("text", str(defaultValue), label=label))

    def dropdown(
        self,
        name: str,
        defaultValue: str,  # noqa: N803
        choices: Sequence[str],
        label: str | None = None,
    ) -> None:
        self._declare(name, Widget("dropdown", str(defaultValue), tuple(choices), label))

    def combobox(
        self,
        name: str,
        defaultValue: str,  # noqa: N803
        choices: Sequence[str],
        label: str | None = None,
    ) -> None:
        self._declare(name, Widget("combobox", str(defaultValue), tuple(choices), label))

    def multiselect(
        self,
        name: str,
        defaultValue: str,  # noqa: N803
        choices: Sequence[str],
        label: str | None = None,
    ) -> None:
        self._declare(name, Widget("multiselect", str(defaultValue), tuple(choices), label))

    def get(self, name: str) -> str:
        if name in self._params:
            return self._params[name]
        if name in self._widgets:
            return self._widgets[name].default
        raise InputWidgetNotDefined(name)

    def getAll(self) -> dict[str, str]:  # noqa: N802
        """All widget values and passed parameters, by name."""
        values = {name: widget.default for name, widget in self._widgets.items()}
        values.update(self._params)
        return values

    def remove(self, name: str) -> None:
        if name not in self._widgets:
            raise InputWidgetNotDefined(name)
        del self._widgets[name]

    def removeAll(self) -> None:  # noqa: N802
        self._widgets.clear()


class LocalDbutils:
    """The part of `dbutils` that the notebooks use locally: `dbutils.widgets`."""

    def __init__(self, params: Mapping[str, str] | None = None) -> None:
        self.widgets = LocalWidgets(params)
