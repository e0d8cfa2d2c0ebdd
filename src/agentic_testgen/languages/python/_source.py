"""Turn a Python file on disk into a `SourceUnit`: its module name and enclosing package."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.domain import Language, SourceUnit


def package_parts(path: Path) -> tuple[str, ...]:
    """The package a module file belongs to, from the `__init__.py` files above it."""
    parts: list[str] = []
    directory = path.resolve().parent
    while (directory / "__init__.py").is_file() and directory.name.isidentifier():
        parts.insert(0, directory.name)
        directory = directory.parent
    return tuple(parts)


def source_unit_from_path(path: Path) -> SourceUnit:
    """Read a module file; raises OSError or UnicodeDecodeError when it cannot be read."""
    return SourceUnit(
        path=str(path),
        code=path.read_text(encoding="utf-8"),
        module_name=path.stem,
        package=package_parts(path),
        language=Language.PYTHON,
    )
