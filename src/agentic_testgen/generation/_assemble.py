"""The kept tests made into a file a team would commit.

Pure functions over the test file's AST: one import style for the module under test, no unused
imports, `is None` rather than `== None`, no test without a check, repeated constant checks
collapsed, cases that differ only in constants parametrized, tests grouped by the function they
test (in the module's order) and named after the behaviour they check. A test that pins an
exception raised inside the standard library is marked for review with a comment (see
`PinnedCrash`). Formatting is ruff's job (`agentic_testgen.generation._ruff`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from agentic_testgen.generation._imports import (
    ModuleNames,
    remove_unused_imports,
    unify_module_imports,
)
from agentic_testgen.generation._naming import (
    Subject,
    behaviour_name,
    is_generic,
    is_literal,
    raised_error,
    snake,
    subject_of,
    unique,
)

CONSTANTS_TEST = "test_module_constants_keep_their_values"
_BOOLEAN_CALLS = {"isinstance", "issubclass", "callable", "bool", "hasattr", "all", "any"}


@dataclass(frozen=True)
class PinnedCrash:
    """A test whose `pytest.raises` catches an exception whose last frame is in the standard
    library: it may pin a crash of the module on an ordinary input as expected behaviour."""

    error: str
    stdlib_module: str

    @property
    def comment(self) -> str:
        return f"# atg: review — pins {self.error} raised in {self.stdlib_module}"


@dataclass(frozen=True)
class AssembledFile:
    """The file, and what became of each kept test: renamed (old -> new; cases merged into one
    parametrized test share the new name), dropped (with the reason), marked for review."""

    code: str
    names: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    for_review: tuple[str, ...] = ()
    removed_imports: tuple[str, ...] = ()


class _Comparisons(ast.NodeTransformer):
    """`x == None` -> `x is None`; `cond == True` -> `cond` when `cond` is already a bool
    (a comparison, `not`, `isinstance`), else `x is True` (stricter than `==`: 1 is not True)."""

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        self.generic_visit(node)
        if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
            return node
        left, right = node.left, node.comparators[0]
        if _singleton(left) and not _singleton(right):
            left, right = right, left
        if not _singleton(right):
            return node
        assert isinstance(right, ast.Constant)
        equal = isinstance(node.ops[0], ast.Eq)
        if right.value is not None and _boolean(left):
            keep = equal == right.value
            return left if keep else ast.UnaryOp(ast.Not(), left)
        op: ast.cmpop = ast.Is() if equal else ast.IsNot()
        return ast.copy_location(ast.Compare(left, [op], [right]), node)


def _singleton(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool))


def _boolean(node: ast.expr) -> bool:
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return True
    if isinstance(node, ast.BoolOp):
        return all(_boolean(v) for v in node.values)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _BOOLEAN_CALLS
    )


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def checks_something(function: ast.AST, checking_helpers: set[str]) -> bool:
    """An `assert` that can fail, `pytest.raises`/`warns`/`deprecated_call` entered with `with`
    or given the callable to call, `pytest.fail`, a `self.assert*` or `mock.assert_*` call, or a
    call of a helper of the file that checks; none of them inside a `try` whose handler swallows
    what it raises."""
    entered = {
        id(node)
        for statement in ast.walk(function)
        if isinstance(statement, ast.With | ast.AsyncWith)
        for item in statement.items
        for node in ast.walk(item.context_expr)
    }
    return next(_checks(function, checking_helpers, entered, frozenset()), None) is not None


def _checks(
    node: ast.AST, helpers: set[str], entered: set[int], swallowed: frozenset[str]
) -> Iterator[str]:
    """The checks under `node` whose failure is not swallowed, by what a failure raises:
    `assertion` (an AssertionError) or `outcome` (pytest's `Failed`, a BaseException)."""
    if isinstance(node, ast.Try | ast.TryStar):
        inner = swallowed | _swallowed_by(node.handlers)
        for statement in node.body:
            yield from _checks(statement, helpers, entered, inner)
        for child in [*node.handlers, *node.orelse, *node.finalbody]:
            yield from _checks(child, helpers, entered, swallowed)
        return
    kind = _check_kind(node, helpers, entered)
    if kind is not None and kind not in swallowed:
        yield kind
    for child in ast.iter_child_nodes(node):
        yield from _checks(child, helpers, entered, swallowed)


def _check_kind(node: ast.AST, helpers: set[str], entered: set[int]) -> str | None:
    if isinstance(node, ast.Assert):
        return None if _always_true(node.test) else "assertion"
    if not isinstance(node, ast.Call):
        return None
    name = _call_name(node)
    if name == "fail":
        return "outcome"
    if name in ("raises", "warns", "deprecated_call"):
        # without `with` and without a callable it only builds a context manager no one enters
        callable_given = len(node.args) > (0 if name == "deprecated_call" else 1)
        return "outcome" if id(node) in entered or callable_given else None
    if name.startswith("assert") or (isinstance(node.func, ast.Name) and name in helpers):
        return "assertion"
    return None


def _always_true(test: ast.expr) -> bool:
    """A non-empty literal (`assert (x == 1, "message")` asserts a tuple) or a true constant."""
    if isinstance(test, ast.Tuple | ast.List | ast.Set):
        return bool(test.elts)
    if isinstance(test, ast.Dict):
        return bool(test.keys)
    return isinstance(test, ast.Constant) and bool(test.value)


def _swallowed_by(handlers: list[ast.ExceptHandler]) -> frozenset[str]:
    """What failures handlers that do not raise again catch: an AssertionError under
    `except AssertionError`/`Exception`, pytest's outcomes too under `BaseException` or a bare
    `except`."""
    swallowed: set[str] = set()
    for handler in handlers:
        if any(isinstance(node, ast.Raise) for node in ast.walk(handler)):
            continue
        caught = handler.type
        types = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        names = {_name_of(t) for t in types if t is not None}
        if caught is None or "BaseException" in names:
            swallowed |= {"assertion", "outcome"}
        elif names & {"AssertionError", "Exception"}:
            swallowed.add("assertion")
    return frozenset(swallowed)


def _name_of(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _constant_check(statement: ast.stmt, module: ModuleNames) -> bool:
    """`assert CONSTANT == <literal>` over the module's constants only."""
    if not isinstance(statement, ast.Assert) or not isinstance(statement.test, ast.Compare):
        return False
    if any(isinstance(n, ast.Call) for n in ast.walk(statement)):
        return False
    names = {n.id for n in ast.walk(statement.test) if isinstance(n, ast.Name)}
    attributes = {
        n.attr
        for n in ast.walk(statement.test)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == module.module_name
    }
    reads = (names - {module.module_name}) | attributes
    # a list literal too (Pynguin checks a module's lookup table after every call): the tests
    # passed, so the value compared is the one the module holds at import
    literal = all(is_literal(c) for c in statement.test.comparators)
    return bool(reads) and reads <= set(module.constants) and literal


def _drop_repeated_asserts(body: list[ast.stmt], module: ModuleNames) -> list[ast.stmt]:
    """An assert identical to an earlier one in the same block, with nothing in between that
    could change what it reads (no rebinding of its names; no call, unless it reads only the
    module's constants)."""
    seen: dict[str, set[str]] = {}
    kept: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.Assert) and not any(
            isinstance(n, ast.Call) for n in ast.walk(statement)
        ):
            text = ast.unparse(statement)
            if text in seen:
                continue
            reads = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
            seen[text] = reads | ({"<call-safe>"} if _constant_check(statement, module) else set())
            kept.append(statement)
            continue
        stored = {
            n.id
            for n in ast.walk(statement)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store | ast.Del)
        }
        calls = any(isinstance(n, ast.Call) for n in ast.walk(statement))
        seen = {
            text: reads
            for text, reads in seen.items()
            if not (reads & stored) and (not calls or "<call-safe>" in reads)
        }
        kept.append(statement)
    return kept


