"""Tests from the module's own docstring examples: the inputs its authors chose, with what the
code does on them now.

The examples run once, in the sandbox, with the project's environment (`_doctest_probe.py`);
each example with an outcome becomes one test: the docstring's earlier statements (its set-up),
then an assertion on the value, the printed text or the exception. Cheap and deterministic, so
it runs first: on a big, well-documented module it covers in seconds what a search-based tool
does not reach within its budget. It proposes once, in the first round.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from agentic_testgen.generation._types import Candidate, Plan
from agentic_testgen.generation.coders._protocol import (
    CoderContext,
    run_python,
    tool_failure,
    tool_workspace,
)

PROBE = Path(__file__).with_name("_doctest_probe.py")
MARKER = "--- atg doctest probe ---"
MAX_EXPECTED = 240  # characters of an expected value: longer ones make a test no one reads


class DoctestCoder:
    @property
    def name(self) -> str:
        return "doctest"

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        if context.iteration > 0:
            return Candidate(coder=self.name, code="")  # the examples do not change
        source = context.source
        if ">>>" not in source.code:
            return Candidate(coder=self.name, code="")
        with tool_workspace(source, "atg-doctest-") as (workspace, layout):
            script = PROBE.read_text(encoding="utf-8")
            args = ["-c", script, source.qualified_name]
            completed = run_python(context, workspace, layout, args, min(context.seconds, 60.0))
        _, found, report = completed.stdout.rpartition(MARKER)
        if not found:
            return Candidate(coder=self.name, code="", failure=tool_failure(completed) or
                             "the examples' run reported nothing")  # fmt: skip
        return Candidate(coder=self.name, code=render(json.loads(report), source.qualified_name))


def render(docstrings: list[dict[str, Any]], module: str) -> str:
    """A pytest module from the probe's report: one test per example with an outcome."""
    imports: dict[str, None] = {}
    tests: list[str] = []
    for docstring in docstrings:
        stem = _stem(docstring["name"], module)
        setup: list[str] = []
        for step in docstring["steps"]:
            imports.update(dict.fromkeys(step["imports"]))
            if step["kind"] == "statement":
                setup.extend(_statement(step["source"], imports))
                continue
            check = _check(step)
            if check is None:
                continue
            if step["kind"] == "raises":
                imports["import pytest"] = None
            body = "\n".join(f"    {line}" for text in (*setup, check) for line in text.split("\n"))
            tests.append(f"def test_{stem}_{len(tests)}():\n{body}\n")
    if not tests:
        return ""
    return "\n".join(imports) + "\n\n\n" + "\n\n".join(tests)


def _stem(name: str, module: str) -> str:
    """`humanize.number.intcomma` -> `intcomma`; the module's own docstring -> `module`."""
    local = name.removeprefix(module).strip(".") or "module"
    return local.replace(".", "_").lower()


def _statement(source: str, imports: dict[str, None]) -> list[str]:
    """An example that is a statement: imports go to the top of the file, the rest is set-up."""
    tree = ast.parse(source)
    kept = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports[ast.unparse(node)] = None
        else:
            kept.append(ast.unparse(node))
    return kept


def _check(step: dict[str, Any]) -> str | None:
    """The assertion for one example's outcome (None when its expected value is too long)."""
    kind = step["kind"]
    if kind == "raises":  # an expression or a statement
        inside = ast.unparse(ast.parse(step["source"])).replace("\n", "\n    ")
        return f"with pytest.raises({step['exception']}):\n    {inside}"
    expression = ast.unparse(ast.parse(step["source"], mode="eval").body)
    value = step.get("value", step.get("text", ""))
    if len(value) > MAX_EXPECTED:
        return None
    if kind == "is":
        return _truth(expression, value == "True")
    if kind == "equals":
        return f"assert {expression} == {value}"
    if kind == "repr":
        return f"assert repr({expression}) == {value!r}"
    return f"assert str({expression}) == {value!r}"  # "prints": print() writes str()


_OPPOSITE: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
}  # fmt: skip


def _truth(expression: str, value: bool) -> str:
    """A boolean outcome: a comparison is asserted as it reads (`a in b`, `a not in b`); any
    other expression `is True` / `is False`, so a truthy non-bool cannot pass."""
    node = ast.parse(expression, mode="eval").body
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        if value:
            return f"assert {expression}"
        opposite = _OPPOSITE.get(type(node.ops[0]))
        if opposite is not None:
            node.ops = [opposite()]
            return f"assert {ast.unparse(node)}"
        return f"assert ({expression}) is False"
    if isinstance(node, ast.Compare):
        expression = f"({expression})"
    return f"assert {expression} is {value}"
