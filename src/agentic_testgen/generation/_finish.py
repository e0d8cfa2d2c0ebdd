"""The last step of generation: assemble the kept tests into a file, and measure that file.

Before assembling, the tests built around `pytest.raises` run once more with a probe in place of
`pytest.raises` that fails with the file of the exception's last frame, so a test that pins an
exception raised inside the standard library is known (`PinnedCrash`). The assembled file is
then run as it will be written; a test that fails there (a stricter `is True`, say) is taken out.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from agentic_testgen.domain import GeneratedTests, RunOutcome, SourceUnit, TestOutcome
from agentic_testgen.generation._assemble import (
    AssembledFile,
    PinnedCrash,
    assemble,
    stdlib_module,
)
from agentic_testgen.generation._critic import unit_of
from agentic_testgen.generation._imports import ModuleNames
from agentic_testgen.generation._measure import Measurements
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import Sandbox

_PROBE = """
class _AtgWhere:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        import traceback

        if kind is None:
            return False
        frame = traceback.extract_tb(trace)[-1]
        raise AssertionError(f"atg-raised-in {kind.__name__} {frame.filename}") from None
"""
_RAISED_IN = re.compile(r"atg-raised-in (?P<error>\w+) (?P<file>\S+)")


def _run(
    source: SourceUnit,
    code: str,
    sandbox: Sandbox,
    options: RunOptions,
    measure: Measurements | None = None,
) -> RunOutcome:
    tests = GeneratedTests(code=code, filename=f"test_{source.module_name}.py")
    return (measure or Measurements()).run(source, tests, sandbox, options)


class _Probe(ast.NodeTransformer):
    def visit_withitem(self, node: ast.withitem) -> ast.withitem:
        call = node.context_expr
        if isinstance(call, ast.Call) and ast.unparse(call.func) in ("pytest.raises", "raises"):
            node.context_expr = ast.Call(ast.Name("_AtgWhere", ast.Load()), call.args, [])
        return node


def pinned_crashes(
    source: SourceUnit,
    code: str,
    sandbox: Sandbox,
    options: RunOptions,
    measure: Measurements | None = None,
) -> dict[str, PinnedCrash]:
    """Tests whose `pytest.raises` catches an exception raised in the standard library."""
    if "raises" not in code:
        return {}
    tree = _Probe().visit(ast.parse(code))
    probe = ast.unparse(ast.fix_missing_locations(tree)) + "\n" + _PROBE
    outcome = _run(source, probe, sandbox, replace(options, reruns=0, mutation=False), measure)
    pinned: dict[str, PinnedCrash] = {}
    for test in outcome.tests:
        found = _RAISED_IN.search(test.failure or "")
        module = stdlib_module(found["file"]) if found else None
        if found and module:
            pinned[unit_of(test.nodeid)] = PinnedCrash(found["error"], module)
    return pinned


def finish(
    source: SourceUnit,
    code: str,
    sandbox: Sandbox,
    options: RunOptions,
    *,
    measure: Measurements | None = None,
) -> tuple[AssembledFile, RunOutcome]:
    """Assemble `code` (the kept tests) and run the file as it will be written, with `options`
    as given (mutation testing too, when they ask for it: the run is then the file's whole
    measurement). A test that fails or is flaky there is taken out and the file runs again."""
    pinned = pinned_crashes(source, code, sandbox, options, measure)
    module = ModuleNames.of(source.qualified_name, source.code)
    assembled = assemble(code, module, pinned=pinned)
    outcome = _run(source, assembled.code, sandbox, options, measure)
    flaky = outcome.flaky_nodeids()
    failing = {
        unit_of(t.nodeid)
        for t in outcome.tests
        if t.outcome != TestOutcome.PASSED or t.nodeid in flaky
    }
    if failing and not outcome.collection_errors:
        code_left = remove_tests(assembled.code, failing)
        dropped = dict(assembled.dropped)
        flaky_units = {unit_of(nodeid) for nodeid in flaky}
        dropped.update({
            n: ("flaky" if n in flaky_units else "fails") + " in the assembled file"
            for n in sorted(failing)
        })  # fmt: skip
        assembled = replace(assembled, code=code_left, dropped=dropped)
        outcome = _run(source, assembled.code, sandbox, options, measure)
    return assembled, outcome


def remove_tests(code: str, names: set[str]) -> str:
    """`code` without the top-level tests named (their decorators and the comment above them
    too); the rest of the text is kept as it is."""
    lines = code.splitlines(keepends=True)
    for node in reversed(ast.parse(code).body):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            while first > 0 and lines[first - 1].lstrip().startswith("#"):
                first -= 1
            del lines[first : node.end_lineno]
    return re.sub(r"\n{3,}(?=\S)", "\n\n\n", "".join(lines))


def drop_overlong(code: str, rows: set[int]) -> tuple[str, list[str]]:
    """Without what no formatter can bring within the line length (`rows`: the long lines): an
    assertion on a long literal is left out of its test; a test with any other long line, or
    left with no assertion, is left out. Returns the code and one note per removal."""
    lines = code.splitlines(keepends=True)
    notes: list[str] = []
    whole: set[str] = set()

    def long(node: ast.AST) -> bool:
        first = min([getattr(node, "lineno", 0), *(d.lineno for d in _decorators(node))])
        return any(row in rows for row in range(first, (getattr(node, "end_lineno", 0) or 0) + 1))

    for test in reversed(ast.parse(code).body):
        if not (isinstance(test, ast.FunctionDef) and test.name.startswith("test") and long(test)):
            continue
        asserts = [s for s in test.body if isinstance(s, ast.Assert)]
        overlong = [s for s in asserts if long(s)]
        rest = [s for s in test.body if not isinstance(s, ast.Assert)]
        if len(overlong) == len(asserts) or any(long(s) for s in rest) or long_header(test, rows):
            whole.add(test.name)
            notes.append(f"{test.name} left out: a line longer than the line length")
            continue
        for statement in reversed(overlong):
            del lines[statement.lineno - 1 : statement.end_lineno]
        notes.append(f"{test.name}: {len(overlong)} assertion(s) on a long literal left out")
    trimmed = "".join(lines)
    return (remove_tests(trimmed, whole) if whole else trimmed), notes


def _decorators(node: ast.AST) -> list[ast.expr]:
    return list(getattr(node, "decorator_list", []))


def long_header(test: ast.FunctionDef, rows: set[int]) -> bool:
    """A long line in the test's decorators or signature (a parametrize case, say)."""
    first = min([test.lineno, *(d.lineno for d in test.decorator_list)])
    return any(row in rows for row in range(first, test.body[0].lineno))
