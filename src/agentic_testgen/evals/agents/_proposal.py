"""A coder's proposed pytest file read statically: its tests, and for each whether it parses,
resolves the names it uses, uses pytest correctly and calls the plan's target.

A test is what pytest collects at the top of a file and what the critic keeps or drops: a
function named `test*` or a class named `Test*`.

- `imports_resolve`: every name the test reads is bound (by the file's imports and top-level
  definitions, by the test itself, or a builtin); the modules the file imports are installed
  (top-level package) or are the module under test; what it imports from the module under
  test, or reads as an attribute of it (`mod.name`), is defined there.
- `framework_ok` (pytest): a plain (not async) function or a `Test*` class without `__init__`
  holding `test*` methods; each test checks something (an `assert`, `pytest.raises`/`warns`,
  a `self.assert*` of a `unittest.TestCase`, or a helper of the file that does); no assert on
  a tuple (always true), no `pytest.raises` outside a `with` or its call form, no returned
  value; every parameter is a fixture (pytest's own, one the file defines, a parametrized
  name, or drawn by Hypothesis' `@given`); `self.assert*` only in a `unittest.TestCase`, whose
  methods take no fixtures and are not parametrized.
- `calls_target`: the test names the target (`f`, `mod.f`; for a method `C.m`, it reads an
  attribute `m` and names `C`, itself or in a helper or fixture of the file), called or passed.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import re
from dataclasses import dataclass, field

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation._assemble import checks_something

BUILTIN_FIXTURES = frozenset({
    "cache", "capfd", "capfdbinary", "caplog", "capsys", "capsysbinary", "doctest_namespace",
    "monkeypatch", "pytestconfig", "pytester", "record_property", "record_testsuite_property",
    "record_xml_attribute", "recwarn", "request", "testdir", "tmp_path", "tmp_path_factory",
    "tmpdir", "tmpdir_factory",
})  # fmt: skip
_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__"}
_TEST_NAME = re.compile(r"^(?:async\s+def\s+|def\s+)(test\w*)|^class\s+(Test\w*)", re.MULTILINE)
Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass(frozen=True)
class ProposedTest:
    """One proposed test and the static checks it passes; `problems` says why it failed one."""

    __test__ = False

    name: str
    parses: bool
    imports_resolve: bool
    framework_ok: bool
    calls_target: bool
    problems: tuple[str, ...] = ()


def read_proposal(code: str, source: SourceUnit, target: str) -> list[ProposedTest]:
    """The tests of the proposed file `code` for `target` (a qualified name in `source`)."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        problem = f"does not parse: {error.msg} (line {error.lineno})"
        names = [a or b for a, b in _TEST_NAME.findall(code)] or ["<file>"]
        return [ProposedTest(name, False, False, False, False, (problem,)) for name in names]
    proposal = _Proposal(tree, source, target)
    return [proposal.judge(node) for node in tree.body if _is_test(node)]


def _is_test(node: ast.stmt) -> bool:
    if isinstance(node, ast.ClassDef):
        return node.name.startswith("Test")
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")


def _top_names(tree: ast.Module) -> set[str]:
    """The names a module binds at its top level (under `if` and `try` too)."""
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, Definition):
            names.add(statement.name)
            continue
        names |= _bound(statement)
    return names


