"""Test names that say what a test checks: the function it calls, the arguments' shape, the outcome.

`test_parse_1_4_returns_1_4`, `test_width_1_0_raises_value_error`, never `test_parse_2`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

MAX_NAME = 72  # characters: `def <name>() -> None:` stays within a line of 88
_GENERIC = re.compile(r"test_?(?:case|example|fuzz|method|function|generated|it)?_?\d*")


@dataclass(frozen=True)
class Subject:
    """The call a test checks: the module's function (or `Class.method`) and its arguments."""

    function: str
    call: ast.Call


def snake(name: str) -> str:
    """`ValueError` -> `value_error`, `HTTPServer` -> `http_server`."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", name.lower())).strip("_")


def literal_words(node: ast.expr) -> str | None:  # noqa: PLR0911, PLR0912 - one case per shape
    """A few words for a literal: `'1-4'` -> `1_4`, `''` -> `empty_string`, `-2` -> `minus_2`;
    None when the node is not a literal or reads badly as words."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = literal_words(node.operand)
        return f"minus_{inner}" if inner else None
    if isinstance(node, ast.Constant):
        value = node.value
        if value is None or isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, int | float):
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            text = snake(shown.replace(".", "_").replace("-", "minus_").replace("+", ""))
            return text if len(text) <= 8 else "large_number"
        if isinstance(value, str):
            if not value:
                return "empty_string"
            words = snake(value)
            if words and len(words) <= 16 and re.fullmatch(r"[\w .,:/+-]*", value):
                return words
            return "whitespace" if value.isspace() else "text"
        if isinstance(value, bytes):
            return "bytes" if value else "empty_bytes"
        return None
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        kind = type(node).__name__.lower()
        if not node.elts:
            return f"empty_{kind}"
        parts = [literal_words(e) for e in node.elts]
        if len(parts) <= 3 and all(parts) and sum(len(p or "") for p in parts) <= 16:
            return "_".join(p for p in parts if p)
        return f"a_{kind}"
    if isinstance(node, ast.Dict):
        return "a_dict" if node.keys else "empty_dict"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return snake(node.func.id)
    return None


