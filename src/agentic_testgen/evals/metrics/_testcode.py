"""What the metrics read from test code: the tests pytest collects, call names, node ids.

Discovery follows pytest's default collection rules, so a static metric sees the same tests the
run did: module-level `test*` functions, `test*` methods of `Test*` classes without `__init__`
(nested ones too), and `test*` methods of `unittest.TestCase` subclasses whatever their name.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# Base classes (resolved through the file's imports) that make a class a unittest test case.
TESTCASE_BASES = {
    "unittest.TestCase",
    "unittest.IsolatedAsyncioTestCase",
    "unittest.case.TestCase",
    "unittest.async_case.IsolatedAsyncioTestCase",
}
# Third-party TestCase subclasses (django.test.TestCase, absltest.TestCase, ...) end like this.
TESTCASE_SUFFIX = "TestCase"
PARAMETRIZE = "pytest.mark.parametrize"
GIVEN = "hypothesis.given"


@dataclass(frozen=True)
class TestFunction:
    """A test pytest would collect.

    Attributes:
        qualname: `test_x`, `TestA.test_x` or `TestA.TestB.test_x`, as in the node id.
        node: the function or method that holds the test's body.
        cases: how many items pytest makes of it (the product of its `parametrize` lists,
            the class's included); 1 when not parametrized or when a list is not literal.
        property_based: decorated with Hypothesis `@given`.
        cls: the class pytest collects it from (which may inherit `node` from a base class in
            the file), None for a module-level function.
    """

    __test__ = False

    qualname: str
    node: FunctionNode
    cases: int = 1
    property_based: bool = False
    cls: ast.ClassDef | None = None


@functools.lru_cache(maxsize=2)  # the tests and the module of the run being scored
def parse(code: str) -> ast.Module | None:
    """The syntax tree of `code`, None when it does not parse. One tree serves every metric
    that reads the same code (each used to parse it again): read it, never change it."""
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError):
        return None


def _literal_sequences(tree: ast.Module) -> dict[str, ast.List | ast.Tuple]:
    """Module-level `NAME = [...]` assignments, for parametrize lists given by name."""
    found: dict[str, ast.List | ast.Tuple] = {}
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if isinstance(value, ast.List | ast.Tuple):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = value
    return found


class _Collector:
    """Walks a module once and lists its tests, following pytest's rules."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases = import_aliases(tree)
        self.sequences = _literal_sequences(tree)
        self.classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        self.tree = tree

    def _decorator_names(self, node: FunctionNode | ast.ClassDef) -> list[tuple[str, ast.expr]]:
        named = []
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            named.append((dotted_name(target, self.aliases) or "", decorator))
        return named

    def cases(self, node: FunctionNode | ast.ClassDef) -> int:
        """The product of the lengths of `node`'s literal `parametrize` lists."""
        product = 1
        for name, decorator in self._decorator_names(node):
            if not name.endswith(PARAMETRIZE) or not isinstance(decorator, ast.Call):
                continue
            values = decorator.args[1] if len(decorator.args) > 1 else None
            for keyword in decorator.keywords:
                if keyword.arg == "argvalues":
                    values = keyword.value
            if isinstance(values, ast.Name):
                values = self.sequences.get(values.id)
            if isinstance(values, ast.List | ast.Tuple):
                product *= len(values.elts)
        return product

    def property_based(self, node: FunctionNode) -> bool:
        return any(name.endswith(GIVEN) for name, _ in self._decorator_names(node))

    def is_testcase(self, node: ast.ClassDef, seen: frozenset[str] = frozenset()) -> bool:
        """Whether `node` derives from unittest's TestCase, directly or through this file."""
        for base in node.bases:
            name = dotted_name(base, self.aliases) or ""
            if name in TESTCASE_BASES or name.rsplit(".", 1)[-1].endswith(TESTCASE_SUFFIX):
                return True
            local = self.classes.get(name)
            if local is not None and name not in seen and self.is_testcase(local, seen | {name}):
                return True
        return False

    def methods(
        self, node: ast.ClassDef, seen: frozenset[str] = frozenset()
    ) -> dict[str, FunctionNode]:
        """Methods of `node` and of its bases defined in this file, as Python resolves them."""
        methods: dict[str, FunctionNode] = {}
        for base in reversed(node.bases):
            name = dotted_name(base, self.aliases) or ""
            local = self.classes.get(name)
            if local is not None and name not in seen | {node.name}:
                methods.update(self.methods(local, seen | {node.name}))
        methods.update({item.name: item for item in node.body if isinstance(item, FunctionNode)})
        return methods

    def _class(self, node: ast.ClassDef, prefix: str, outer_cases: int) -> list[TestFunction]:
        disabled = any(
            isinstance(item, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__test__" for t in item.targets)
            and isinstance(item.value, ast.Constant)
            and not item.value.value
            for item in node.body
        )
        testcase = self.is_testcase(node)
        methods = self.methods(node)
        if disabled or not (testcase or node.name.startswith("Test")):
            return []
        if not testcase and "__init__" in methods:
            return []  # pytest warns and skips a Test class with a constructor
        qualprefix = f"{prefix}{node.name}."
        # unittest ignores pytest's parametrize marks; pytest applies a class's to every method
        cases = 1 if testcase else outer_cases * self.cases(node)
        found = [
            TestFunction(
                qualprefix + name,
                method,
                cases=cases * (1 if testcase else self.cases(method)),
                property_based=self.property_based(method),
                cls=node,
            )
            for name, method in methods.items()
            if name.startswith("test")
        ]
        if not testcase:
            for inner in node.body:
                if isinstance(inner, ast.ClassDef):
                    found.extend(self._class(inner, qualprefix, cases))
        return found

    def tests(self) -> list[TestFunction]:
        found: list[TestFunction] = []
        for node in self.tree.body:
            if isinstance(node, FunctionNode) and node.name.startswith("test"):
                found.append(
                    TestFunction(
                        node.name,
                        node,
                        cases=self.cases(node),
                        property_based=self.property_based(node),
                    )
                )
            elif isinstance(node, ast.ClassDef):
                found.extend(self._class(node, "", 1))
        return found


def test_functions(tree: ast.Module) -> list[TestFunction]:
    """Every test pytest would collect from `tree`, in file order.

    A method inherited from a base class in the file is listed under each collected subclass,
    as pytest runs it there; `written_tests` lists each body once.
    """
    return _Collector(tree).tests()


def written_tests(tree: ast.Module) -> list[TestFunction]:
    """The collected tests with each test body once (the first class that runs it)."""
    seen: set[int] = set()
    unique: list[TestFunction] = []
    for test in test_functions(tree):
        if id(test.node) not in seen:
            seen.add(id(test.node))
            unique.append(test)
    return unique


def case_count(tests: list[TestFunction]) -> int:
    """How many items pytest makes of `tests` (parametrized cases counted one by one)."""
    return sum(test.cases for test in tests)


def helper_functions(tree: ast.Module) -> dict[str, FunctionNode]:
    """Module-level functions that are not tests (assertion helpers, builders)."""
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, FunctionNode) and not node.name.startswith("test")
    }


def helper_methods(tree: ast.Module, cls: ast.ClassDef) -> dict[str, FunctionNode]:
    """The non-test methods of `cls`, its bases' in this file included (`self.assertValid`)."""
    return {
        name: method
        for name, method in _Collector(tree).methods(cls).items()
        if not name.startswith("test")
    }


def qualname_of(nodeid: str) -> str:
    """`tests/test_x.py::TestA::test_b[1-2]` -> `TestA.test_b`."""
    _, _, rest = nodeid.partition("::")
    return re.sub(r"\[.*\]$", "", rest).replace("::", ".")


@functools.lru_cache(maxsize=2)
def import_aliases(tree: ast.Module) -> Mapping[str, str]:
    """Local name -> dotted origin, from the file's imports (`from time import sleep`).
    Worked out once per tree (a walk of the whole file, which four metrics ask for)."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return MappingProxyType(aliases)


def dotted_name(node: ast.expr, aliases: Mapping[str, str]) -> str | None:
    """`np.random.rand` -> `numpy.random.rand` given `import numpy as np`; None when dynamic."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.insert(0, aliases.get(node.id, node.id))
    return ".".join(parts)
