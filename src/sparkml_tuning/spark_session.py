"""The local SparkSession that stands in for a Databricks cluster's `spark`.

On Databricks the notebook's `spark` already exists and nothing here runs. Locally the
notebook runtime calls `local_spark_session()` once per notebook process.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from pyspark.sql import SparkSession

_logger = logging.getLogger(__name__)

SUPPORTED_JAVA_VERSIONS = (17, 21)

# Settings for small data on one machine, all in one place:
# - shuffle partitions: Spark's default of 200 suits a cluster; a few partitions are
#   enough for thousands of rows and avoid scheduling hundreds of empty tasks.
# - Arrow: Databricks turns it on, and it makes `toPandas()` (used by `display`) fast.
# - console progress bars: they would interleave with notebook output.
# - driver memory: a local session runs everything in the driver; 4 GB leaves room for
#   the synthetic data sets of the benchmarks on a small laptop.
# - loopback only: the driver and its web UI listen on 127.0.0.1, so a laptop on a shared
#   network exposes nothing.
LOCAL_SPARK_SETTINGS = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "4g",
}


class JavaNotSupportedError(RuntimeError):
    """Raised when no Java that Spark 4 runs on can be found."""


def _java_executable() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        return str(candidate) if candidate.exists() else None
    return shutil.which("java")


def _java_major_version(java: str) -> int | None:
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        return None
    major = int(match.group(1))
    # Java 8 and older report themselves as "1.8".
    return int(match.group(2)) if major == 1 and match.group(2) else major


def check_java() -> int:
    """Return the major version of the Java Spark will use, or raise a clear error.

    Spark uses `$JAVA_HOME/bin/java` when JAVA_HOME is set, and `java` from PATH otherwise;
    this check looks at the same one.
    """
    install_hint = (
        "Install Java 17 (Debian/Ubuntu: `sudo apt-get install openjdk-17-jdk-headless`; "
        "macOS: `brew install openjdk@17`) and point JAVA_HOME at it, for example "
        "`export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64`."
    )
    java = _java_executable()
    if java is None:
        where = (
            f"JAVA_HOME={os.environ['JAVA_HOME']} has no bin/java"
            if os.environ.get("JAVA_HOME")
            else "no `java` on PATH and JAVA_HOME is not set"
        )
        raise JavaNotSupportedError(f"Spark needs Java 17 or 21, but {where}. {install_hint}")
    version = _java_major_version(java)
    if version not in SUPPORTED_JAVA_VERSIONS:
        raise JavaNotSupportedError(
            f"Spark 4 runs on Java 17 or 21, but {java} is Java {version}. {install_hint}"
        )
    return version


def local_spark_session(connect: bool = False) -> SparkSession:
    """Start (or return) the local SparkSession with the settings above.

    Args:
        connect: use a local Spark Connect server, as Databricks serverless compute does,
            instead of a classic in-process session.
    """
    check_java()
    # Spark's Python workers run `python3` from PATH unless told otherwise; make them use
    # this interpreter, which has the project's packages.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName("sparkml-tuning")
    builder = builder.remote("local[*]") if connect else builder.master("local[*]")
    for key, value in LOCAL_SPARK_SETTINGS.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if not connect:
        spark.sparkContext.setLogLevel("WARN")
    _logger.info("Started a local Spark %s session (connect=%s).", spark.version, connect)
    return spark
