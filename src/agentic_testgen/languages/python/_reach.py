"""Which tests a mutant acting at import time can reach: found from the module's syntax.

A mutant in a function body runs against the tests that executed its line. One acting at
import time (a table of rules, a default, a decorator, a class attribute) runs once, when the
module loads, before any test: line coverage cannot tell which tests read what it made, so
such a mutant used to run against every passing test. Most survive or die by a few of them:
inflection's 147 rule-table mutants ran its 455 tests each.

Here a top-level statement's effects are the module names it binds or may change: its targets,
the objects it calls methods on or passes to calls, and what the module's own functions it
calls change in turn; then, to a fixed point, the names of every other top-level statement that
reads one of those. The tests that can notice are those that executed a function reading one of
the names (or the body of a function or class the statement defines), and those whose own code
names one. Anything this reading cannot follow gives no answer, and the mutant runs against
every passing test as before: an import, a bare call to code outside the module, a compound
statement, the module reading its own namespace (`globals()`, `vars()`, `__dict__`,
`getattr`), a test module importing `*` or naming one of the names outside a test function, or
another file of the package, or a `conftest.py`, naming one.

Written here: no library answers "which functions read what this statement made"; it is part of
the mutation engine's test selection, like the coverage-based selection beside it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DYNAMIC = frozenset({"globals", "vars", "getattr", "setattr", "delattr", "exec", "eval"})
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SUPPORTED = (
    ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr,
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
)  # fmt: skip


@dataclass(frozen=True)
class Reach:
    """What a mutant at import time can reach: the module lines whose execution by a test
    means the test may notice, and the tests whose code names what it changes (`Class::test`
    or `test`, as in a node id without its file and parameters)."""

    lines: frozenset[int]
    tests: frozenset[str]


def _import_time_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of `node` that run when it runs, not later: a def's decorators, defaults and
    annotations, a class's body minus its functions' bodies."""
    yield node
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        parts: list[ast.AST] = [*node.decorator_list, node.args]
        if node.returns is not None:
            parts.append(node.returns)
        for part in parts:
            yield from _import_time_nodes(part)
        return
    if isinstance(node, ast.Lambda):
        yield from _import_time_nodes(node.args)
        return
    for child in ast.iter_child_nodes(node):
        yield from _import_time_nodes(child)


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _function_bodies(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _span(node: ast.AST) -> set[int]:
    return set(range(node.lineno, (node.end_lineno or node.lineno) + 1))  # type: ignore[attr-defined]


def _names_read(nodes: Iterable[ast.AST]) -> set[str]:
    return {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


class ModuleReach:
    """The module's top-level statements, its names and who reads them, parsed once."""

    def __init__(self, code: str) -> None:
        tree = ast.parse(code)
        self.statements = list(tree.body)  # kept: `effects` and `reads` go by their ids
        self.effects: dict[int, set[str] | None] = {}
        self.reads: dict[int, set[str]] = {}
        self.imports: set[str] = set()
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.definitions: dict[str, ast.AST] = {}
        for statement in self.statements:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                self.imports.update(
                    (alias.asname or alias.name).split(".")[0] for alias in statement.names
                )
            elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions[statement.name] = statement
                self.definitions[statement.name] = statement
            elif isinstance(statement, ast.ClassDef):
                self.definitions[statement.name] = statement
        self.dynamic = any(
            (isinstance(n, ast.Name) and n.id in DYNAMIC)
            or (isinstance(n, ast.Attribute) and n.attr == "__dict__")
            for n in ast.walk(tree)
        )
        # each function (methods and nested ones too) by the lines it spans, innermost first
        self.spans = sorted(
            ((f.lineno, f.end_lineno or f.lineno, f.name) for f in _function_bodies(tree)),
            key=lambda span: span[1] - span[0],
        )
        # every function body (methods and nested ones too) and the names it reads
        self.readers = [
            (_span(function) - {function.lineno}, _names_read(ast.walk(function)))
            for function in _function_bodies(tree)
        ]
        self.names = (
            self.imports
            | set(self.definitions)
            | {target for statement in self.statements for target in self._bound(statement)}
        )

    def _bound(self, statement: ast.stmt) -> set[str]:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return {statement.name}
        targets: list[ast.AST] = []
        if isinstance(statement, ast.Assign):
            targets = list(statement.targets)
        elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
            targets = [statement.target]
        found = set()
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    found.add(node.id)
                elif isinstance(node, ast.Attribute | ast.Subscript):
                    root = _root(node)
                    if root is not None:
                        found.add(root)
        return found

    def _written_by(self, function: str, seen: set[str]) -> set[str] | None:
        """Module names a module function may change when called: those it declares global,
        changes through methods, items or attributes, or hands to other calls."""
        if function in seen:
            return set()
        seen.add(function)
        written: set[str] = set()
        for node in ast.walk(self.functions[function]):
            if isinstance(node, ast.Global):
                written.update(node.names)
            elif isinstance(node, ast.Attribute | ast.Subscript) and not isinstance(
                node.ctx, ast.Load
            ):
                written.update({_root(node)} - {None})  # type: ignore[arg-type]
            elif isinstance(node, ast.Call):
                more = self._call_effects(node, seen)
                if more is None:
                    return None
                written |= more
        return written & self.names

    def _call_effects(self, call: ast.Call, seen: set[str]) -> set[str] | None:
        effects = {a.id for a in [*call.args, *(k.value for k in call.keywords)]
                   if isinstance(a, ast.Name)}  # fmt: skip
        func = call.func
        if isinstance(func, ast.Name) and func.id in self.functions:
            inner = self._written_by(func.id, seen)
            if inner is None:
                return None
            effects |= inner
        elif isinstance(func, ast.Attribute):
            root = _root(func.value)
            if root is not None and root in self.names and root not in self.imports:
                effects.add(root)  # a method call may change its object
        return effects & self.names

    def _effects(self, statement: ast.stmt) -> set[str] | None:
        """The module names `statement` binds or may change; None where that cannot be told
        (worked out once a statement: every mutant's closure asks again)."""
        key = id(statement)
        if key not in self.effects:
            self.effects[key] = self._work_out_effects(statement)
        return self.effects[key]

    def _work_out_effects(self, statement: ast.stmt) -> set[str] | None:
        if not isinstance(statement, SUPPORTED):
            return None  # imports, compound statements: every test
        effects = self._bound(statement)
        for node in _import_time_nodes(statement):
            if isinstance(node, ast.Call):
                if isinstance(statement, ast.Expr) and not (
                    isinstance(node.func, ast.Name) and node.func.id in self.functions
                ) and not (isinstance(node.func, ast.Attribute) and _root(node.func) in self.names
                           and _root(node.func) not in self.imports):  # fmt: skip
                    return None  # a bare call into code outside the module
                more = self._call_effects(node, set())
                if more is None:
                    return None
                effects |= more
        if effects & self.imports:
            return None  # changes another module's object
        return effects

    def changed_names(self, line: int) -> set[str] | None:
        """The names a mutant on `line` may change, closed over the statements that read them
        when the module loads; None where every test must run."""
        if self.dynamic:
            return None
        holder = next(
            (s for s in self.statements if s.lineno <= line <= (s.end_lineno or s.lineno)), None
        )
        if holder is None:
            return None
        changed = self._effects(holder)
        if changed is None:
            return None
        grew = True
        while grew:
            grew = False
            for statement in self.statements:
                if statement is holder:
                    continue
                if not self._reads_at_import(statement) & changed:
                    continue
                more = self._effects(statement)
                if more is None:
                    return None
                if not more <= changed:
                    changed |= more
                    grew = True
        return changed

    def _called(self, nodes: Iterable[ast.AST]) -> list[str]:
        """The module's own functions called among `nodes`."""
        return [
            n.func.id
            for n in nodes
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name)
            and n.func.id in self.functions
        ]

    def _reads_at_import(self, statement: ast.stmt) -> set[str]:
        """The module names a statement reads when the module loads, and those read by the
        module's functions it calls then (`RULES = build()` reads what `build` reads); worked
        out once a statement."""
        key = id(statement)
        if key not in self.reads:
            self.reads[key] = self._work_out_reads(statement)
        return self.reads[key]

    def _work_out_reads(self, statement: ast.stmt) -> set[str]:
        nodes = list(_import_time_nodes(statement))
        reads = _names_read(nodes)
        pending = self._called(nodes)
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            body = list(ast.walk(self.functions[name]))
            reads |= _names_read(body)
            pending += self._called(body)
        return reads

    def lines_reading(self, names: set[str]) -> set[int]:
        """Lines of every function that reads one of `names`, and the bodies of the functions
        and classes bound to them."""
        lines: set[int] = set()
        for body, reads in self.readers:
            if reads & names:
                lines |= body
        for name in names:
            definition = self.definitions.get(name)
            if definition is not None:
                lines |= _span(definition) - {definition.lineno}  # type: ignore[attr-defined]
        return lines


def _split_tests(tree: ast.Module) -> tuple[list[tuple[str, ast.AST]], list[ast.AST]]:
    """The test functions (`Class::test` or `test`, and their nodes), and the rest of the
    module but its imports."""
    tests: list[tuple[str, ast.AST]] = []
    rest: list[ast.AST] = []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            if statement.name.startswith("test"):
                tests.append((statement.name, statement))
            else:
                rest.append(statement)
        elif isinstance(statement, ast.ClassDef) and statement.name.startswith("Test"):
            for member in statement.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    member.name.startswith("test")
                ):
                    tests.append((f"{statement.name}::{member.name}", member))
                else:
                    rest.append(member)
        elif not isinstance(statement, ast.Import | ast.ImportFrom):
            rest.append(statement)
    return tests, rest


