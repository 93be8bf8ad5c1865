"""What importing the repository into a Databricks workspace relies on.

The workspace decides by the first line whether a `.py` file is a notebook, and a
notebook loses its extension there, so it must not share a folder with a file or folder
of the same base name.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sparkml_tuning.notebook_source import HEADER

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Local environments, caches and run outputs: none of them is imported into a workspace.
NOT_IMPORTED = {
    ".git",
    ".venv",
    "build",
    "mlruns",
    "spark-warehouse",
    "metastore_db",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
}


def first_line(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        return handle.readline().rstrip("\n")


def imported_folders() -> list[Path]:
    folders = [PROJECT_ROOT]
    for folder in folders:
        folders.extend(
            child
            for child in sorted(folder.iterdir())
            if child.is_dir()
            and child.name not in NOT_IMPORTED
            and not child.name.endswith(".egg-info")
        )
    return folders


def test_every_notebook_starts_with_the_header() -> None:
    notebooks = sorted((PROJECT_ROOT / "notebooks").rglob("*.py"))
    assert notebooks, "found no notebooks under notebooks/"
    without = [str(path) for path in notebooks if first_line(path) != HEADER]
    assert without == []


def test_no_module_under_src_is_a_notebook() -> None:
    modules = sorted((PROJECT_ROOT / "src").rglob("*.py"))
    assert modules, "found no Python files under src/"
    notebooks = [str(path) for path in modules if first_line(path) == HEADER]
    assert notebooks == []


def base_name_clashes(folder: Path) -> list[str]:
    """The notebooks in `folder` that share their base name with another file or folder."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for child in folder.iterdir():
        by_name[child.name if child.is_dir() else child.stem].append(child.name)
    return [
        f"{folder}: {sorted(by_name[child.stem])}"
        for child in sorted(folder.glob("*.py"))
        if first_line(child) == HEADER and len(by_name[child.stem]) > 1
    ]


def test_a_notebook_beside_a_file_of_the_same_base_name_is_a_clash(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(f"{HEADER}\nx = 1\n")
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "b.py").write_text("x = 1\n")  # a plain file keeps its extension
    (tmp_path / "b.txt").write_text("")
    assert base_name_clashes(tmp_path) == [f"{tmp_path}: ['a.ipynb', 'a.py']"]


def test_no_notebook_shares_its_base_name_with_another_entry() -> None:
    folders = imported_folders()
    assert PROJECT_ROOT / "notebooks" in folders
    assert [clash for folder in folders for clash in base_name_clashes(folder)] == []
