"""`explainParams()` as a table: one row per parameter, easier to scan than the raw text."""

from __future__ import annotations

import pandas as pd
from pyspark.ml.param import Params

_NOT_SET = ""


def _shown(value: object) -> str:
    return _NOT_SET if value is None else str(value)


def params_table(stage: Params) -> pd.DataFrame:
    """Describe every parameter of a Spark ML stage.

    Args:
        stage: an estimator, transformer or evaluator, e.g. `LinearRegression()`.

    Returns:
        Columns `name`, `meaning`, `default`, `current` and `set_by_user`, sorted by name.
        `default` and `current` are strings; empty when the parameter has no value.
    """
    # A copy with every user-set value cleared shows the defaults through public API only.
    defaults = stage.copy()
    for param in stage.params:
        defaults.clear(param)
    rows = []
    for param in stage.params:
        default = defaults.getOrDefault(param) if defaults.isDefined(param) else None
        current = stage.getOrDefault(param) if stage.isDefined(param) else None
        rows.append(
            {
                "name": param.name,
                "meaning": param.doc,
                "default": _shown(default),
                "current": _shown(current),
                "set_by_user": stage.isSet(param),
            }
        )
    return pd.DataFrame(rows).sort_values("name", ignore_index=True)
