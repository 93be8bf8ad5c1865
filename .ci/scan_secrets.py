#!/usr/bin/env python3
"""Scan the repository and its history for credentials; exit 1 naming each finding.

Looks at the content of every file `git ls-files` lists and at every added line in
`git log -p --all`, for: Databricks personal access tokens (`dapi` + 32 hex digits),
GitHub tokens (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_`, `github_pat_`), AWS access key ids
(`AKIA` + 16 characters), private key blocks, and a Databricks host set next to a token
(a host URL and a token of 20 or more characters assigned to `DATABRICKS_HOST` and
`DATABRICKS_TOKEN` in the same file or commit). Placeholders are not credentials.

Usage: python3 .ci/scan_secrets.py [REPOSITORY]     (default: the current directory)
Standard library only, so CI can run it before anything is installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PATTERNS = {
    "Databricks token": re.compile(r"\bdapi[0-9a-f]{32}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
}
# A host value is a URL or a dotted host name; a token value is 20 or more token characters
# (personal access tokens have 36, OAuth tokens hundreds), so `<your token>`, `$TOKEN`,
# `...` and short words in prose are not taken for credentials.
HOST = re.compile(r"DATABRICKS_HOST\s*[=:]\s*['\"]?(https?://[\w.-]+|[\w-]+(?:\.[\w-]+)+)")
TOKEN = re.compile(r"DATABRICKS_TOKEN\s*[=:]\s*['\"]?([A-Za-z0-9_.-]{20,})")
PLACEHOLDER = re.compile(r"^(?:x+|your[-_].*|.*example.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One credential-like string: where it is and what it looks like."""

    where: str
    line: int
    kind: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.kind}"


def scan_lines(where: str, lines: list[tuple[int, str]]) -> list[Finding]:
    """Findings in numbered lines of one file (or one file's added lines in a commit)."""
    findings = []
    hosts, tokens = [], []
    for number, text in lines:
        for kind, pattern in PATTERNS.items():
            if pattern.search(text):
                findings.append(Finding(where, number, kind))
        host, token = HOST.search(text), TOKEN.search(text)
        if host and not PLACEHOLDER.match(host.group(1)):
            hosts.append(number)
        if token and not PLACEHOLDER.match(token.group(1)):
            tokens.append(number)
    if hosts and tokens:
        findings += [Finding(where, number, "Databricks host with a token") for number in tokens]
    return findings


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        errors="replace",
        check=True,
    ).stdout


def scan_files(repo: Path) -> list[Finding]:
    """Findings in the tracked files as they are in the working tree."""
    findings = []
    for name in _git(repo, "ls-files", "-z").split("\0"):
        path = repo / name
        if not name or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8000]:
            continue  # binary
        text = data.decode("utf-8", errors="replace")
        findings += scan_lines(name, list(enumerate(text.splitlines(), start=1)))
    return findings


def scan_history(repo: Path) -> list[Finding]:
    """Findings in the lines every commit added, named `<commit>:<file>` with the line."""
    log = _git(repo, "log", "-p", "--all", "-U0", "--no-color", "--format=commit %H")
    findings: list[Finding] = []
    commit, name, number = "", "", 0
    lines: list[tuple[int, str]] = []

    def flush() -> None:
        if name and lines:
            findings.extend(scan_lines(f"{commit[:12]}:{name}", lines))
        lines.clear()

    for text in log.splitlines():
        if text.startswith("commit "):
            flush()
            commit, name = text.split()[1], ""
        elif text.startswith("+++ "):
            flush()
            name = text[6:] if text.startswith("+++ b/") else ""
        elif text.startswith("@@"):
            match = re.search(r"\+(\d+)", text)
            number = int(match.group(1)) if match else 0
        elif text.startswith("+") and name:
            lines.append((number, text[1:]))
            number += 1
    flush()
    return findings


def main(argv: list[str]) -> int:
    repo = Path(argv[1] if len(argv) > 1 else ".").resolve()
    findings = scan_files(repo) + scan_history(repo)
    for finding in findings:
        sys.stderr.write(f"{finding}\n")
    if findings:
        sys.stderr.write(
            f"{len(findings)} possible credential(s) found. Remove them, revoke the tokens, "
            "and keep credentials in ~/.databrickscfg or the environment, never in git.\n"
        )
        return 1
    sys.stdout.write("No credentials found in the tracked files or the history.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
