"""Where local runs keep their MLflow data: one sqlite store in the repository.

Every notebook run, the tests and `mlflow ui` use the same store, so runs made by one are
seen by the others. `MLFLOW_TRACKING_URI`, when set, wins over the local store.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import mlflow

from sparkml_tuning.project_paths import LOCAL_MLFLOW_DIR, PROJECT_ROOT
from sparkml_tuning.sqlite_store import open_tracking_store, sqlite_path

LOCAL_TRACKING_URI = f"sqlite:///{LOCAL_MLFLOW_DIR / 'mlflow.db'}"


def configure_tracking() -> str:
    """Point MLflow at the local store unless MLFLOW_TRACKING_URI is set; return the URI.

    With a sqlite store MLflow puts each new experiment's artifacts under `./mlruns` of the
    working directory of the process that first opens the store. Notebooks run in their
    own folder (as on Databricks), so the store is opened here from a fixed folder: the
    project root for the local store (artifacts in `mlruns/` beside the database), the
    database's own folder for any other sqlite store. Nothing lands in `notebooks/`.

    A sqlite store is opened under a file lock (`sqlite_store`), so two runs starting at
    once do not both try to create its tables.
    """
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:
        LOCAL_MLFLOW_DIR.mkdir(exist_ok=True)
        uri = LOCAL_TRACKING_URI
        os.environ["MLFLOW_TRACKING_URI"] = uri
    # Creating a store logs every schema migration at INFO; keep notebooks readable.
    for name in ("alembic", "mlflow.store.db.utils"):
        logging.getLogger(name).setLevel(logging.WARNING)
    mlflow.set_tracking_uri(uri)
    database = sqlite_path(uri)
    if database is None:
        return uri
    opened_from = PROJECT_ROOT if uri == LOCAL_TRACKING_URI else database.resolve().parent
    previous = Path.cwd()
    os.chdir(opened_from)
    try:
        open_tracking_store(uri)
    finally:
        os.chdir(previous)
    return uri
