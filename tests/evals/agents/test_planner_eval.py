"""The planner evaluator: its labeled set, its arithmetic, and the real planner on the set."""

from __future__ import annotations

import ast

import pytest

from agentic_testgen.domain import GeneratedTests, TestOutcome
from agentic_testgen.evals.agents._planner import (
    Gap,
    PlannerCase,
    evaluate_planner,
    load_cases,
    measure,
    score,
    source_of,
)
from agentic_testgen.evals.agents._sets import read_set_file
from agentic_testgen.evals.safety import SetError
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import get_sandbox

CASES = load_cases()
GOOD_LINE = (
    '{"id": "slugs", "module": "planner/slugs.py", "tests": "planner/test_slugs.py", '
    '"gaps": [{"qualname": "slugify", "lines": 5, "branches": 4}]}'
)


def test_the_shipped_set_has_partial_empty_and_complete_cases() -> None:
    assert len(CASES) >= 8
    assert len({case.id for case in CASES}) == len(CASES)
    assert any(case.tests is None for case in CASES)  # no tests yet
    assert any(case.tests and not case.gaps for case in CASES)  # fully covered
    assert any(case.failing for case in CASES)  # a seeded test the critic drops


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('{"id": "x", "module": "planner/slugs.py", "tests": null, "gaps": [{"qualname": "f", '
         '"lines": "many", "branches": 0}]}',
         "sets/planner/cases.jsonl:2: gaps.0.lines: Input should be a valid integer"),
        ('{"id": "x", "module": "planner/slugs.py", "tests": null, "gaps": [{"qualname": "f", '
         '"lines": 0, "branches": 0}]}',
         "sets/planner/cases.jsonl:2: gaps.0: Value error, a gap has an uncovered line or an "
         "untaken branch"),
        ('{"id": "x", "module": "planner/nowhere.py", "tests": null, "gaps": []}',
         "sets/planner/cases.jsonl:2: module: no file sets/planner/nowhere.py"),
        ('{"id": "slugs", "module": "planner/slugs.py", "tests": null, "gaps": []}',
         "sets/planner/cases.jsonl:2: id: 'slugs' already on line 1"),
        ('{"id": "x", "module": "planner/slugs.py",', "sets/planner/cases.jsonl:2: not JSON:"),
    ],
)  # fmt: skip
def test_a_broken_manifest_line_is_named_by_file_and_line(line: str, error: str) -> None:
    with pytest.raises(SetError) as raised:
        load_cases(f"{GOOD_LINE}\n{line}\n")
    message = str(raised.value)
    assert message.startswith(error)
    assert "\n" not in message


def _testable_spans(tree: ast.Module) -> list[tuple[str, int, int]]:
    """Every function a test can call and the lines it holds: in classes and under module-level
    `if`/`try` too; a nested function's lines are its enclosing function's."""
    spans: list[tuple[str, int, int]] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                spans.append((prefix + node.name, node.lineno, node.end_lineno or node.lineno))
            elif isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.If | ast.Try | ast.With):
                for block in ("body", "orelse", "finalbody"):
                    visit(getattr(node, block, []), prefix)
                for handler in getattr(node, "handlers", []):
                    visit(handler.body, prefix)

    visit(tree.body, "")
    return spans


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_labels_agree_with_a_real_coverage_run(case: PlannerCase) -> None:
    """The seeded tests that pass (all but `failing`) run under coverage; every function with a
    missing statement or branch arc is a labeled gap, with those counts."""
    source = source_of(case)
    if case.tests is None:
        code = f"import {case.module_name}\n"
    else:
        tree = ast.parse(read_set_file(case.tests))
        tree.body = [n for n in tree.body if getattr(n, "name", None) not in case.failing]
        code = ast.unparse(tree)
    tests = GeneratedTests(code=code, filename=f"test_{case.module_name}.py")
    options = RunOptions(reruns=0, mutation=False)
    outcome = get_adapter(source.language).run(source, tests, get_sandbox("bwrap"), options)
    assert outcome.tests or case.tests is None
    assert all(test.outcome == TestOutcome.PASSED for test in outcome.tests)
    coverage = outcome.coverage
    assert coverage is not None
    found: dict[str, tuple[int, int]] = {}
    for qualname, first, last in _testable_spans(ast.parse(source.code)):
        lines = sum(1 for line in coverage.missing_lines if first <= line <= last)
        branches = sum(1 for line, _ in coverage.missing_branches if first <= line <= last)
        if lines or branches:
            before = found.get(qualname, (0, 0))
            found[qualname] = (before[0] + lines, before[1] + branches)
    assert found == {gap.qualname: (gap.lines, gap.branches) for gap in case.gaps}


