"""No credential in the repository or its history, local data ignored, the UI on loopback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sparkml_tuning.mlflow_ui import HOST, ui_command

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCANNER = PROJECT_ROOT / ".ci" / "scan_secrets.py"
# Built from pieces, so this file holds no token the scanner would find.
PLANTED_TOKEN = "dapi" + "0123456789abcdef" * 2
PLANTED_KEY = "AKIA" + "ABCDEFGHIJKLMNOP"
HOST_VARIABLE, TOKEN_VARIABLE = "DATABRICKS_HOST", "DATABRICKS_TOKEN"


def _scan(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCANNER), str(repo)], capture_output=True, text=True, check=False
    )


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def tmp_repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q")
    (tmp_path / "README.md").write_text(
        f"Set {HOST_VARIABLE}=https://<workspace>.cloud.databricks.com and "
        f"{TOKEN_VARIABLE}=<your token>, or {TOKEN_VARIABLE}=$TOKEN, in your shell.\n"
    )
    _git(tmp_path, "add", "README.md")
    _git(tmp_path, "commit", "-q", "-m", "readme")
    return tmp_path


def test_the_repository_and_its_history_are_clean():
    result = _scan(PROJECT_ROOT)
    assert result.returncode == 0, result.stderr


def test_placeholders_are_not_credentials(tmp_repo):
    assert _scan(tmp_repo).returncode == 0


def test_planted_token_is_named_with_file_and_line(tmp_repo):
    (tmp_repo / "settings.env").write_text(f"# cluster\nTOKEN={PLANTED_TOKEN}\n")
    _git(tmp_repo, "add", "settings.env")
    _git(tmp_repo, "commit", "-q", "-m", "settings")
    result = _scan(tmp_repo)
    assert result.returncode == 1
    assert "settings.env:2: Databricks token" in result.stderr


def test_token_removed_later_is_still_found_in_history(tmp_repo):
    (tmp_repo / "deploy.sh").write_text(f"export AWS_ACCESS_KEY_ID={PLANTED_KEY}\n")
    _git(tmp_repo, "add", "deploy.sh")
    _git(tmp_repo, "commit", "-q", "-m", "deploy")
    _git(tmp_repo, "rm", "-q", "deploy.sh")
    _git(tmp_repo, "commit", "-q", "-m", "remove")
    result = _scan(tmp_repo)
    assert result.returncode == 1
    assert re.search(r"[0-9a-f]{12}:deploy.sh:1: AWS access key id", result.stderr)


def test_host_with_token_pair_is_found(tmp_repo):
    token = "s3cr3t" * 4
    text = f"{HOST_VARIABLE}=https://adb-1.azuredatabricks.net\n{TOKEN_VARIABLE}={token}\n"
    (tmp_repo / ".env.example").write_text(text)
    _git(tmp_repo, "add", ".env.example")
    _git(tmp_repo, "commit", "-q", "-m", "env")
    result = _scan(tmp_repo)
    assert result.returncode == 1
    assert ".env.example:2: Databricks host with a token" in result.stderr


@pytest.mark.parametrize(
    "path", ["mlruns/mlflow.db", "notebooks/mlruns/1/x", "build/runs/1/a.ipynb", ".databricks/x"]
)
def test_local_data_and_cli_state_are_ignored(path):
    result = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "check-ignore", "-q", "--no-index", path], check=False
    )
    assert result.returncode == 0, f"{path} is not ignored by .gitignore"


def test_databrickscfg_is_ignored():
    result = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "check-ignore", "-q", "--no-index", ".databrickscfg"],
        check=False,
    )
    assert result.returncode == 0


def _text_files() -> list[Path]:
    files = [PROJECT_ROOT / "README.md"]
    for folder in ("notebooks", "src", "benchmarks"):
        files += [
            path
            for path in (PROJECT_ROOT / folder).rglob("*")
            if path.suffix in (".py", ".md", ".yml", ".sh") and "mlruns" not in path.parts
        ]
    return files


def test_every_mlflow_ui_command_binds_loopback():
    files = _text_files()
    assert len(files) > 20
    problems = []
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            where = f"{path.relative_to(PROJECT_ROOT)}:{number}"
            if "0.0.0.0" in line:
                problems.append(f"{where}: binds every interface")
            if re.search(r"mlflow (ui|server)\b.*--", line) and "--host 127.0.0.1" not in line:
                problems.append(f"{where}: `mlflow ui/server` without --host 127.0.0.1")
    assert problems == []
    assert HOST == "127.0.0.1"
    command = ui_command("sqlite:///x.db", "mlruns", 5000)
    assert command[command.index("--host") + 1] == "127.0.0.1"


ENV_VALUE = re.compile(r"os\.environ\[|os\.environ\.get\(|os\.getenv\(")
OUTPUT_CALL = re.compile(r"\b(print|_logger\.\w+|logging\.\w+|logger\.\w+)\(")


def test_nothing_logs_an_environment_value():
    files = sorted((PROJECT_ROOT / "src").rglob("*.py"))
    assert files
    problems = []
    for path in files:
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, start=1):
            if not OUTPUT_CALL.search(line):
                continue
            # The call and its argument lines, up to the closing parenthesis.
            call = line
            following = iter(lines[number:])
            while call.count("(") > call.count(")"):
                call += next(following, ")")
            if ENV_VALUE.search(call):
                problems.append(f"{path.relative_to(PROJECT_ROOT)}:{number}")
    assert problems == []


def _keys(node: object, path: str = "") -> list[str]:
    """Every mapping key in a parsed YAML document, as a dotted path."""
    if isinstance(node, dict):
        return [
            p
            for key, value in node.items()
            for p in [f"{path}{key}", *_keys(value, f"{path}{key}.")]
        ]
    if isinstance(node, list):
        return [p for item in node for p in _keys(item, path)]
    return []


def test_the_bundle_leaves_authentication_to_the_cli():
    bundle = yaml.safe_load((PROJECT_ROOT / "bundle.yml").read_text())
    keys = _keys(bundle)
    assert keys, "bundle.yml parsed to nothing"
    credentials = [
        k for k in keys if k.rsplit(".", 1)[-1] in {"host", "token", "profile", "password"}
    ]
    assert credentials == []
