"""Which modules a test file tests: the project's own modules among the file's imports."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from agentic_testgen.projects import ProjectError, find_project

# Imports that are test tooling, never the code under test.
_TEST_TOOLS = frozenset({"pytest", "_pytest", "unittest", "hypothesis", "mock", "conftest"})


@dataclass(frozen=True)
class Target:
    """A test file and one module it tests.

    Attributes:
        tests: the test file.
        module: the module file.
        module_name: the name the tests import it by, e.g. `calc.ops`.
    """

    tests: Path
    module: Path
    module_name: str


@dataclass(frozen=True)
class Untargeted:
    """A test file whose module under test was not found, and why (one line)."""

    tests: Path
    reason: str


def is_test_file(path: Path) -> bool:
    """Named as pytest collects by default: `test_*.py` or `*_test.py`."""
    return path.suffix == ".py" and (path.name.startswith("test_") or path.stem.endswith("_test"))


def _imported_names(tree: ast.AST) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names taken from it) for every absolute import, in the file's order."""
    return [
        (name, names)
        for name, names in _all_imports(tree)
        if name.split(".")[0] not in sys.stdlib_module_names
        and name.split(".")[0] not in _TEST_TOOLS
    ]


def _all_imports(tree: ast.AST) -> list[tuple[str, tuple[str, ...]]]:
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


class _Resolver:
    """Dotted names to the project's module files: first the modules the session imported
    (what the tests really ran), then the files below the project's import roots."""

    def __init__(
        self, roots: Iterable[Path], within: Iterable[Path], loaded: Mapping[str, ModuleType]
    ) -> None:
        self.roots = tuple(dict.fromkeys(root.resolve() for root in roots))
        self.within = tuple(dict.fromkeys(directory.resolve() for directory in within))
        self.loaded = loaded

    def file(self, dotted: str) -> Path | None:
        module = self.loaded.get(dotted)
        loaded_file = getattr(module, "__file__", None) if module is not None else None
        if isinstance(loaded_file, str) and self._own(Path(loaded_file).resolve()):
            return Path(loaded_file).resolve()
        parts = dotted.split(".")
        for root in self.roots:
            for candidate in (
                root.joinpath(*parts).with_suffix(".py"),
                root.joinpath(*parts, "__init__.py"),
            ):
                if candidate.is_file() and self._own(candidate):
                    return candidate
        return None

    def _own(self, path: Path) -> bool:
        """A source file of the project, not of an environment inside it (`.venv`)."""
        for directory in self.within:
            if path.suffix == ".py" and path.is_relative_to(directory):
                inside = path.relative_to(directory).parts[:-1]
                return not any(part.startswith(".") or part == "site-packages" for part in inside)
        return False


def _reexported_from(package_init: Path, name: str, package: str) -> str | None:
    """The module a package's `__init__.py` takes `name` from (`from ._core import name`)."""
    try:
        tree = ast.parse(package_init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        if not any((alias.asname or alias.name) == name for alias in node.names):
            continue
        if node.level == 0:
            return node.module
        base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        return ".".join([*base, *([node.module] if node.module else [])])
    return None


def modules_under_test(
    tests: Path,
    *,
    extra_roots: Iterable[Path] = (),
    loaded: Mapping[str, ModuleType] | None = None,
) -> list[Target] | Untargeted:
    """The project's modules that the test file `tests` imports, in the file's order.

    A name imported from a package (`from calc import add`) is followed to the module the
    package takes it from (`from calc._ops import add` in `calc/__init__.py`). Test files,
    conftest files and modules in the tests directory are not modules under test.

    Args:
        tests: the test file.
        extra_roots: more directories the tests import from, whose modules count as the
            project's (pytest's rootdir, say).
        loaded: modules imported so far, by name (default: `sys.modules`).
    """
    try:
        project = find_project(tests)
        tree = ast.parse(tests.read_text(encoding="utf-8"), filename=str(tests))
    except (ProjectError, OSError, UnicodeDecodeError, SyntaxError) as error:
        reason = error.msg if isinstance(error, SyntaxError) else str(error)
        return Untargeted(tests, f"cannot read its imports: {reason}")
    extra = list(extra_roots)
    resolver = _Resolver(
        [project.import_root, *extra, tests.parent],
        [project.root, *extra],
        sys.modules if loaded is None else loaded,
    )
    targets: dict[Path, Target] = {}
    imported = _imported_names(tree)
    for module, names in imported:
        for name in [f"{module}.{taken}" for taken in names if taken != "*"] or [module]:
            found = _resolve(resolver, module, name)
            if found is None or _is_test_code(found[1], tests, project.tests_dir):
                continue
            targets.setdefault(found[1], Target(tests.resolve(), found[1], found[0]))
    if targets:
        return list(targets.values())
    listed = ", ".join(dict.fromkeys(module for module, _ in _all_imports(tree))) or "none"
    return Untargeted(tests, f"no module of the project among its imports ({listed})")


def _resolve(resolver: _Resolver, module: str, name: str) -> tuple[str, Path] | None:
    """`name` (`calc.ops`, or `calc.add` from `from calc import add`) as (module name, file)."""
    path = resolver.file(name)
    if path is not None:
        return name, path
    base = resolver.file(module) if name != module else None
    if base is None:
        return None
    if base.name == "__init__.py":
        source = _reexported_from(base, name.rpartition(".")[2], module)
        found = resolver.file(source) if source else None
        if source and found is not None:
            return source, found
    return module, base


def _is_test_code(path: Path, tests: Path, tests_dir: Path | None) -> bool:
    if path == tests.resolve() or path.name == "conftest.py" or is_test_file(path):
        return True
    return tests_dir is not None and path.is_relative_to(tests_dir.resolve())