HAND = PlannerCase(
    id="hand", module="planner/slugs.py", tests=None,
    gaps=(Gap(qualname="a", lines=4, branches=1), Gap(qualname="b", lines=3, branches=0),
          Gap(qualname="c", lines=1, branches=0), Gap(qualname="d", lines=2, branches=1)),
)  # fmt: skip


def test_precision_recall_and_ordering_are_counted_by_hand() -> None:
    # values a=5, b=3, d=3, c=1; the planner aims at b, a, x (no gap), c, b again; misses d
    result = measure(HAND, ["b", "a", "x", "c", "b"])
    assert result.targets == ("b", "a", "x", "c")
    assert result.repeated == ("b",)
    assert (result.counts.tp, result.counts.fp, result.counts.fn) == (3, 1, 1)
    assert result.counts.precision == 0.75
    assert result.counts.recall == 0.75
    assert result.missed == ("d",)
    assert result.extra == ("x",)
    # found pairs in its order: (b, a) wrong, (b, c) right, (a, c) right
    assert result.concordant == 2
    assert result.misordered == (("a", "b"),)
    assert result.ordering == pytest.approx(2 / 3)
    value, metrics, _ = score([result])
    assert metrics["f1"] == 0.75
    assert value == pytest.approx(0.75 * 2 / 3)


def test_ties_are_no_pairs_and_the_set_pools_its_cases() -> None:
    tied = measure(HAND, ["d", "b"])  # both worth 3: no pair to order
    assert (tied.concordant, tied.misordered) == (0, ())
    assert tied.ordering == 1.0
    perfect = measure(HAND, ["a", "b", "d", "c"])
    assert perfect.ordering == 1.0
    assert perfect.concordant == 5  # the six pairs but the tie
    nothing = measure(PlannerCase(id="done", module="planner/slugs.py", tests=None, gaps=()), [])
    assert (nothing.counts.precision, nothing.counts.recall) == (1.0, 1.0)
    value, metrics, counts = score([tied, perfect, nothing])
    assert (counts.tp, counts.fp, counts.fn) == (6, 0, 2)
    assert metrics["recall"] == 0.75
    assert metrics["ordering"] == 1.0
    assert value == pytest.approx(metrics["f1"], abs=1e-4)


def test_the_real_planner_on_the_real_set() -> None:
    lines: list[str] = []
    report = evaluate_planner(on_progress=lines.append)
    (result,) = report.results
    assert result.name == "planner"
    assert result.threshold == 0.90
    assert len(lines) == len(CASES)
    cases = result.details["cases"]
    assert set(cases) == {case.id for case in CASES}
    # no tests yet: every function is a target; fully covered: none
    assert sorted(cases["text_stats"]["targets"]) == sorted(cases["text_stats"]["gaps"])
    assert cases["token_bucket"]["targets"] == []
    # the stale test failed, the critic dropped it, and the planner saw what only it ran
    assert "test_a_zero_version_is_stable" in cases["versions"]["dropped"]
    assert "Version.is_stable" in cases["versions"]["targets"]
    # functions defined under a module-level `if` are targets too
    assert cases["settings_store"]["targets"] == ["try_lock", "load", "unlock"]
    metrics = result.metrics
    assert result.score == pytest.approx(metrics["f1"] * metrics["ordering"], abs=1e-3)
    assert not [note for note in report.notes if "the critic also dropped" in note]
