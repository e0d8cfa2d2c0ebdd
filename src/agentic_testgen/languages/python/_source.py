"""Turn a Python file on disk into a `SourceUnit`: its import name and the project it belongs to."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.domain import Language, SourceUnit
from agentic_testgen.projects import ProjectError, find_project


def package_parts(path: Path) -> tuple[str, ...]:
    """The package a module file belongs to, from the `__init__.py` files above it."""
    parts: list[str] = []
    directory = path.resolve().parent
    while (directory / "__init__.py").is_file() and directory.name.isidentifier():
        parts.insert(0, directory.name)
        directory = directory.parent
    return tuple(parts)


def source_unit_from_path(path: Path) -> SourceUnit:
    """Read a module file, with its import name in the project it belongs to.

    A module the project's `pytest` can import (below its import root, see
    `agentic_testgen.projects`) records the project root, so its tests run inside the project. A
    file outside the import root (a script in a folder without `__init__.py`) is laid out alone,
    named by the `__init__.py` packages above it.

    Raises:
        OSError, UnicodeDecodeError: the file cannot be read.
    """
    code = path.read_text(encoding="utf-8")
    try:
        project = find_project(path)
        parts = project.module_parts(path)
    except ProjectError:
        return SourceUnit(
            path=str(path),
            code=code,
            module_name=path.stem,
            package=package_parts(path),
            language=Language.PYTHON,
        )
    return SourceUnit(
        path=str(path),
        code=code,
        module_name=parts[-1],
        package=parts[:-1],
        language=Language.PYTHON,
        project_root=str(project.root),
    )
