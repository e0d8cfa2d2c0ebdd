"""The project a module belongs to: its root, layout, interpreter and pytest set-up."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class ProjectError(ValueError):
    """A path or interpreter cannot be used as a project; the message is one line naming it."""


class Layout(StrEnum):
    """Where a project keeps its importable code."""

    SRC = "src"  # under <root>/src
    FLAT = "flat"  # directly under <root>


class RootMarker(StrEnum):
    """What made a directory the project root."""

    PYPROJECT = "pyproject.toml"
    SETUP_CFG = "setup.cfg"
    SETUP_PY = "setup.py"
    PACKAGE = "package"  # no marker file: the directory holding the topmost package
    GIT = ".git"  # no marker file, no package: the repository's top (tests/ and modules meet)
    DIRECTORY = "directory"  # no marker file, no package: the file's own directory


class InterpreterRule(StrEnum):
    """Which rule chose the interpreter the tests run with (tried in this order)."""

    EXPLICIT = "--python"
    VIRTUAL_ENV = "VIRTUAL_ENV"
    PROJECT_VENV = ".venv"
    UV = "uv"
    POETRY = "poetry"
    HATCH = "hatch"
    ATG = "atg"


@dataclass(frozen=True)
class Interpreter:
    """A Python interpreter and the rule that chose it.

    Attributes:
        path: the interpreter, absolute but not resolved (a venv's `bin/python` must be run by
            its own path for the venv to apply).
        rule: which rule chose it.
    """

    path: Path
    rule: InterpreterRule


@dataclass(frozen=True)
class Project:
    """A Python project as its own `pytest` sees it.

    Attributes:
        root: the project root: the nearest directory with pyproject.toml, setup.cfg or setup.py.
        marker: what made `root` the root.
        layout: src or flat.
        import_root: the directory on `sys.path` for the project's own code (`root/src` or `root`).
        interpreter: the interpreter the tests run with.
        pytest_config: the file pytest reads its configuration from, if any.
        conftests: conftest.py files from the root down to the tests directory, outermost first.
        tests_dir: `root/tests` or `root/test`, when there is one.
        namespace_packages: top-level namespace packages named in pyproject.toml (flat layout).
    """

    root: Path
    marker: RootMarker
    layout: Layout
    import_root: Path
    interpreter: Interpreter
    pytest_config: Path | None = None
    conftests: tuple[Path, ...] = ()
    tests_dir: Path | None = None
    namespace_packages: tuple[str, ...] = ()

    def module_parts(self, module: Path) -> tuple[str, ...]:
        """The dotted path of a module file below the import root, e.g. ("slugify", "slugify").

        Raises:
            ProjectError: the file is not a .py file the project's own `pytest` could import.
        """
        module = Path(module).resolve()
        if module.suffix != ".py":
            raise ProjectError(f"{module}: not a Python module (.py) file")
        try:
            relative = module.relative_to(self.import_root)
        except ValueError:
            raise ProjectError(
                f"{module}: outside the project's import root {self.import_root}"
            ) from None
        parts = relative.with_suffix("").parts
        for part in parts:
            if not part.isidentifier():
                raise ProjectError(f"{module}: {part!r} is not a valid Python name")
        if self.layout is Layout.FLAT and len(parts) > 1:
            self._check_packages(module, parts)
        return parts

    def _check_packages(self, module: Path, parts: tuple[str, ...]) -> None:
        if parts[0] in self.namespace_packages:
            return
        directory = self.import_root
        for part in parts[:-1]:
            directory = directory / part
            if not (directory / "__init__.py").is_file():
                raise ProjectError(
                    f"{module}: {directory} has no __init__.py and is not a namespace package "
                    f"named in pyproject.toml, so the module is not importable from {self.root}"
                )

    def import_name(self, module: Path) -> str:
        """The name the project imports a module file by, e.g. `slugify.slugify`."""
        parts = self.module_parts(module)
        if len(parts) > 1 and parts[-1] == "__init__":
            parts = parts[:-1]
        return ".".join(parts)