def _without_no_ops(body: list[ast.stmt]) -> list[ast.stmt]:
    """Without statements that do nothing: a bare lambda or constant (Pynguin writes
    `lambda *args, **kwargs: True`); a docstring stays."""
    kept = [
        statement
        for index, statement in enumerate(body)
        if not (
            isinstance(statement, ast.Expr)
            and (
                isinstance(statement.value, ast.Lambda)
                or (
                    isinstance(statement.value, ast.Constant)
                    and not (index == 0 and isinstance(statement.value.value, str))
                )
            )
        )
    ]
    return kept or [ast.Pass()]


def _collapse_constant_checks(
    tests: dict[str, ast.FunctionDef], module: ModuleNames
) -> ast.FunctionDef | None:
    """Checks of the module's constants repeated across tests move into one test."""
    counts: dict[str, int] = {}
    first: dict[str, ast.stmt] = {}
    for test in tests.values():
        for text in dict.fromkeys(ast.unparse(s) for s in test.body if _constant_check(s, module)):
            counts[text] = counts.get(text, 0) + 1
            first.setdefault(text, next(s for s in test.body if ast.unparse(s) == text))
    repeated = {text for text, count in counts.items() if count > 1}
    if not repeated:
        return None
    for test in tests.values():
        test.body = [s for s in test.body if ast.unparse(s) not in repeated] or [ast.Pass()]
    constants = ast.parse(f"def {CONSTANTS_TEST}():\n    pass\n").body[0]
    assert isinstance(constants, ast.FunctionDef)
    constants.body = [first[text] for text in first if text in repeated]
    return constants


