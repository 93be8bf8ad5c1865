"""Load `bundle.yml` and resolve its `${var.name}` references for one target.

Bundle variables are declared under `variables` with a `default`; a target may override
them under `targets.<name>.variables`. Only `${var.*}` references are resolved here;
others (`${workspace.*}`, `${bundle.*}`, ...) are left as they are, because only the
Databricks CLI knows their values.

Limitations:
    Only variable overrides are taken from a target; a target's `resources` overrides
    are not merged. Variables of `type: complex` and `lookup` variables are not resolved.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_logger = logging.getLogger(__name__)

BUNDLE_FILE_NAMES = ("databricks.yml", "databricks.yaml", "bundle.yml", "bundle.yaml")
_VAR_REFERENCE = re.compile(r"\$\{var\.([A-Za-z_][\w-]*)\}")


class BundleConfigError(ValueError):
    """The bundle file cannot be read, or a variable or target it names does not exist.

    Attributes:
        path: where in the bundle the problem is (`targets`, `resources.jobs.x.name`, ...),
            or "" for the file as a whole.
    """

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Bundle:
    """A bundle configuration as written, and where it was read from.

    Attributes:
        path: the bundle file.
        config: the parsed YAML, with `${var.*}` references unresolved.
    """

    path: Path
    config: dict[str, Any]

    @property
    def root(self) -> Path:
        """The folder that relative paths in the bundle file are relative to."""
        return self.path.parent


def find_bundle_file(folder: Path) -> Path:
    """Return the one bundle root file in `folder`.

    Raises:
        BundleConfigError: there is none, or more than one.
    """
    found = [folder / name for name in BUNDLE_FILE_NAMES if (folder / name).is_file()]
    if len(found) != 1:
        names = ", ".join(BUNDLE_FILE_NAMES)
        raise BundleConfigError(
            f"Expected exactly one bundle file ({names}) in {folder}, found {len(found)}; "
            "keep one of them."
        )
    return found[0]


def load_bundle(path: Path) -> Bundle:
    """Parse a bundle file.

    Raises:
        BundleConfigError: the file is missing, is not valid YAML, or is not a mapping.
    """
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BundleConfigError(f"The bundle file {path} does not exist.") from error
    except yaml.YAMLError as error:
        raise BundleConfigError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(config, dict):
        raise BundleConfigError(f"{path} must contain a YAML mapping at the top level.")
    return Bundle(path, config)


def default_target(config: dict[str, Any]) -> str | None:
    """The target marked `default: true`, else the only target, else None."""
    targets = config.get("targets") or {}
    defaults = [name for name, target in targets.items() if (target or {}).get("default")]
    if defaults:
        return defaults[0]
    return next(iter(targets)) if len(targets) == 1 else None


def variable_values(
    config: dict[str, Any], target: str | None, overrides: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The value of each bundle variable: its default, overridden by the target, then by
    `overrides` (what `databricks bundle deploy --var name=value` sets).

    Raises:
        BundleConfigError: the target does not exist, or an override names no variable.
    """
    values = {
        name: spec.get("default")
        for name, spec in (config.get("variables") or {}).items()
        if isinstance(spec, dict)
    }
    targets = config.get("targets") or {}
    if target is not None and target not in targets:
        known = ", ".join(targets) or "none"
        raise BundleConfigError(
            f"The bundle has no target {target!r} (targets: {known}); pick one of those.",
            "targets",
        )
    if target is not None:
        target_variables = (targets[target] or {}).get("variables") or {}
        for name, value in target_variables.items():
            values[name] = value.get("default") if isinstance(value, dict) else value
    for name, value in (overrides or {}).items():
        if name not in values:
            raise BundleConfigError(
                f"--var {name}: the bundle declares no variable {name!r} (its variables: "
                f"{', '.join(values) or 'none'}); fix the name.",
                "variables",
            )
        values[name] = value
    return values


def _resolve_value(value: Any, variables: dict[str, Any], where: str) -> Any:
    if isinstance(value, dict):
        return {
            key: _resolve_value(item, variables, f"{where}.{key}") for key, item in value.items()
        }
    if isinstance(value, list):
        return [_resolve_value(item, variables, f"{where}[{i}]") for i, item in enumerate(value)]
    if not isinstance(value, str):
        return value

    def lookup(name: str) -> Any:
        if name not in variables:
            raise BundleConfigError(
                f"${{var.{name}}} names no variable; declare it under `variables` or fix the name.",
                where.lstrip("."),
            )
        return variables[name]

    whole = _VAR_REFERENCE.fullmatch(value)
    if whole:
        return lookup(whole.group(1))
    return _VAR_REFERENCE.sub(lambda match: str(lookup(match.group(1))), value)


def resolve_variables(
    config: dict[str, Any], target: str | None, overrides: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return a copy of `config` with every `${var.name}` replaced by its value.

    A string that is exactly one reference takes the variable's value with its type (a
    number stays a number); a reference inside a longer string is replaced by its text.
    Variables may refer to other variables. `overrides` set variables as `--var` does.

    Raises:
        BundleConfigError: a reference names no variable, the target does not exist, or
            variables refer to each other in a loop.
    """
    variables = variable_values(config, target, overrides)
    for _ in range(len(variables) + 1):
        resolved = _resolve_value(variables, variables, "variables")
        if resolved == variables:
            break
        variables = resolved
    else:
        raise BundleConfigError(
            "Bundle variables refer to each other in a loop; make one of them a plain value.",
            "variables",
        )
    _logger.debug("Bundle variables for target %s: %s", target, variables)
    return _resolve_value(config, variables, "")
