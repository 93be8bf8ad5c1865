"""Validate a bundle configuration against the official JSON schema, error by error.

The schema (`schemas/bundle_config_schema.json`, from `databricks bundle schema`) wraps
almost every value in `oneOf: [<the real shape>, <a ${var.name} reference>]`. A plain
validator then reports only "is not valid under any of the given schemas" at the outer
value. Here each such error is followed into the branch that matches the value's type,
so that a misspelt key is reported at its own path as an unknown key.

The schema's patterns use `\\p{L}` and `\\p{N}`, which Python's `re` does not know; the
validator checks patterns with the `regex` package instead.
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex
from jsonschema import Draft202012Validator, ValidationError, validators

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "bundle_config_schema.json"

_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


@dataclass(frozen=True)
class BundleProblem:
    """One thing wrong with a bundle, at a path like `resources.jobs.x.tasks[0].task_key`."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.message}"


def format_path(parts: Sequence[str | int]) -> str:
    """Write a path as `a.b[0].c`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _regex_pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compiled(pattern: str) -> regex.Pattern:
    return regex.compile(pattern)


_BundleValidator = validators.extend(Draft202012Validator, {"pattern": _regex_pattern})


@cache
def _validator(schema_path: Path) -> Any:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return _BundleValidator(schema)


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _is_own_type_error(error: ValidationError) -> bool:
    return error.validator == "type" and not error.relative_path


def _is_own_pattern_error(error: ValidationError) -> bool:
    return error.validator == "pattern" and not error.relative_path


def _expected_shape(branch_error: ValidationError) -> str:
    if "pattern" in branch_error.schema:
        return "a ${...} reference"
    return str(branch_error.validator_value)


def _wrong_shape(error: ValidationError) -> BundleProblem:
    shapes = {
        _expected_shape(sub)
        for sub in error.context
        if _is_own_type_error(sub) or _is_own_pattern_error(sub)
    }
    wanted = " or ".join(sorted(shapes, key=lambda shape: (shape.startswith("a $"), shape)))
    return BundleProblem(
        format_path(error.absolute_path),
        f"expected {wanted or 'a different value'}, got {_json_type(error.instance)} "
        f"{error.instance!r}.",
    )


def _leaf_problems(error: ValidationError) -> Iterator[BundleProblem]:
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[Any, list[ValidationError]] = defaultdict(list)
        for sub in error.context:
            branches[sub.schema_path[0]].append(sub)
        fitting = [
            errors
            for errors in branches.values()
            if not any(_is_own_type_error(sub) or _is_own_pattern_error(sub) for sub in errors)
        ]
        if fitting:
            for sub in fitting[0]:
                yield from _leaf_problems(sub)
        else:
            yield _wrong_shape(error)
        return
    yield from _describe(error)


def _describe(error: ValidationError) -> Iterator[BundleProblem]:
    path = list(error.absolute_path)
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else "; remove it."
                yield BundleProblem(format_path([*path, key]), f"unknown key{hint}")
    elif error.validator == "required":
        for key in error.validator_value:
            if key not in error.instance:
                yield BundleProblem(format_path([*path, key]), "required key is missing.")
    elif error.validator == "type":
        yield BundleProblem(
            format_path(path),
            f"expected {error.validator_value}, got {_json_type(error.instance)} "
            f"{error.instance!r}"
            + ("; quote it in YAML." if error.validator_value == "string" else "."),
        )
    elif error.validator == "enum":
        choices = ", ".join(str(choice) for choice in error.validator_value)
        yield BundleProblem(
            format_path(path), f"{error.instance!r} is not one of the allowed values: {choices}."
        )
    else:
        yield BundleProblem(format_path(path), f"{error.message}.")


def schema_problems(config: Any, schema_path: Path = SCHEMA_PATH) -> list[BundleProblem]:
    """Every place where `config` breaks the bundle schema, sorted by path."""
    problems = [
        problem
        for error in _validator(schema_path).iter_errors(config)
        for problem in _leaf_problems(error)
    ]
    return sorted(set(problems), key=lambda problem: (problem.path, problem.message))
