"""Pair a project's modules with their own test files, by the conventions projects follow.

A test file is `test_x.py` or `x_test.py`; its module is the one named `x` (a module `x.py` or a
package `x/__init__.py`) below the project's import root, wherever the tests live: beside it
(`pkg/test_x.py`), in a tests folder at the root (`tests/test_x.py`, `tests/pkg/test_x.py`), or in
a tests folder inside the package (`pkg/tests/test_x.py`). When several modules are named `x`, the
one whose package matches the folders the test file sits in (tests folders left out) wins; when
that does not decide, the test file is left unpaired as ambiguous. A private module `_x.py` is
taken only when no module is named `x`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from agentic_testgen.projects import Project, ProjectError, is_skipped_directory

TEST_FOLDERS = frozenset({"tests", "test", "testing"})
# never the code under test: build output, documentation, environments
_SKIPPED_FOLDERS = frozenset({"build", "dist", "docs", "doc", "site-packages"})
_NOT_MODULES = frozenset({"setup.py", "conftest.py"})


@dataclass(frozen=True)
class Module:
    """A module of the project, as the project imports it.

    Attributes:
        path: the file, relative to the project root.
        import_name: e.g. `pkg.sub.x` (`pkg` for `pkg/__init__.py`).
    """

    path: Path
    import_name: str

    @property
    def key(self) -> str:
        """The name a test file names it by: the module's, or its package's for `__init__.py`."""
        return self.import_name.rsplit(".", 1)[-1]

    @property
    def location(self) -> tuple[str, ...]:
        """The packages it sits in (for `pkg/sub/__init__.py`: `pkg`)."""
        return tuple(self.import_name.split(".")[:-1])


@dataclass(frozen=True)
class Pair:
    """A module and one test file of its own."""

    module: Module
    tests: Path  # relative to the project root


@dataclass(frozen=True)
class Unpaired:
    """A test file no module was paired with, and why."""

    tests: Path  # relative to the project root
    reason: str


@dataclass(frozen=True)
class Pairing:
    """What pairing found in a project."""

    modules: tuple[Module, ...]
    test_files: tuple[Path, ...]
    pairs: tuple[Pair, ...]
    unpaired: tuple[Unpaired, ...]


def name_under_test(path: Path) -> str | None:
    """`x` for `test_x.py` and `x_test.py`; None for a file that is not a test file."""
    if path.suffix != ".py":
        return None
    stem = path.stem
    if stem.startswith("test_") and len(stem) > len("test_"):
        return stem.removeprefix("test_")
    if stem.endswith("_test") and len(stem) > len("_test"):
        return stem.removesuffix("_test")
    return None


def _python_files(root: Path) -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if name not in _SKIPPED_FOLDERS
            and not name.endswith(".egg-info")
            and not is_skipped_directory(here / name)
        )
        found += [here / name for name in sorted(files) if name.endswith(".py")]
    return found


def _in_test_folder(relative: Path) -> bool:
    return any(part in TEST_FOLDERS for part in relative.parts[:-1])


def _modules(project: Project, files: list[Path]) -> list[Module]:
    modules = []
    for path in files:
        relative = path.relative_to(project.root)
        if (
            path.name in _NOT_MODULES
            or name_under_test(path) is not None
            or _in_test_folder(relative)
            or not path.is_relative_to(project.import_root)
        ):
            continue
        try:
            import_name = project.import_name(path)
        except ProjectError:
            continue  # not importable as the project imports its code (a script folder)
        modules.append(Module(relative, import_name))
    return modules


def _test_location(tests: Path) -> tuple[str, ...]:
    """The package folders a test file sits in, tests folders and a leading `src` left out."""
    parts = [part for part in tests.parts[:-1] if part not in TEST_FOLDERS]
    return tuple(parts[1:] if parts[:1] == ["src"] else parts)


def _common_tail(left: tuple[str, ...], right: tuple[str, ...]) -> int:
    count = 0
    while count < min(len(left), len(right)) and left[-1 - count] == right[-1 - count]:
        count += 1
    return count


def _choose(tests: Path, candidates: list[Module]) -> Module | str:
    """The module among same-named candidates the test file belongs to, or why none is."""
    if len(candidates) == 1:
        return candidates[0]
    where = _test_location(tests)

    def score(module: Module) -> tuple[bool, int]:
        return module.location == where, _common_tail(module.location, where)

    ranked = sorted(candidates, key=score, reverse=True)
    if score(ranked[0]) == score(ranked[1]):
        names = ", ".join(sorted(m.import_name for m in candidates if score(m) == score(ranked[0])))
        return f"ambiguous: more than one module it could test ({names})"
    return ranked[0]


def pair_tests(project: Project) -> Pairing:
    """Find the project's modules and test files, and pair each test file with its module."""
    files = _python_files(project.root)
    modules = _modules(project, files)
    by_key: dict[str, list[Module]] = {}
    for module in modules:
        by_key.setdefault(module.key, []).append(module)
    test_files = [
        path.relative_to(project.root)
        for path in files
        if name_under_test(path) is not None and path.name != "conftest.py"
    ]
    pairs, unpaired = [], []
    for tests in test_files:
        key = name_under_test(tests) or ""
        candidates = by_key.get(key) or by_key.get(f"_{key}") or []
        if not candidates:
            unpaired.append(Unpaired(tests, f"no module named {key!r} in the project"))
            continue
        chosen = _choose(tests, candidates)
        if isinstance(chosen, str):
            unpaired.append(Unpaired(tests, chosen))
        else:
            pairs.append(Pair(chosen, tests))
    pairs.sort(key=lambda pair: (pair.module.import_name, pair.tests.as_posix()))
    return Pairing(tuple(modules), tuple(test_files), tuple(pairs), tuple(unpaired))