class TestNames:
    """Which tests name what, from a tests file walked once."""

    def __init__(self, tree: ast.Module) -> None:
        self.star = any(
            isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
            for node in ast.walk(tree)
        )
        tests, rest = _split_tests(tree)
        self.tests = [(name, _names_in(node)) for name, node in tests]
        self.rest = set().union(*(_names_in(node) for node in rest))

    def naming(self, names: set[str]) -> set[str] | None:
        """The tests whose own code names one of `names` (`Class::test` or `test`); None
        where a name is used outside a test function, or a module is imported with `*`."""
        if self.star or self.rest & names:
            return None
        return {name for name, named in self.tests if named & names}


def _names_in(node: ast.AST) -> set[str]:
    """Every name a node's code uses, as a variable or as an attribute."""
    found = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            found.add(n.id)
        elif isinstance(n, ast.Attribute):
            found.add(n.attr)
    return found


def _named_in_texts(texts: Iterable[str], names: set[str]) -> bool:
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    return any(pattern.search(text) for text in texts)


def _read(paths: Iterable[Path]) -> list[str]:
    texts = []
    for path in paths:
        try:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return texts


def neighbours(module_path: Path | None, tests_path: Path | None) -> list[Path]:
    """The files that could read the module's names besides it and its tests: the other modules
    beside it (its package), and the `conftest.py` files over the tests."""
    found: list[Path] = []
    if module_path is not None and module_path.parent.is_dir():
        found += [
            p for p in module_path.parent.glob("*.py") if p.resolve() != module_path.resolve()
        ]
    if tests_path is not None:
        for directory in [tests_path.parent, *tests_path.parent.parents][:4]:
            conftest = directory / "conftest.py"
            if conftest.is_file():
                found.append(conftest)
    tests_resolved = tests_path.resolve() if tests_path is not None else None
    return [p for p in found if p.resolve() != tests_resolved]


