"""The labs as shipped fail every check with its hint; the solutions are the labs, filled in.

Each lab in notebooks/labs/ is executed locally with `allow_errors`, so that every cell
runs even after a check has failed. Every check cell (a cell calling a `check_...`
function of `sparkml_tuning.lab_checks`) must fail with `LabCheckFailed` and the hint of
its exercise, and every other cell must run cleanly: the lab as shipped is runnable.

The solutions in notebooks/solutions/ are the labs with each `# TODO` cell answered and
nothing else changed, which the last tests check. The pytest plugin executes every
solution (they are notebooks under notebooks/), so a solution that fails a check fails
the suite; the plugin skips notebooks/labs/.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from mlflow import MlflowClient
from nbclient import NotebookClient

from sparkml_tuning.local_notebook import to_local_ipynb
from sparkml_tuning.notebook_source import read_notebook

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
LABS_DIR = NOTEBOOKS_DIR / "labs"
SOLUTIONS_DIR = NOTEBOOKS_DIR / "solutions"
CHECK_CALL = re.compile(r"^(check_\w+)\(", re.MULTILINE)
LABS_EXPERIMENT = "/Shared/sparkml-tuning-labs"
BLANKS = {"None", "ParamGridBuilder().build()"}

# Per lab, in order: the check each check cell calls and a piece of the hint it must give.
EXPECTED_FAILURES = {
    "01_hyperparameters": [
        (
            "check_estimator",
            "`lr` is still None. Create it with "
            "LinearRegression(featuresCol='features', labelCol='medv').",
        ),
        ("check_param_names", "`changes_model` is still None."),
        ("check_equal_metrics", "`rmse_by_max_iter` is still None. Make it a dict with the keys"),
    ],
    "02_search_space": [
        (
            "check_grid",
            "The grid has 1 combination, 12 were expected (3 maxIter x 2 fitIntercept x 2 "
            "standardization); `maxIter`, `fitIntercept`, `standardization` are missing.",
        ),
        ("check_fit_count", "`cv_fits` is still None. Count one fit per combination"),
        ("check_sampled_grid", "Draw it with sample_grid(big_grid, 10, seed=42)."),
    ],
    "03_cross_validator": [
        ("check_tuner", "`cv` is still None. Create it with CrossValidator("),
        ("check_tracked_run", "`result` is still None. Call tune_with_tracking("),
        ("check_children_table", "`children` is still None. Read it with child_runs_table("),
    ],
    "04_train_validation_split": [
        ("check_tuner", "`tvs` is still None. Create it with TrainValidationSplit("),
        ("check_tracked_run", "`result` is still None. Call tune_with_tracking("),
        ("check_children_table", "`children` is still None. Read it with child_runs_table("),
    ],
}


def lab_path(lesson: str) -> Path:
    return LABS_DIR / f"{lesson}_lab.py"


def solution_path(lesson: str) -> Path:
    return SOLUTIONS_DIR / f"{lesson}_solution.py"


def test_every_lab_has_a_solution_and_a_lesson() -> None:
    labs = sorted(path.name.removesuffix("_lab.py") for path in LABS_DIR.glob("*_lab.py"))
    solutions = sorted(
        path.name.removesuffix("_solution.py") for path in SOLUTIONS_DIR.glob("*_solution.py")
    )
    assert labs == sorted(EXPECTED_FAILURES), "every lab needs its expected hints here"
    assert solutions == labs
    files = sorted(path.name for path in LABS_DIR.iterdir() if path.is_file())
    assert files == [f"{lesson}_lab.py" for lesson in labs], "only lab notebooks in labs/"
    for lesson in labs:
        assert (NOTEBOOKS_DIR / f"{lesson}.py").is_file(), f"no lesson {lesson}.py"


@pytest.fixture(scope="module")
def executed_labs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, nbformat.NotebookNode]:
    """Each lab executed once as shipped, every cell run, into a throwaway MLflow store."""
    folder = tmp_path_factory.mktemp("mlflow")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    # Created here, so that anything a lab logs lands in the temporary folder.
    MlflowClient(tracking_uri=uri).create_experiment(
        LABS_EXPERIMENT, artifact_location=str(folder / "artifacts")
    )
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        # The kernel inherits the environment: its runs go to the throwaway store.
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        for lesson in EXPECTED_FAILURES:
            path = lab_path(lesson)
            local = to_local_ipynb(path, params={})
            NotebookClient(
                local,
                timeout=600,
                kernel_name="python3",
                allow_errors=True,
                resources={"metadata": {"path": str(path.parent)}},
            ).execute()
            results[lesson] = local
    return results


def errors(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [output for output in cell.get("outputs", []) if output.output_type == "error"]


@pytest.mark.parametrize("lesson", sorted(EXPECTED_FAILURES))
def test_lab_as_shipped_fails_each_check_with_its_hint(executed_labs, lesson: str) -> None:
    code_cells = [cell for cell in executed_labs[lesson].cells if cell.cell_type == "code"]
    check_cells = [cell for cell in code_cells if CHECK_CALL.search(cell.source)]
    assert [CHECK_CALL.search(cell.source).group(1) for cell in check_cells] == [
        check for check, _ in EXPECTED_FAILURES[lesson]
    ]
    for cell, (check, hint) in zip(check_cells, EXPECTED_FAILURES[lesson], strict=True):
        [error] = errors(cell)
        assert error.ename == "LabCheckFailed", f"{check}: {error.ename}: {error.evalue}"
        assert hint in error.evalue, f"{check}: {error.evalue}"
    broken = [
        f"cell {cell.metadata.get('source_cell')}: {errors(cell)[0].evalue}"
        for cell in code_cells
        if cell not in check_cells and errors(cell)
    ]
    assert broken == [], "cells other than checks must run cleanly in the lab as shipped"


def has_todo(source: str) -> bool:
    return any(line.startswith("# TODO") for line in source.splitlines())


def todo_cells(lesson: str) -> list[int]:
    """The numbers (from 0) of the lab's code cells holding a blank."""
    cells = read_notebook(lab_path(lesson)).cells
    return [
        number for number, cell in enumerate(cells) if cell.kind == "code" and has_todo(cell.source)
    ]