def assemble(
    code: str, module: ModuleNames, *, pinned: Mapping[str, PinnedCrash] | None = None
) -> AssembledFile:
    """Make `code` (the kept tests, as the critic renders them) into a file to commit.

    `pinned` maps a test's name to the crash it pins (found by running it, see
    `agentic_testgen.generation._probe`); such a test is kept, with a review comment.
    """
    from agentic_testgen.generation._parametrize import merge_cases  # noqa: PLC0415

    pinned = pinned or {}
    tree = ast.parse(code)
    unify_module_imports(tree, module)
    tree = _Comparisons().visit(tree)
    ast.fix_missing_locations(tree)
    imports = [s for s in tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    tests: dict[str, ast.FunctionDef] = {}
    others: list[ast.stmt] = []  # helpers, fixtures, test classes: kept as they are
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef) and statement.name.startswith("test"):
            statement.body = _drop_repeated_asserts(_without_no_ops(statement.body), module)
            tests[statement.name] = statement
        elif statement not in imports:
            others.append(statement)
    checking = {
        s.name
        for s in others
        if isinstance(s, ast.FunctionDef) and not s.name.startswith("test")
        if checks_something(s, set())
    }
    constants = _collapse_constant_checks(tests, module)
    dropped = {
        name: "checks nothing: no assertion"
        for name, test in tests.items()
        if not checks_something(test, checking)
    }
    tests = {name: test for name, test in tests.items() if name not in dropped}
    if constants is not None:
        tests[CONSTANTS_TEST] = constants
    functions = tuple(n for n in module.defined if n not in module.constants)
    subjects = {name: subject_of(test, functions) for name, test in tests.items()}
    merged = merge_cases(tests, subjects, module, exclude=set(pinned))
    names: dict[str, str] = {}
    taken = {s.name for s in others if isinstance(s, ast.FunctionDef | ast.ClassDef)}
    placed: list[tuple[tuple[int, int], ast.FunctionDef]] = []
    for position, (originals, test) in enumerate(merged):
        subject = subjects[originals[0]] if len(originals) == 1 else subject_of(test, functions)
        new = _name(test, subject, functions, taken)
        taken.add(new)
        test.name = new
        names.update(dict.fromkeys(originals, new))
        placed.append(((_order(subject, module), position), test))
    placed.sort(key=lambda item: item[0])
    ordered = [test for _, test in placed]
    if any(_parametrized(t) for t in ordered) and not _imports_pytest(imports):
        imports.append(ast.Import([ast.alias("pytest")]))
    body: list[ast.stmt] = [*imports, *others, *ordered]
    tree.body = body
    removed = remove_unused_imports(tree)
    review = {names[name]: crash for name, crash in pinned.items() if name in names}
    return AssembledFile(
        code=_render(tree, review),
        names=names,
        dropped=dropped,
        for_review=tuple(review),
        removed_imports=tuple(removed),
    )


def _name(
    test: ast.FunctionDef, subject: Subject | None, functions: tuple[str, ...], taken: set[str]
) -> str:
    if test.name == CONSTANTS_TEST or not (is_generic(test.name, functions) or _parametrized(test)):
        return unique(test.name, taken, ["also"])
    # a parametrized test's name leaves out its arguments: they vary
    name = behaviour_name(test, subject, with_args=not _parametrized(test))
    hints = []
    if subject is not None:
        hints += [f"with_{k.arg}" for k in subject.call.keywords if k.arg]
        if len(name) < 60:
            hints += [f"{snake(subject.function)}_{name.removeprefix('test_')}"]
    others = [
        snake(n.func.id)
        for n in ast.walk(test)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id in functions
        and (subject is None or n.func.id != subject.function)
    ]
    hints += [f"after_{n}" for n in dict.fromkeys(others)]
    error = raised_error(test)
    if error and subject is not None and "raises" not in name:
        hints.insert(0, f"raises_{snake(error)}")
    return unique(name, taken, hints)


def _order(subject: Subject | None, module: ModuleNames) -> int:
    if subject is None:
        return len(module.defined)
    owner = subject.function.split(".")[0]
    return module.defined.index(owner) if owner in module.defined else len(module.defined)


def _parametrized(test: ast.FunctionDef) -> bool:
    return any("parametrize" in ast.unparse(d) for d in test.decorator_list)


def _imports_pytest(imports: Sequence[ast.stmt]) -> bool:
    return any(
        isinstance(s, ast.Import) and any(a.name == "pytest" and not a.asname for a in s.names)
        for s in imports
    )


def _render(tree: ast.Module, review: Mapping[str, PinnedCrash]) -> str:
    imports = [ast.unparse(s) for s in tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    blocks = []
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        text = ast.unparse(statement)
        name = getattr(statement, "name", None)
        if isinstance(name, str) and name in review:
            text = f"{review[name].comment}\n{text}"
        blocks.append(text)
    head = "\n".join(imports)
    return (head + "\n\n\n" if head else "") + "\n\n\n".join(blocks) + "\n"


def stdlib_module(filename: str) -> str | None:
    """`json.decoder` for `/usr/lib/python3.11/json/decoder.py`; None outside the standard
    library (site-packages, the project)."""
    found = re.search(r"[\\/]lib[\\/]python3\.\d+[\\/](?P<path>.+)\.py$", filename)
    if not found or re.search(r"(site|dist)-packages", found["path"]):
        return None
    parts = re.split(r"[\\/]", found["path"])
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)
