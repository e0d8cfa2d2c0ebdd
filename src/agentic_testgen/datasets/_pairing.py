"""Pair a project's modules with their own test files, by the conventions projects follow.

By name, first: a test file is `test_x.py` or `x_test.py`; its module is the one named `x` (a
module `x.py` or a package `x/__init__.py`) below the project's import root, wherever the tests
live: beside it (`pkg/test_x.py`), in a tests folder at the root (`tests/test_x.py`,
`tests/pkg/test_x.py`), or in a tests folder inside the package (`pkg/tests/test_x.py`). When
several modules are named `x`, the one whose package matches the folders the test file sits in
(tests folders left out) wins; when that does not decide, the name does not pair it. A private
module `_x.py` is taken only when no module is named `x`.

By imports, for a test file the name does not pair (`tests/test_api.py`, `test_regressions.py`):
its source is parsed (never imported) for the project modules it imports (`import pkg.core`,
`from pkg.core import f`, `from pkg import core`, and relative imports when the test file sits
in a package of the project). A package's `__init__` counts only when no module inside that
package is imported too (it mostly re-exports). One module left: that one. Several: the one the
code names most often (uses of the names the imports bind); a tie leaves the test file unpaired,
as does a file that does not parse. A module may so have several test files.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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
    rule: Literal["name", "imports"] = "name"  # the rule that paired them


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


class _ImportUses(ast.NodeVisitor):
    """The project modules a test file imports, and how often its code names each."""

    def __init__(self, known: dict[str, Module], package: tuple[str, ...] | None) -> None:
        self.known = known
        self.package = package  # the test file's own package, for relative imports
        self.imported: set[str] = set()
        self.bound: dict[str, str] = {}  # a (dotted) name as the code writes it -> module
        self.named: list[str] = []  # every name and dotted attribute chain the code uses

    def _module_of(self, dotted: str) -> str | None:
        """The longest project module `dotted` starts with."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            name = ".".join(parts[:end])
            if name in self.known:
                return name
        return None

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            module = self._module_of(alias.name)
            if module is not None:
                self.imported.add(module)
                # `import a.b` binds `a`; the code then names it `a.b`, as written
                self.bound[alias.asname or alias.name] = module

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._absolute(node)
        if base is None:
            return
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            module = submodule if submodule in self.known else self._module_of(base)
            if module is None:
                continue
            self.imported.add(module)
            if alias.name != "*":
                self.bound[alias.asname or alias.name] = module

    def _absolute(self, node: ast.ImportFrom) -> str | None:
        if not node.level:
            return node.module
        if self.package is None or len(self.package) < node.level:
            return None  # not inside a package of the project: nothing of it to import
        parts = list(self.package[: len(self.package) - node.level + 1])
        if node.module:
            parts.append(node.module)
        return ".".join(parts)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = _dotted(node)
        if chain is None:
            self.generic_visit(node)
        else:
            self.named.append(chain)

    def visit_Name(self, node: ast.Name) -> None:
        self.named.append(node.id)

    def uses(self) -> dict[str, int]:
        """Uses of each imported module: a name counts for the longest bound prefix it has."""
        counts = dict.fromkeys(self.imported, 0)
        for chain in self.named:
            parts = chain.split(".")
            for end in range(len(parts), 0, -1):
                module = self.bound.get(".".join(parts[:end]))
                if module is not None:
                    counts[module] += 1
                    break
        return counts


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for an attribute chain on a plain name; None for `f().b` and the like."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _test_package(project: Project, tests: Path) -> tuple[str, ...] | None:
    """The package a test file's relative imports start from; None outside the project's."""
    try:
        parts = project.module_parts(project.root / tests)
    except ProjectError:
        return None
    return parts[:-1]


def _by_imports(project: Project, tests: Path, known: dict[str, Module]) -> Module | str:
    """The module a test file is paired with by what it imports, or why none is (a clause)."""
    try:
        tree = ast.parse((project.root / tests).read_bytes(), filename=str(tests))
    except SyntaxError as error:
        message = " ".join(str(error.msg).split())
        return f"its imports cannot be read: a syntax error at line {error.lineno} ({message})"
    except (ValueError, OSError) as error:
        return f"its imports cannot be read: {' '.join(str(error).split())}"
    visitor = _ImportUses(known, _test_package(project, tests))
    visitor.visit(tree)
    uses = visitor.uses()
    # a package's __init__ mostly re-exports: a module inside it is the more specific choice
    candidates = {
        name: count
        for name, count in uses.items()
        if not (
            known[name].path.name == "__init__.py"
            and any(other.startswith(f"{name}.") for other in uses)
        )
    }
    if not candidates:
        return "it imports no module of the project"
    most = max(candidates.values())
    top = sorted(name for name, count in candidates.items() if count == most)
    if len(top) > 1:
        return (
            f"the project modules it imports are named equally often ({', '.join(top)}: "
            f"{most} uses each)"
        )
    return known[top[0]]


def pair_tests(project: Project) -> Pairing:
    """Find the project's modules and test files, and pair each test file with its module:
    by its name, else by what it imports."""
    files = _python_files(project.root)
    modules = _modules(project, files)
    known = {module.import_name: module for module in modules}
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
        chosen = (
            _choose(tests, candidates) if candidates else f"no module named {key!r} in the project"
        )
        if isinstance(chosen, Module):
            pairs.append(Pair(chosen, tests))
            continue
        imported = _by_imports(project, tests, known)
        if isinstance(imported, Module):
            pairs.append(Pair(imported, tests, rule="imports"))
        else:
            unpaired.append(Unpaired(tests, f"{chosen}, and {imported}"))
    pairs.sort(key=lambda pair: (pair.module.import_name, pair.tests.as_posix()))
    return Pairing(tuple(modules), tuple(test_files), tuple(pairs), tuple(unpaired))
