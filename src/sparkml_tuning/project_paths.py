"""Where the project's local files live, relative to the repository root."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
# Executed notebooks of local runs, one folder per run.
BUILD_DIR = PROJECT_ROOT / "build"
# The local MLflow store: the sqlite database and, beside it, the run artifacts.
LOCAL_MLFLOW_DIR = PROJECT_ROOT / "mlruns"
