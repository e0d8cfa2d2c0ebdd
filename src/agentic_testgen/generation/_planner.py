"""The planner: which functions to test next, from the module's syntax tree and the coverage
gaps (Python's `ast`; tree-sitter for JavaScript and Java)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from agentic_testgen.domain import Language, RunOutcome, SourceUnit
from agentic_testgen.evals.metrics._foreign import module_functions, parse
from agentic_testgen.generation._types import Plan, Target


def _functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((prefix + node.name, node))
            elif isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")
            # defined under a condition (`if sys.platform != "win32":`, a fallback for a
            # missing import): still a function of the module, with lines to cover
            elif isinstance(node, ast.If):
                visit(node.body, prefix)
                visit(node.orelse, prefix)
            elif isinstance(node, ast.Try | ast.TryStar):
                for block in (node.body, node.orelse, node.finalbody):
                    visit(block, prefix)
                for handler in node.handlers:
                    visit(handler.body, prefix)

    visit(tree.body, "")
    return found


def _body_statements(tree: ast.Module) -> set[int]:
    """The lines where a statement of a function body starts, docstrings left out: what a
    function has to cover before anything ran (its `def` runs when the module loads, and a long
    docstring is no work for a test)."""
    lines: set[int] = set()
    for _, node in _functions(tree):
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        for statement in body:
            lines.update(
                inner.lineno for inner in ast.walk(statement) if isinstance(inner, ast.stmt)
            )
    return lines


def _spans(source: SourceUnit) -> list[tuple[str, int, int]]:
    """(qualified name, first line, last line) of each function and method."""
    if source.language == Language.PYTHON:
        return [
            (qualname, node.lineno, node.end_lineno or node.lineno)
            for qualname, node in _functions(ast.parse(source.code))
        ]
    root = parse(source.code, source.language)
    if root is None:
        return []
    return [
        (qualname, min(lines), max(lines))
        for qualname, lines in module_functions(root, source.language).items()
        if lines
    ]


def covered_by(
    outcome: RunOutcome, counted: Callable[[str], bool]
) -> tuple[set[int], set[tuple[int, int]]]:
    """The lines and branches of the module the tests `counted` accepts (by node id) cover,
    with what ran outside every test (a module's definitions, run when it is loaded)."""
    coverage = outcome.coverage
    if coverage is None:
        return set(), set()
    everyone = {line for test in outcome.tests for line in test.lines}
    lines = set(coverage.executed_lines) - everyone
    arcs = {tuple(b) for test in outcome.tests for b in test.branches}
    branches = {(arc[0], arc[1]) for arc in coverage.executed_branches} - arcs
    for test in outcome.tests:
        if counted(test.nodeid):
            lines.update(test.lines)
            branches.update((branch[0], branch[1]) for branch in test.branches)
    return lines, branches


def coverage_ratio(outcome: RunOutcome | None, counted: Callable[[str], bool]) -> float:
    """coverage.py's figure (covered lines and branches over all of them) for the tests
    `counted` accepts: the run also held tests the critic dropped."""
    coverage = outcome.coverage if outcome else None
    if outcome is None or coverage is None:
        return 0.0
    lines, branches = covered_by(outcome, counted)
    total = coverage.num_statements + coverage.num_branches
    return (len(lines) + len(branches)) / total if total else 1.0


def _gaps(
    outcome: RunOutcome | None, counted: Callable[[str], bool] | None
) -> tuple[set[int] | None, set[int]]:
    """Uncovered lines (None: nothing ran) and lines with an untaken branch: of the whole run,
    or, with `counted`, of the tests it accepts (the run also held the tests the critic
    dropped; what only they reached is still a gap)."""
    coverage = outcome.coverage if outcome else None
    if outcome is None or coverage is None:
        return None, set()
    if counted is None:
        return set(coverage.missing_lines), {arc[0] for arc in coverage.missing_branches}
    lines, branches = covered_by(outcome, counted)
    every_branch = {*coverage.executed_branches, *coverage.missing_branches}
    missing = {*coverage.executed_lines, *coverage.missing_lines} - lines
    return missing, {arc[0] for arc in every_branch if tuple(arc) not in branches}


def plan(
    source: SourceUnit,
    outcome: RunOutcome | None = None,
    counted: Callable[[str], bool] | None = None,
) -> Plan:
    """Every function and method, most uncovered lines first; all of them when nothing ran.
    `counted` names the tests whose coverage counts (by node id): the kept ones."""
    lines = source.code.splitlines()
    missing, branch_lines = _gaps(outcome, counted)
    if missing is None and source.language == Language.PYTHON:
        # nothing ran: every statement is a gap, and the ordering is by how many there are
        missing = _body_statements(ast.parse(source.code))
    targets = []
    for qualname, first, end in _spans(source):
        span = range(first, end + 1)
        gap = sorted(
            line for line in span if missing is None or line in missing or line in branch_lines
        )
        if missing is not None and not gap:
            continue
        targets.append(
            Target(
                qualname=qualname,
                first_line=first,
                last_line=end,
                missing_lines=tuple(gap),
                code="\n".join(lines[first - 1 : end]),
            )
        )
    targets.sort(key=lambda t: (-len(t.missing_lines), t.first_line))
    feedback = tuple(
        f"{test.nodeid}: {test.outcome.value}" for test in (outcome.tests if outcome else ())
    )
    return Plan(targets=tuple(targets), feedback=feedback)
