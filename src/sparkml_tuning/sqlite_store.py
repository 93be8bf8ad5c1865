"""Open a local sqlite MLflow store safely when several processes start at once.

The first process to open a new sqlite store creates its tables through a chain of schema
migrations. Two processes doing that at the same moment (two notebooks, a notebook and a
test run, the two halves of a job) race: one of them fails with an alembic `CommandError`
("Online migration expected to match one row ...") before training starts. Here the
first opening happens under an exclusive file lock beside the database, so the second
process waits and then finds the store ready. Once created, sqlite itself serializes the
writes of both processes.

NOTE: the lock uses `fcntl`, which exists on Linux and macOS. On Windows the store is
opened without it, and two runs must not create the same new store at the same time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mlflow import MlflowClient

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

_logger = logging.getLogger(__name__)

SQLITE_PREFIX = "sqlite:///"


def sqlite_path(tracking_uri: str) -> Path | None:
    """The database file of a `sqlite:///` URI (without query string), else None."""
    if not tracking_uri.startswith(SQLITE_PREFIX):
        return None
    path = tracking_uri[len(SQLITE_PREFIX) :].split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


@contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_tracking_store(tracking_uri: str) -> None:
    """Create or upgrade the store once, other processes waiting on a lock for sqlite.

    Args:
        tracking_uri: the MLflow tracking URI; only `sqlite:///` stores are locked, other
            stores are opened as they are.
    """
    database = sqlite_path(tracking_uri)
    if database is None:
        MlflowClient(tracking_uri).search_experiments(max_results=1)
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(database.with_name(database.name + ".lock")):
        MlflowClient(tracking_uri).search_experiments(max_results=1)
    _logger.debug("Opened the MLflow store %s.", database)
