"""`python -m sparkml_tuning ui` serves the MLflow UI and stops cleanly on Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sparkml_tuning.__main__ import build_parser
from sparkml_tuning.local_mlflow import LOCAL_TRACKING_URI
from sparkml_tuning.mlflow_ui import DEFAULT_PORT, ui_command
from sparkml_tuning.project_paths import LOCAL_MLFLOW_DIR, PROJECT_ROOT

STARTUP_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_ui_defaults_to_the_local_store_one_worker_and_this_machine() -> None:
    args = build_parser().parse_args(["ui"])
    assert (args.port, args.host) == (DEFAULT_PORT, "127.0.0.1")
    assert args.backend_store_uri == LOCAL_TRACKING_URI
    assert Path(args.default_artifact_root) == LOCAL_MLFLOW_DIR
    command = ui_command(args.backend_store_uri, args.default_artifact_root, args.port)
    pairs = dict(zip(command[4::2], command[5::2], strict=True))
    assert command[1:4] == ["-m", "mlflow", "ui"]
    assert pairs == {
        "--backend-store-uri": LOCAL_TRACKING_URI,
        "--default-artifact-root": str(LOCAL_MLFLOW_DIR),
        "--host": "127.0.0.1",
        "--port": "5000",
        "--workers": "1",
    }


def test_ui_answers_then_stops_on_ctrl_c_with_exit_code_0(tmp_path: Path) -> None:
    port = free_port()
    store = f"sqlite:///{tmp_path / 'mlflow.db'}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sparkml_tuning",
            "ui",
            "--port",
            str(port),
            "--backend-store-uri",
            store,
            "--default-artifact-root",
            str(tmp_path / "artifacts"),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout])
    reader.start()
    printed: list[str] = []
    try:
        # The command prints its address once the server answers; Ctrl-C comes after that.
        deadline = time.monotonic() + STARTUP_SECONDS
        while not any(line.startswith("MLflow UI: ") for line in printed):
            assert process.poll() is None, f"the UI exited early with {process.returncode}"
            assert time.monotonic() < deadline, f"no address printed within {STARTUP_SECONDS} s"
            with contextlib.suppress(queue.Empty):
                printed.append(lines.get(timeout=1))
        assert http_status(f"http://127.0.0.1:{port}/") == 200
        os.kill(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    reader.join(timeout=30)  # the pipe closes once the UI's whole process group is gone
    while not lines.empty():
        printed.append(lines.get())
    output = "".join(printed)
    assert process.returncode == 0, output
    assert f"MLflow UI: http://127.0.0.1:{port}" in output
    assert "MLflow UI stopped." in output
    assert not port_is_open(port), "the UI's port is still open after Ctrl-C"
    assert (tmp_path / "mlflow.db").is_file()
