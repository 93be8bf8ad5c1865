"""Benchmarks of Spark ML tuning on one machine; run them all with `python -m benchmarks`."""

from __future__ import annotations

# Name -> module. The order is the order they run and are reported in.
BENCHMARKS = {
    "tracking": "benchmarks.tracking",
    "parallelism": "benchmarks.parallelism",
    "data_size": "benchmarks.data_size",
    "sklearn_peer": "benchmarks.sklearn_peer",
    "grid_size": "benchmarks.grid_size",
    "session": "benchmarks.session",
}
# These start their own processes (and Spark sessions); the rest share one session.
OWN_PROCESSES = ("tracking", "session")
