"""`python -m sparkml_tuning ui`: the MLflow UI on the local store, stopped cleanly by Ctrl-C.

The UI is `mlflow ui` with one worker (its default starts several, about 2.8 GB), bound to
127.0.0.1, reading the store every local run writes (`local_mlflow`). It runs in a process
group of its own: Ctrl-C in the terminal reaches only this command, which then stops the
whole group (the server and its worker) and exits 0.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from sparkml_tuning.local_mlflow import LOCAL_TRACKING_URI
from sparkml_tuning.project_paths import LOCAL_MLFLOW_DIR
from sparkml_tuning.tracking_checks import redact_uri

HOST = "127.0.0.1"
DEFAULT_PORT = 5000
STARTUP_SECONDS = 90.0
STOP_SECONDS = 15.0


def ui_command(
    backend_store_uri: str, artifact_root: str, port: int, host: str = HOST
) -> list[str]:
    """The `mlflow ui` command line, run with this interpreter's MLflow."""
    return [
        sys.executable,
        "-m",
        "mlflow",
        "ui",
        "--backend-store-uri",
        backend_store_uri,
        "--default-artifact-root",
        artifact_root,
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        "1",
    ]


def _prepare_local_folders(backend_store_uri: str, artifact_root: str) -> None:
    """Create the folders of a local sqlite store and artifact root, which MLflow expects."""
    if backend_store_uri.startswith("sqlite:///"):
        Path(backend_store_uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if "://" not in artifact_root:
        Path(artifact_root).mkdir(parents=True, exist_ok=True)


def start_ui(
    backend_store_uri: str, artifact_root: str, port: int, host: str = HOST
) -> subprocess.Popen:
    """Start the UI in a new session, so that the terminal's Ctrl-C does not reach it."""
    _prepare_local_folders(backend_store_uri, artifact_root)
    return subprocess.Popen(
        ui_command(backend_store_uri, artifact_root, port, host), start_new_session=True
    )


def ui_address(port: int, host: str = HOST) -> str:
    """The UI's address, e.g. `http://127.0.0.1:5000`."""
    return f"http://{host}:{port}"


def wait_until_ready(
    process: subprocess.Popen, address: str, timeout: float = STARTUP_SECONDS
) -> bool:
    """Poll the server's health endpoint until it answers 200.

    Returns:
        True when the UI answers; False when the process exited or `timeout` seconds passed.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{address}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    return False


def stop_ui(process: subprocess.Popen, timeout: float = STOP_SECONDS) -> int:
    """Stop the UI's whole process group: SIGTERM, then SIGKILL after `timeout` seconds.

    Returns:
        The server's exit code.
    """
    if process.poll() is not None:
        return process.returncode
    try:
        os.killpg(process.pid, signal.SIGTERM)
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()
    except ProcessLookupError:
        return process.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_ui(args: argparse.Namespace) -> int:
    """Run the UI until Ctrl-C (or SIGTERM); then return 0, else the server's exit code."""
    address = ui_address(args.port, args.host)
    # A shell starts background commands with SIGINT ignored; Ctrl-C must still stop the UI.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    process = start_ui(args.backend_store_uri, args.default_artifact_root, args.port, args.host)
    try:
        if not wait_until_ready(process, address):
            code = stop_ui(process)
            print(
                f"error: the MLflow UI did not start on {address} (exit code {code}). "
                f"If the port is taken, choose another with --port.",
                file=sys.stderr,
            )
            return code or 1
        print(f"MLflow UI: {address}  (store {redact_uri(args.backend_store_uri)})", flush=True)
        print("Runs of an experiment: #/experiments/<id>/runs. Ctrl-C stops the UI.", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        stop_ui(process)
        print("MLflow UI stopped.", flush=True)
        return 0
    finally:
        stop_ui(process)


def add_ui_command(subparsers: argparse._SubParsersAction) -> None:
    """Register `ui`: the MLflow UI on the local store, on 127.0.0.1."""
    ui = subparsers.add_parser(
        "ui",
        help="start the MLflow UI on the local store (Ctrl-C stops it)",
        description="Start the MLflow UI (one worker, on 127.0.0.1) on the local store.",
    )
    ui.add_argument("--port", type=int, default=DEFAULT_PORT, help="default: %(default)s")
    ui.add_argument("--host", default=HOST, help="default: %(default)s, this machine only")
    ui.add_argument(
        "--backend-store-uri",
        default=LOCAL_TRACKING_URI,
        help="the MLflow store to show (default: the project's local store)",
    )
    ui.add_argument(
        "--default-artifact-root",
        default=str(LOCAL_MLFLOW_DIR),
        help="where experiments created in the UI keep artifacts (default: %(default)s)",
    )
    ui.set_defaults(func=run_ui)
