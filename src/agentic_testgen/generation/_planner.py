"""The planner: which functions to test next, from the module's AST and the coverage gaps."""

from __future__ import annotations

import ast

from agentic_testgen.domain import RunOutcome, SourceUnit
from agentic_testgen.generation._types import Plan, Target


def _functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((prefix + node.name, node))
            elif isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return found


def plan(source: SourceUnit, outcome: RunOutcome | None = None) -> Plan:
    """Every function and method, most uncovered lines first; all of them when nothing ran."""
    tree = ast.parse(source.code)
    lines = source.code.splitlines()
    missing = set(outcome.coverage.missing_lines) if outcome and outcome.coverage else None
    branch_lines = (
        {arc[0] for arc in outcome.coverage.missing_branches}
        if outcome and outcome.coverage
        else set()
    )
    targets = []
    for qualname, node in _functions(tree):
        end = node.end_lineno or node.lineno
        span = range(node.lineno, end + 1)
        gap = sorted(
            line for line in span if missing is None or line in missing or line in branch_lines
        )
        if missing is not None and not gap:
            continue
        targets.append(
            Target(
                qualname=qualname,
                first_line=node.lineno,
                last_line=end,
                missing_lines=tuple(gap),
                code="\n".join(lines[node.lineno - 1 : end]),
            )
        )
    targets.sort(key=lambda t: (-len(t.missing_lines), t.first_line))
    feedback = tuple(
        f"{test.nodeid}: {test.outcome.value}" for test in (outcome.tests if outcome else ())
    )
    return Plan(targets=tuple(targets), feedback=feedback)