@pytest.mark.parametrize("lesson", sorted(EXPECTED_FAILURES))
def test_each_blank_is_none_or_an_empty_builder(lesson: str) -> None:
    cells = read_notebook(lab_path(lesson)).cells
    numbers = todo_cells(lesson)
    assert len(numbers) == len(EXPECTED_FAILURES[lesson]), "one blank per check"
    for number in numbers:
        lines = cells[number].source.splitlines()
        todo = next(i for i, line in enumerate(lines) if line.startswith("# TODO"))
        name, _, value = lines[todo + 1].partition(" = ")
        assert name.isidentifier() and value in BLANKS, lines[todo + 1]


@pytest.mark.parametrize("lesson", sorted(EXPECTED_FAILURES))
def test_solution_is_the_lab_with_each_blank_answered(lesson: str) -> None:
    lab = read_notebook(lab_path(lesson)).cells
    solution = read_notebook(solution_path(lesson)).cells
    assert len(solution) == len(lab)
    answered = set(todo_cells(lesson)) | {0}  # the first cell is the title
    for number, (lab_cell, solution_cell) in enumerate(zip(lab, solution, strict=True)):
        assert not has_todo(solution_cell.source), f"cell {number + 1} still has a TODO"
        if number not in answered:
            assert solution_cell.source == lab_cell.source, f"cell {number + 1} differs"
    checks = [CHECK_CALL.findall(cell.source) for cell in solution]
    assert [name for names in checks for name in names] == [
        check for check, _ in EXPECTED_FAILURES[lesson]
    ]