def _bound(node: ast.AST) -> set[str]:
    """Every name `node` binds anywhere inside it."""
    names: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
            names.add(child.id)
        elif isinstance(child, ast.arg):
            names.add(child.arg)
        elif isinstance(child, Definition):
            names.add(child.name)
        elif isinstance(child, ast.alias):
            names.add((child.asname or child.name).split(".")[0])
        elif isinstance(child, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and child.name:
            names.add(child.name)
        elif isinstance(child, ast.MatchMapping) and child.rest:
            names.add(child.rest)
    return names


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _decorator_name(decorator: ast.expr) -> str:
    """`pytest.mark.parametrize(...)` -> `parametrize`; `pytest.fixture` -> `fixture`."""
    node = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


@dataclass
class _Imports:
    """What import statements bind: the module under test, the target (or its class), and
    names whose import cannot work (with why)."""

    module_aliases: set[str] = field(default_factory=set)
    target_names: set[str] = field(default_factory=set)
    unresolved: dict[str, str] = field(default_factory=dict)


class _Proposal:
    """The file-level facts the checks of each test need."""

    def __init__(self, tree: ast.Module, source: SourceUnit, target: str) -> None:
        self.source = source
        self.target = target
        owner, _, last = target.rpartition(".")
        self.method = last if owner else ""
        self.wanted = owner or last  # a method is named through its class
        self.module_names = _top_names(ast.parse(source.code))
        self.helpers = [node for node in tree.body if not _is_test(node)]
        self.imports = self._imports(self.helpers)
        self.bound = _top_names(tree) - set(self.imports.unresolved)
        self.fixtures = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and any(_decorator_name(d) == "fixture" for d in node.decorator_list)
        }
        self.checking = {
            node.name
            for node in self.helpers
            if isinstance(node, ast.FunctionDef) and checks_something(node, set())
        }

    def _imports(self, statements: list[ast.stmt]) -> _Imports:
        found = _Imports()
        module = self.source.qualified_name
        for node in (n for s in statements for n in ast.walk(s)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    if alias.name == module:
                        found.module_aliases.add(alias.asname or alias.name)
                    elif not _installed(alias.name):
                        found.unresolved[bound] = f"imports {alias.name}, which is not installed"
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node, found)
        return found

    def _import_from(self, node: ast.ImportFrom, found: _Imports) -> None:
        module = self.source.qualified_name
        name = node.module or ""
        for alias in node.names:
            bound = alias.asname or alias.name
            if node.level:
                found.unresolved[bound] = "a relative import, in a test of a module alone"
            elif name == module and alias.name not in self.module_names:
                found.unresolved[bound] = f"{module} has no {alias.name}"
            elif name == module and alias.name == self.wanted:
                found.target_names.add(bound)
            elif f"{name}.{alias.name}" == module:
                found.module_aliases.add(bound)
            elif name != module and not _installed(name):
                found.unresolved[bound] = f"imports from {name}, which is not installed"

    def judge(self, node: ast.stmt) -> ProposedTest:
        assert isinstance(node, Definition)
        names = self._names(node)
        framework = self._framework(node)
        calls = self._calls_target(node)
        problems = [*names, *framework, *([] if calls else [f"never names {self.target}"])]
        return ProposedTest(node.name, True, not names, not framework, calls, tuple(problems))

    def _names(self, node: Definition) -> list[str]:
        """Why the names `node` uses do not all resolve (nothing when they do)."""
        own = self._imports([node])
        problems = [f"{name}: {why}" for name, why in own.unresolved.items()]
        local = _bound(node) - set(own.unresolved)
        aliases = self.imports.module_aliases | own.module_aliases
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
                name = child.id
                if name in local or name in own.unresolved:
                    continue
                if name in self.imports.unresolved:
                    problems.append(f"{name}: {self.imports.unresolved[name]}")
                elif name not in self.bound and name not in _BUILTINS:
                    problems.append(f"{name} is never imported or defined")
            elif (
                isinstance(child, ast.Attribute)
                and isinstance(child.value, ast.Name)
                and child.value.id in aliases
                and child.attr not in self.module_names
            ):
                problems.append(f"{self.source.qualified_name} has no {child.attr}")
        return sorted(set(problems))

    def _framework(self, node: Definition) -> list[str]:
        """Why `node` is not a test pytest runs as written (nothing when it is)."""
        if isinstance(node, ast.ClassDef):
            return self._test_class(node)
        return self._test_function(node, unittest=False, method=False)

    def _test_class(self, node: ast.ClassDef) -> list[str]:
        unittest = any(
            (isinstance(b, ast.Name) and b.id == "TestCase")
            or (isinstance(b, ast.Attribute) and b.attr == "TestCase")
            for b in node.bases
        )
        methods = [c for c in node.body if isinstance(c, ast.FunctionDef | ast.AsyncFunctionDef)]
        problems = []
        if not unittest and any(m.name == "__init__" for m in methods):
            problems.append("pytest does not collect a Test class with __init__")
        tests = [m for m in methods if m.name.startswith("test")]
        if not tests:
            problems.append("a Test class without test methods")
        for method in tests:
            problems += [
                f"{method.name}: {why}"
                for why in self._test_function(method, unittest=unittest, method=True)
            ]
        return problems

    def _test_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, *, unittest: bool, method: bool
    ) -> list[str]:
        problems = []
        checks = checks_something(node, self.checking)
        for child in _own_nodes(node):
            if isinstance(child, ast.Assert) and isinstance(child.test, ast.Tuple):
                if child.test.elts:
                    problems.append("asserts a tuple, which is always true")
            elif (
                isinstance(child, ast.Expr)
                and isinstance(child.value, ast.Call)
                and _call_name(child.value) in ("raises", "warns")
                and len(child.value.args) < 2
            ):
                problems.append(f"pytest.{_call_name(child.value)} outside a with block")
            elif (
                isinstance(child, ast.Return)
                and child.value is not None
                and not (isinstance(child.value, ast.Constant) and child.value.value is None)
            ):
                problems.append("returns a value (pytest ignores it)")
            elif (
                not unittest
                and isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and isinstance(child.func.value, ast.Name)
                and child.func.value.id == "self"
                and child.func.attr.startswith("assert")
            ):
                problems.append(f"self.{child.func.attr} outside a unittest.TestCase")
        if not checks and not problems:  # a misused check above already says why
            problems.append("checks nothing: no assertion")
        if isinstance(node, ast.AsyncFunctionDef):
            problems.insert(0, "an async test, which pytest does not run without a plugin")
        problems += self._parameters(node, unittest=unittest, method=method)
        return problems

    def _parameters(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, *, unittest: bool, method: bool
    ) -> list[str]:
        decorators = {_decorator_name(d) for d in node.decorator_list}
        arguments = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
        if method and arguments and "staticmethod" not in decorators:
            arguments = arguments[1:]  # self
        if unittest:
            if "parametrize" in decorators:
                return ["pytest.mark.parametrize on a unittest.TestCase method"]
            return ["a unittest.TestCase method cannot take fixtures"] if arguments else []
        if "given" in decorators:  # Hypothesis draws them
            return []
        given = set(BUILTIN_FIXTURES | self.fixtures)
        for decorator in node.decorator_list:
            if _decorator_name(decorator) == "parametrize" and isinstance(decorator, ast.Call):
                given |= _parametrized(decorator)
        return [f"parameter {name} is no fixture" for name in arguments if name not in given]

    def _calls_target(self, node: Definition) -> bool:
        if self.method and not any(
            isinstance(child, ast.Attribute) and child.attr == self.method
            for child in ast.walk(node)
        ):
            return False
        # a method's class may be named where the object is made: a fixture or a helper
        places: list[ast.stmt] = [node, *self.helpers] if self.method else [node]
        return any(self._names_target(place) for place in places)

    def _names_target(self, node: ast.stmt) -> bool:
        own = self._imports([node])
        names = self.imports.target_names | own.target_names
        aliases = self.imports.module_aliases | own.module_aliases
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and child.id in names:
                return True
            if (
                isinstance(child, ast.Attribute)
                and child.attr == self.wanted
                and isinstance(child.value, ast.Name)
                and child.value.id in aliases
            ):
                return True
        return False


def _own_nodes(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of a function's body, without those of functions and lambdas inside it."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        found.append(child)
        if isinstance(child, Definition | ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(child))
    return found


def _parametrized(decorator: ast.Call) -> set[str]:
    """The argument names of `@pytest.mark.parametrize("a, b", ...)` (or a list of names)."""
    if not decorator.args:
        keyword = next((k.value for k in decorator.keywords if k.arg == "argnames"), None)
    else:
        keyword = decorator.args[0]
    if isinstance(keyword, ast.Constant) and isinstance(keyword.value, str):
        return {name.strip() for name in keyword.value.split(",") if name.strip()}
    if isinstance(keyword, ast.List | ast.Tuple):
        return {
            e.value
            for e in keyword.elts
            if isinstance(e, ast.Constant) and isinstance(e.value, str)
        }
    return set()


def _installed(module: str) -> bool:
    """Whether the top-level package of `module` can be imported here (atg's environment, where
    a module given alone is tested)."""
    top = module.split(".", maxsplit=1)[0]
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False
