"""Spark 4 needs Java 17 or 21; the check says so before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparkml_tuning.spark_session import JavaNotSupportedError, check_java

JVM_DIR = Path("/usr/lib/jvm")


def installed_jdk(major: int) -> Path:
    for home in sorted(JVM_DIR.glob(f"*{major}*")):
        if (home / "bin" / "java").exists() and not home.is_symlink():
            return home
    pytest.skip(f"no Java {major} installed under {JVM_DIR}")


def test_the_java_in_use_is_supported():
    assert check_java() in (17, 21)


def test_java_home_without_java_is_reported_with_install_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(JavaNotSupportedError, match=r"has no bin/java.*openjdk-17-jdk-headless"):
        check_java()


def test_an_unsupported_java_is_named(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JAVA_HOME", str(installed_jdk(25)))
    with pytest.raises(JavaNotSupportedError, match=r"is Java 25\. Install Java 17"):
        check_java()
