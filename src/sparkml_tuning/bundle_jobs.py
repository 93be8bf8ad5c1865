"""The notebook tasks of a bundle job, their parameters, and their order.

Everything here reads a bundle configuration whose `${var.*}` references are already
resolved (`bundle_config.resolve_variables`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any


class JobOrderError(ValueError):
    """The tasks of a job depend on each other in a loop."""


@dataclass(frozen=True)
class NotebookTask:
    """One notebook task of a job.

    Attributes:
        index: the task's position in the job's `tasks` list.
        key: the task's `task_key`.
        notebook_path: the path as written in the bundle.
        base_parameters: the task's own parameters.
        depends_on: the keys of the tasks it waits for.
    """

    index: int
    key: str
    notebook_path: str
    base_parameters: dict[str, Any] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()

    def notebook(self, root: Path) -> Path:
        """The notebook file, with a relative path taken from the bundle's folder."""
        return root / self.notebook_path


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def jobs(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The jobs under `resources.jobs`, by key."""
    found = _mapping(_mapping(config.get("resources")).get("jobs"))
    return {key: job for key, job in found.items() if isinstance(job, dict)}


def job_parameters(job: dict[str, Any]) -> dict[str, Any]:
    """The job-level parameters and their defaults, in the order written."""
    parameters = [_mapping(item) for item in _items(job.get("parameters"))]
    return {item["name"]: item.get("default") for item in parameters if "name" in item}


def task_dependencies(task: dict[str, Any]) -> list[str]:
    """The `task_key`s a task lists under `depends_on`."""
    entries = [_mapping(entry) for entry in _items(task.get("depends_on"))]
    return [entry["task_key"] for entry in entries if isinstance(entry.get("task_key"), str)]


def notebook_tasks(job: dict[str, Any]) -> list[NotebookTask]:
    """The job's tasks that run a notebook, as written."""
    found = []
    for index, task in enumerate(_items(job.get("tasks"))):
        notebook_task = _mapping(_mapping(task).get("notebook_task"))
        path = notebook_task.get("notebook_path")
        if isinstance(path, str) and isinstance(task.get("task_key"), str):
            found.append(
                NotebookTask(
                    index=index,
                    key=task["task_key"],
                    notebook_path=path,
                    base_parameters=_mapping(notebook_task.get("base_parameters")),
                    depends_on=tuple(task_dependencies(task)),
                )
            )
    return found


def run_order(tasks: list[NotebookTask]) -> list[NotebookTask]:
    """Sort tasks so that each comes after the tasks it depends on.

    Tasks that do not depend on each other keep the order in which they are written.

    Raises:
        JobOrderError: the dependencies form a loop.
    """
    by_key = {task.key: task for task in tasks}
    sorter = TopologicalSorter(
        {task.key: [key for key in task.depends_on if key in by_key] for task in tasks}
    )
    try:
        sorter.prepare()
    except CycleError as error:
        loop = " -> ".join(error.args[1])
        raise JobOrderError(
            f"The tasks depend on each other in a loop ({loop}); remove one of these "
            "`depends_on` entries."
        ) from error
    ordered: list[NotebookTask] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda key: by_key[key].index)
        ordered.extend(by_key[key] for key in ready)
        sorter.done(*ready)
    return ordered