def is_literal(node: ast.expr) -> bool:
    """A constant, a signed constant, or a container of literals."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return all(is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and is_literal(k) for k in node.keys) and all(
            is_literal(v) for v in node.values
        )
    return False


def raised_error(test: ast.FunctionDef) -> str | None:
    """`ValueError` for a test built around `with pytest.raises(ValueError)`."""
    for node in ast.walk(test):
        if isinstance(node, ast.withitem) and _is_raises(node.context_expr):
            call = node.context_expr
            assert isinstance(call, ast.Call)
            if call.args:
                error = call.args[0]
                return error.attr if isinstance(error, ast.Attribute) else ast.unparse(error)
    return None


def _is_raises(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr == "raises")
        or (isinstance(node.func, ast.Name) and node.func.id == "raises")
    )


def subject_of(test: ast.FunctionDef, functions: tuple[str, ...]) -> Subject | None:
    """The call the test checks: inside `pytest.raises`, else inside the first assertion, else
    the last call of the module before it. Methods are named `Class.method` when the instance
    was made in the test (`p = Parser(); p.feed(x)`)."""
    instances: dict[str, str] = {}
    for node in ast.walk(test):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            made = node.value.func
            if isinstance(made, ast.Name) and made.id in functions:
                instances.update({t.id: made.id for t in node.targets if isinstance(t, ast.Name)})

    def calls_in(scope: ast.AST) -> list[Subject]:
        found = []
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id in functions:
                found.append(Subject(node.func.id, node))
            elif (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in instances
            ):
                found.append(Subject(f"{instances[node.func.value.id]}.{node.func.attr}", node))
        # the outermost call first (`f(g(x))` checks f)
        return sorted(found, key=lambda s: (s.call.lineno, s.call.col_offset))

    before: list[Subject] = []
    for statement in test.body:
        if isinstance(statement, ast.With) and any(
            _is_raises(item.context_expr) for item in statement.items
        ):
            inside = [s for part in statement.body for s in calls_in(part)]
            return inside[-1] if inside else (before[-1] if before else None)
        if isinstance(statement, ast.Assert):
            found = calls_in(statement.test)
            if found:
                return found[0]
            return before[-1] if before else None
        before += calls_in(statement)
    return before[-1] if before else None


def outcome_words(test: ast.FunctionDef) -> str:
    """What the first check says: `raises_value_error`, `returns_1_4`, `is_true`, `is_none`."""
    for statement in test.body:  # the first check in the test's own order
        if isinstance(statement, ast.With) and any(
            _is_raises(item.context_expr) for item in statement.items
        ):
            error = raised_error(test)
            return f"raises_{snake(error)}" if error else ""
        if isinstance(statement, ast.Assert):
            return _assertion_words(statement.test)
    check = next((n for n in ast.walk(test) if isinstance(n, ast.Assert)), None)
    return _assertion_words(check.test) if check else ""


def _assertion_words(test: ast.expr) -> str:  # noqa: PLR0911 - one case per shape
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return "is_false"
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name):
        if test.func.id == "isinstance" and len(test.args) == 2:
            kind = test.args[1]
            return f"returns_{snake(ast.unparse(kind))}" if isinstance(kind, ast.Name) else ""
        return "is_true"
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return "is_true" if isinstance(test, ast.Name | ast.Attribute) else ""
    op, right = test.ops[0], test.comparators[0]
    if isinstance(right, ast.Call) and ast.unparse(right.func) in ("pytest.approx", "approx"):
        right = right.args[0] if right.args else right
    words = literal_words(right)
    if isinstance(right, ast.Name) and isinstance(op, ast.Eq):
        words = snake(right.id)  # a parameter of a parametrized test: `returns_expected`
    left = test.left
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "len":
        return f"has_length_{words}" if words and isinstance(op, ast.Eq) else ""
    if isinstance(op, ast.Is | ast.Eq) and words in ("none", "true", "false"):
        return f"is_{words}"
    if isinstance(op, ast.Eq) and words:
        return f"returns_{words}"
    if isinstance(op, ast.In) and words:
        return f"in_{words}"
    if isinstance(op, ast.NotIn) and words:
        return f"not_in_{words}"
    return ""


def argument_words(call: ast.Call) -> str:
    """The arguments' shape: literals as words, other expressions left out."""
    parts = [literal_words(a) for a in call.args]
    parts += [
        f"{k.arg}_{w}" for k in call.keywords if k.arg and (w := literal_words(k.value)) is not None
    ]
    words = "_".join(p for p in parts if p)
    return words if len(words) <= 30 else ""


def is_generic(name: str, functions: tuple[str, ...]) -> bool:
    """A name that says nothing of the behaviour: `test_21`, `test_case_0`, `test_parse_2`,
    `test_metric_4`, or the function's bare name."""
    if _GENERIC.fullmatch(name) or re.search(r"_\d+$", name):
        return True
    stem = name.removeprefix("test_").removeprefix("test")
    if len(stem) <= 2:
        return True
    return stem in {snake(f.replace(".", "_")) for f in functions} | {
        f.replace(".", "_") for f in functions
    }


def behaviour_name(test: ast.FunctionDef, subject: Subject | None, *, with_args: bool) -> str:
    """`test_<function>_<args>_<outcome>`, shortened to fit `MAX_NAME`."""
    function = snake(subject.function.replace(".", "_")) if subject else "module"
    outcome = outcome_words(test)
    args = argument_words(subject.call) if subject and with_args else ""
    for parts in ([function, args, outcome], [function, outcome], [function]):
        name = "_".join(["test", *(p for p in parts if p)])
        if len(name) <= MAX_NAME:
            return name
    return f"test_{function}"[:MAX_NAME]


def unique(name: str, taken: set[str], hints: list[str]) -> str:
    """`name`, or `name` with the first hint that frees it (`_with_sep`, `_after_parse`), or a
    letter suffix as the last resort: never a bare number."""
    if name not in taken:
        return name
    for hint in hints:
        candidate = f"{name}_{hint}"[:MAX_NAME]
        if candidate not in taken:
            return candidate
    for letter in "bcdefghijklmnopqrstuvwxyz":
        candidate = f"{name}_case_{letter}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free name for {name}")
