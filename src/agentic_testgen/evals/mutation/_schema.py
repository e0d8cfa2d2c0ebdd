"""Mutant schemata: every mutant of a module compiled into one module, chosen at run time.

Each mutation point becomes a switch on `__atg_mutant__` (looked up in builtins): an expression
`e` with mutants 3 and 4 becomes `(m3 if __atg_mutant__ == 3 else (m4 if __atg_mutant__ == 4
else e))`, a statement `s` becomes `if __atg_mutant__ == 5: m5 else: s`. With the switch at 0
the module behaves exactly like the original, so one import serves every mutant.

Written here rather than taken from a mutation tool: the operators, the schemata and the record
of each mutant are the core of the product's `mutation_score`, and no library exposes them as an
API that runs inside our sandbox and our per-test coverage selection.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SWITCH = "__atg_mutant__"

Transform = Callable[[Any], ast.AST]
Variant = tuple[str, Transform]


@dataclass(frozen=True)
class Mutant:
    """One mutation: where it is, what it changes, and whether it acts at import time.

    Attributes:
        id: the switch value that activates it (1, 2, ...; 0 is the original module).
        line: line of the mutated code in the original module.
        statement_line: first line of the statement that holds it (what coverage reports).
        col: column of the mutated code.
        operator: the operator that made it (see `OPERATORS`).
        original: the original code, as source text.
        mutated: the mutated code, as source text.
        import_time: it runs when the module is imported (module or class level, defaults,
            decorators), so it needs a fresh import to take effect.
        end_line: line where the mutated code ends.
        end_col: column where it ends (exclusive; columns are byte offsets, as `ast` gives).
    """

    id: int
    line: int
    statement_line: int
    col: int
    operator: str
    original: str
    mutated: str
    import_time: bool
    end_line: int = 0
    end_col: int = 0


OPERATORS = (
    "arithmetic",
    "comparison",
    "boundary",
    "boolean",
    "not",
    "number",
    "string",
    "true-false",
    "none",
    "return-value",
    "remove-call",
    "remove-raise",
    "augmented-assignment",
    "index",
    "slice",
)

ARITHMETIC = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div, ast.Mod: ast.Div, ast.Pow: ast.Mult, ast.LShift: ast.RShift,
    ast.RShift: ast.LShift, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd, ast.BitXor: ast.BitAnd,
}  # fmt: skip
COMPARISON = {
    ast.Lt: (ast.LtE, "boundary"), ast.LtE: (ast.Lt, "boundary"),
    ast.Gt: (ast.GtE, "boundary"), ast.GtE: (ast.Gt, "boundary"),
    ast.Eq: (ast.NotEq, "comparison"), ast.NotEq: (ast.Eq, "comparison"),
    ast.Is: (ast.IsNot, "comparison"), ast.IsNot: (ast.Is, "comparison"),
    ast.In: (ast.NotIn, "comparison"), ast.NotIn: (ast.In, "comparison"),
}  # fmt: skip


def _switch(mutant_id: int) -> ast.expr:
    return ast.Compare(
        left=ast.Name(id=SWITCH, ctx=ast.Load()),
        ops=[ast.Eq()],
        comparators=[ast.Constant(mutant_id)],
    )


def _plus(node: ast.expr, amount: int) -> ast.expr:
    op: ast.operator = ast.Add() if amount > 0 else ast.Sub()
    return ast.BinOp(left=node, op=op, right=ast.Constant(abs(amount)))


def _with(node: ast.AST, **changes: object) -> ast.AST:
    changed = copy.copy(node)
    for name, value in changes.items():
        setattr(changed, name, value)
    return changed


def _replace_op(kind: type[ast.AST]) -> Transform:
    return lambda node: _with(node, op=kind())


def _replace_compare(index: int, kind: type[ast.cmpop]) -> Transform:
    def change(node: Any) -> ast.AST:
        ops = list(node.ops)
        ops[index] = kind()
        return _with(node, ops=ops)

    return change


def _constant(value: Any) -> Transform:
    return lambda node: ast.Constant(value)


def expression_variants(node: ast.expr) -> list[Variant]:  # noqa: PLR0911 - one case per node type
    """The mutants of an expression node, in a fixed order, as (operator, transform).

    The choice is made on the original node; each transform is applied both to the original (to
    show the mutant) and to the node with its children rewritten (to run it).
    """
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        return [("arithmetic", _replace_op(ARITHMETIC[type(node.op)]))]
    if isinstance(node, ast.Compare):
        return [
            (COMPARISON[type(op)][1], _replace_compare(index, COMPARISON[type(op)][0]))
            for index, op in enumerate(node.ops)
            if type(op) in COMPARISON
        ]
    if isinstance(node, ast.BoolOp):
        return [("boolean", _replace_op(ast.Or if isinstance(node.op, ast.And) else ast.And))]
    if isinstance(node, ast.UnaryOp):
        removable = isinstance(node.op, ast.Not) or (
            isinstance(node.op, ast.USub) and not isinstance(node.operand, ast.Constant)
        )
        operator = "not" if isinstance(node.op, ast.Not) else "arithmetic"
        return [(operator, lambda n: n.operand)] if removable else []
    if isinstance(node, ast.Constant):
        return _constant_variants(node.value)
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        return _subscript_variants(node)
    return []


def _constant_variants(value: object) -> list[Variant]:
    if isinstance(value, bool):
        return [("true-false", _constant(not value))]
    if isinstance(value, int | float):
        return [("number", _constant(value + 1))]
    if isinstance(value, str):
        return [("string", _constant(f"XX{value}XX"))]
    if isinstance(value, bytes):
        return [("string", _constant(b"XX" + value + b"XX"))]
    if value is None:
        return [("none", _constant(""))]
    return []


def _subscript_variants(node: ast.Subscript) -> list[Variant]:
    key = node.slice
    if isinstance(key, ast.Slice):
        found: list[Variant] = []
        if key.lower is not None:
            found.append(
                ("slice", lambda n: _with(n, slice=_with(n.slice, lower=_plus(n.slice.lower, 1))))
            )
        if key.upper is not None:
            found.append(
                ("slice", lambda n: _with(n, slice=_with(n.slice, upper=_plus(n.slice.upper, -1))))
            )
        return found
    if isinstance(key, ast.Constant | ast.UnaryOp | ast.Tuple):
        return []  # constant indexes are mutated as numbers
    return [("index", lambda n: _with(n, slice=_plus(n.slice, 1)))]


def statement_variants(node: ast.stmt) -> list[Variant]:
    """The mutants of a statement node, in a fixed order, as (operator, transform)."""
    returns_none = isinstance(node, ast.Return) and (
        node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
    )
    if isinstance(node, ast.Return) and not returns_none:
        return [("return-value", lambda n: ast.Return(value=ast.Constant(None)))]
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return [("remove-call", lambda n: ast.Pass())]
    if isinstance(node, ast.Raise) and node.exc is not None:
        return [("remove-raise", lambda n: ast.Pass())]
    if isinstance(node, ast.AugAssign) and type(node.op) in ARITHMETIC:
        return [("augmented-assignment", _replace_op(ARITHMETIC[type(node.op)]))]
    return []


def _is_docstring(statement: ast.stmt, index: int) -> bool:
    return (
        index == 0
        and isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _is_main_guard(statement: ast.stmt) -> bool:
    test = statement.test if isinstance(statement, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def _assigns_dunder(statement: ast.stmt) -> bool:
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    return any(isinstance(t, ast.Name) and t.id.startswith("__") for t in targets)


class _Builder(ast.NodeTransformer):
    """Numbers every mutation point, records it and rewrites it into a switch."""

    def __init__(self) -> None:
        self.mutants: list[Mutant] = []
        self.in_function = 0
        self.statement_line = 1
        self.frozen = 0  # > 0 inside code that must stay literal (f-string parts, compares to None)

    def _record(self, node: ast.AST, operator: str, mutated: ast.AST) -> int:
        mutant_id = len(self.mutants) + 1
        self.mutants.append(
            Mutant(
                id=mutant_id,
                line=getattr(node, "lineno", self.statement_line),
                statement_line=self.statement_line,
                col=getattr(node, "col_offset", 0),
                operator=operator,
                original=ast.unparse(node),
                mutated=ast.unparse(mutated),
                import_time=self.in_function == 0,
                end_line=getattr(node, "end_lineno", None) or 0,
                end_col=getattr(node, "end_col_offset", None) or 0,
            )
        )
        return mutant_id

    def _mutate(
        self, node: ast.AST, variants: Callable[[Any], list[Variant]]
    ) -> list[tuple[int, ast.AST]]:
        """Record the variants of the untouched node; return them built on the rewritten one."""
        chosen = variants(node)
        ids = [self._record(node, operator, change(node)) for operator, change in chosen]
        self.generic_visit(node)
        return [(i, change(node)) for i, (_, change) in zip(ids, chosen, strict=True)]

    # statements ------------------------------------------------------------------------------

    def _body(self, statements: list[ast.stmt]) -> list[ast.stmt]:
        rewritten: list[ast.stmt] = []
        for index, statement in enumerate(statements):
            if _is_docstring(statement, index) or _is_main_guard(statement):
                rewritten.append(statement)
                continue
            if _assigns_dunder(statement):
                rewritten.append(statement)
                continue
            self.statement_line = statement.lineno
            result = self.visit(statement)
            rewritten.extend(result if isinstance(result, list) else [result])
        return rewritten

    def visit_Module(self, node: ast.Module) -> ast.Module:
        node.body = self._body(node.body)
        return node

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args = self.visit(node.args)
        node.returns = node.returns  # annotations are never mutated
        self.in_function += 1
        node.body = self._body(node.body)
        self.in_function -= 1
        return node

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_arguments(self, node: ast.arguments) -> ast.arguments:
        node.defaults = [self.visit(d) for d in node.defaults]
        node.kw_defaults = [self.visit(d) if d is not None else None for d in node.kw_defaults]
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        node.args = self.visit(node.args)
        self.in_function += 1
        node.body = self.visit(node.body)
        self.in_function -= 1
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.bases = [self.visit(b) for b in node.bases]
        node.body = self._body(node.body)
        return node

    def _block(self, node: ast.stmt) -> ast.AST:
        # the header runs before the body: number its mutants first
        self.statement_line = node.lineno
        for name in ("test", "iter", "subject"):
            value = getattr(node, name, None)
            if isinstance(value, ast.expr):
                setattr(node, name, self.visit(value))
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                item.context_expr = self.visit(item.context_expr)
        for name in ("body", "orelse"):
            if hasattr(node, name):
                setattr(node, name, self._body(getattr(node, name)))
        self._handlers_and_cases(node)
        if hasattr(node, "finalbody"):
            node.finalbody = self._body(node.finalbody)
        return node

    def _handlers_and_cases(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Try | ast.TryStar):
            for handler in node.handlers:
                if handler.type is not None:
                    self.statement_line = handler.lineno
                    handler.type = self.visit(handler.type)
                handler.body = self._body(handler.body)
        if isinstance(node, ast.Match):
            for case in node.cases:
                if case.guard is not None:
                    case.guard = self.visit(case.guard)
                case.body = self._body(case.body)

    visit_If = visit_For = visit_AsyncFor = visit_While = _block
    visit_Try = visit_TryStar = visit_With = visit_AsyncWith = visit_Match = _block

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def _simple_statement(self, node: ast.stmt) -> ast.AST:
        mutants = self._mutate(node, statement_variants)
        result: ast.stmt = node
        for mutant_id, mutated in reversed(mutants):
            result = ast.If(test=_switch(mutant_id), body=[mutated], orelse=[result])  # type: ignore[list-item]
        return result

    visit_Return = visit_Expr = visit_Raise = visit_AugAssign = _simple_statement

    # expressions -----------------------------------------------------------------------------

    def _expression(self, node: ast.expr) -> ast.AST:
        if self.frozen:
            self.generic_visit(node)
            return node
        mutants = self._mutate(node, expression_variants)
        result: ast.expr = node
        for mutant_id, mutated in reversed(mutants):
            result = ast.IfExp(test=_switch(mutant_id), body=mutated, orelse=result)  # type: ignore[arg-type]
        return result

    visit_BinOp = visit_BoolOp = visit_UnaryOp = visit_Subscript = _expression
    visit_Constant = visit_Compare = _expression

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        self.frozen += 1
        self.generic_visit(node)
        self.frozen -= 1
        return node

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.frozen -= 1
        node.value = self.visit(node.value)
        self.frozen += 1
        return node


@dataclass(frozen=True)
class Schemata:
    """The module rewritten with every mutant behind its switch, and the mutants themselves."""

    source: str
    mutants: tuple[Mutant, ...]

    def disguised(self, switch: str, offset: int) -> str:
        """The source with the switch renamed to `switch` and mutant `n` selected by the value
        `offset + n` (`offset` itself selects the original): test code that knows how atg
        mutates cannot look the switch up by its usual name nor tell its values apart."""
        tree = ast.parse(self.source)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Name)
                and node.left.id == SWITCH
                and isinstance(node.comparators[0], ast.Constant)
                and isinstance(node.comparators[0].value, int)
            ):
                node.left.id = switch
                node.comparators[0].value = node.comparators[0].value + offset
        return ast.unparse(tree)


def build_schemata(code: str) -> Schemata:
    """Find every mutant of `code` and compile them all into one module source.

    Raises:
        SyntaxError: `code` does not parse.
    """
    tree = ast.parse(code)
    builder = _Builder()
    rewritten = ast.fix_missing_locations(builder.visit(tree))
    return Schemata(source=ast.unparse(rewritten), mutants=tuple(builder.mutants))