class ImportTimeReach:
    """`reach(line)` for the import-time mutants of one module and its tests: each file parsed
    or read once, each statement's answer worked out once."""

    def __init__(self, module_code: str, tests_code: str, others: list[Path]) -> None:
        self.others = others
        self.other_texts: list[str] | None = None  # read at the first question that needs them
        try:
            self.module: ModuleReach | None = ModuleReach(module_code)
            self.tests: TestNames | None = TestNames(ast.parse(tests_code))
        except (SyntaxError, ValueError, RecursionError):
            self.module, self.tests = None, None
        self.cache: dict[int, Reach | None] = {}
        self.naming: dict[str, set[str]] = {}

    def tests_naming_function_of(self, line: int) -> set[str]:
        """The tests (`Class::test` or `test`) whose code names the function whose body holds
        `line`: the likeliest to notice a change there. Empty where none can be told."""
        if self.module is None or self.tests is None:
            return set()
        name = next((n for first, last, n in self.module.spans if first < line <= last), None)
        if name is None:
            return set()
        if name not in self.naming:
            self.naming[name] = self.tests.naming({name}) or set()
        return self.naming[name]

    def reach(self, line: int) -> Reach | None:
        if line not in self.cache:
            self.cache[line] = self._reach(line)
        return self.cache[line]

    def _reach(self, line: int) -> Reach | None:
        if self.module is None or self.tests is None:
            return None
        names = self.module.changed_names(line)
        if names is None:
            return None
        if not names:
            return Reach(frozenset(), frozenset())
        tests = self.tests.naming(names)
        if tests is None:
            return None
        if self.other_texts is None:
            self.other_texts = _read(self.others)
        if _named_in_texts(self.other_texts, names):
            return None
        return Reach(frozenset(self.module.lines_reading(names)), frozenset(tests))
