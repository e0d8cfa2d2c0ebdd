"""The planner evaluator: does `plan` aim at a module's real coverage gaps, the most valuable
first?

The set (`sets/planner/cases.jsonl`) holds small modules, each with a seeded partial test file
(or none), labeled with its gaps: the functions and methods left with uncovered statements or
untaken branches by the seeded tests that pass, each with how many of both (coverage.py's own
units, so a gap's value is what covering it adds to the module's coverage). The labels were
derived by hand; `tests/evals/agents/test_planner_eval.py` checks them against a real coverage
run.

Each case is planned the way the orchestrator plans after a coder's first proposal: the seeded
tests go to the critic (`review`, a real sandboxed run) and `plan(source, outcome, counted)`
sees what the tests it kept cover. A case without tests is planned with no run, as the first
round is.

- `recall`: the labeled gaps among the planner's targets; `precision`: its targets that are
  labeled gaps (pooled over the set, one count per case and qualified name).
- `ordering`: of the pairs of labeled gaps it targets whose values differ, the share it puts
  more valuable first (pooled over the set; 1.0 without such a pair). It is Kendall's tau over
  those pairs mapped to [0, 1]: (tau + 1) / 2.
- `score` = F1(precision, recall) x ordering: finding the gaps in a useless order is half done.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agentic_testgen.domain import SourceUnit
from agentic_testgen.evals.agents import AgentReport, AgentResult, Progress
from agentic_testgen.evals.agents._sets import (
    check_files,
    check_unique,
    parse_manifest,
    read_manifest,
    read_set_file,
)
from agentic_testgen.evals.safety import Counts
from agentic_testgen.generation import TestFile, plan, review
from agentic_testgen.generation._critic import unit_of
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import Sandbox

EVALUATOR = "planner"
THRESHOLD = 0.90
WHERE = "sets/planner/cases.jsonl"
# the critic's run: no mutants, one rerun (flakiness is not what is measured here)
OPTIONS = RunOptions(reruns=1, test_timeout_s=10.0, mutation=False)


class Gap(BaseModel):
    """A function or method the tests leave partly uncovered: how many statements and branch
    arcs (coverage.py's counts) are still missing in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    qualname: str = Field(min_length=1)
    lines: int = Field(ge=0)
    branches: int = Field(ge=0)

    @property
    def value(self) -> int:
        return self.lines + self.branches

    @model_validator(mode="after")
    def _misses_something(self) -> Gap:
        if self.value == 0:
            raise ValueError("a gap has an uncovered line or an untaken branch")
        return self


class PlannerCase(BaseModel):
    """A module, its seeded tests (None: no tests yet) and its labeled gaps.

    `module` and `tests` are paths under `sets/`; `failing` names the seeded tests that fail
    (the critic drops them, so what only they run is still a gap).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    module: str = Field(pattern=r"\.py$")
    tests: str | None
    failing: tuple[str, ...] = ()
    gaps: tuple[Gap, ...]
    about: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> PlannerCase:
        names = [gap.qualname for gap in self.gaps]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"gap {repeated[0]!r} is labeled twice")
        if self.failing and self.tests is None:
            raise ValueError("failing tests named for a case without tests")
        return self

    @property
    def module_name(self) -> str:
        return PurePosixPath(self.module).stem

    def ranked(self) -> tuple[Gap, ...]:
        """The gaps, most valuable first (ties in the order labeled)."""
        return tuple(sorted(self.gaps, key=lambda gap: -gap.value))


def load_cases(text: str | None = None) -> list[PlannerCase]:
    """The shipped planner set (or the manifest lines in `text`).

    Raises:
        SetError: one line naming `cases.jsonl:<line>`, the field and the problem.
    """
    numbered = parse_manifest(PlannerCase, read_manifest(EVALUATOR) if text is None else text,
                              WHERE)  # fmt: skip
    check_unique(numbered, WHERE)
    for number, case in numbered:
        check_files(number, WHERE, {"module": case.module, "tests": case.tests})
    return [case for _, case in numbered]


def source_of(case: PlannerCase) -> SourceUnit:
    """The case's module, alone (importable under its own name)."""
    name = PurePosixPath(case.module).name
    return SourceUnit(path=name, code=read_set_file(case.module), module_name=case.module_name)


@dataclass(frozen=True)
class CaseResult:
    """The planner on one case: its targets against the labels."""

    case: str
    targets: tuple[str, ...]  # the planner's qualified names, in its order, once each
    labeled: tuple[str, ...]  # the labeled gaps, most valuable first
    counts: Counts
    concordant: int  # pairs of found gaps of unequal value in the right order
    misordered: tuple[tuple[str, str], ...]  # (the more valuable, the one it put first)
    repeated: tuple[str, ...] = ()  # qualified names it targeted more than once
    dropped: dict[str, str] = field(default_factory=dict)  # the critic's, test -> reason
    seconds: float = 0.0

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(name for name in self.labeled if name not in self.targets)

    @property
    def extra(self) -> tuple[str, ...]:
        return tuple(name for name in self.targets if name not in self.labeled)

    @property
    def ordering(self) -> float:
        pairs = self.concordant + len(self.misordered)
        return self.concordant / pairs if pairs else 1.0

    def as_dict(self) -> dict[str, object]:
        return {
            "targets": list(self.targets), "gaps": list(self.labeled), "missed": list(self.missed),
            "extra": list(self.extra), "misordered": [list(pair) for pair in self.misordered],
            "recall": round(self.counts.recall, 4), "precision": round(self.counts.precision, 4),
            "ordering": round(self.ordering, 4), "repeated": list(self.repeated),
            "dropped": self.dropped, "seconds": round(self.seconds, 2),
        }  # fmt: skip


def measure(case: PlannerCase, targets: Sequence[str]) -> CaseResult:
    """Compare the planner's `targets` (qualified names, in its order) with the case's labels."""
    order: list[str] = []
    for name in targets:
        if name not in order:
            order.append(name)
    repeated = tuple(sorted({name for name in targets if list(targets).count(name) > 1}))
    labeled = {gap.qualname: gap for gap in case.gaps}
    tp = sum(1 for name in order if name in labeled)
    counts = Counts(tp=tp, fp=len(order) - tp, fn=len(labeled) - tp)
    found = [labeled[name] for name in order if name in labeled]  # in the planner's order
    concordant = 0
    misordered = []
    for first, second in combinations(found, 2):  # `first` was put before `second`
        if first.value > second.value:
            concordant += 1
        elif first.value < second.value:
            misordered.append((second.qualname, first.qualname))
    return CaseResult(
        case=case.id, targets=tuple(order), labeled=tuple(g.qualname for g in case.ranked()),
        counts=counts, concordant=concordant, misordered=tuple(misordered), repeated=repeated,
    )  # fmt: skip


def planned(
    case: PlannerCase, sandbox: Sandbox, options: RunOptions = OPTIONS
) -> tuple[list[str], dict[str, str]]:
    """The planner's targets for `case`, as the orchestrator would get them, and what the
    critic dropped of the seeded tests."""
    source = source_of(case)
    if case.tests is None:
        return [target.qualname for target in plan(source).targets], {}
    tests = TestFile()
    tests.add(read_set_file(case.tests))
    verdict = review(source, tests, [], sandbox, options)
    kept = set(verdict.kept)
    current = plan(source, verdict.outcome, lambda nodeid: unit_of(nodeid) in kept)
    dropped = dict(verdict.dropped)
    for error in verdict.outcome.collection_errors:
        dropped[error.nodeid or case.tests] = f"not collected: {error.message.splitlines()[0]}"
    if verdict.outcome.syntax_error:
        dropped[case.tests] = verdict.outcome.syntax_error
    return [target.qualname for target in current.targets], dropped


def score(results: Sequence[CaseResult]) -> tuple[float, dict[str, float], Counts]:
    """The set's score, its metrics and its pooled counts."""
    counts = Counts(
        tp=sum(r.counts.tp for r in results), fp=sum(r.counts.fp for r in results),
        fn=sum(r.counts.fn for r in results),
    )  # fmt: skip
    concordant = sum(r.concordant for r in results)
    pairs = concordant + sum(len(r.misordered) for r in results)
    ordering = concordant / pairs if pairs else 1.0
    metrics = {
        "recall": counts.recall, "precision": counts.precision, "f1": counts.f1,
        "ordering": ordering,
    }  # fmt: skip
    return counts.f1 * ordering, {k: round(v, 4) for k, v in metrics.items()}, counts


def evaluate_planner(
    *,
    on_progress: Progress | None = None,
    cases: Sequence[PlannerCase] | None = None,
    sandbox: Sandbox | None = None,
) -> AgentReport:
    """The planner on every case of the shipped set (or `cases`): one result, `planner`."""
    started = time.perf_counter()
    cases = load_cases() if cases is None else cases
    if sandbox is None:
        sandbox = _configured_sandbox()
    results = []
    for case in cases:
        case_started = time.perf_counter()
        targets, dropped = planned(case, sandbox)
        result = replace(
            measure(case, targets), dropped=dropped, seconds=time.perf_counter() - case_started
        )
        results.append(result)
        if on_progress:
            on_progress(
                f"planner: {case.id}: {len(result.targets)} targets, {len(result.missed)} "
                f"missed, {len(result.extra)} extra, {len(result.misordered)} pairs misordered"
            )
    value, metrics, counts = score(results)
    # the critic drops a seeded test that adds nothing to the others; any other drop than of
    # the tests labeled failing means the case was not planned on the coverage it was labeled on
    unexpected = {
        r.case: sorted(
            name for name, reason in r.dropped.items()
            if name not in c.failing and not reason.startswith("adds no coverage")
        )
        for r, c in zip(results, cases, strict=True)
    }  # fmt: skip
    details: dict[str, object] = {
        "counts": counts.as_dict(),
        "pairs": {"concordant": sum(r.concordant for r in results),
                  "misordered": sum(len(r.misordered) for r in results)},
        "cases": {r.case: r.as_dict() for r in results},
    }  # fmt: skip
    notes = [
        "score = F1(precision, recall) x ordering; ordering: the share of pairs of labeled gaps "
        "of unequal value (uncovered statements + untaken branches) the planner puts in order"
    ]
    notes += [
        f"{case}: the critic also dropped {', '.join(names)} (the set expects only its failing "
        "tests to be dropped)"
        for case, names in unexpected.items()
        if names
    ]
    measured = AgentResult(
        name=EVALUATOR, score=round(value, 4), threshold=THRESHOLD, metrics=metrics,
        details=details, seconds=time.perf_counter() - started,
    )  # fmt: skip
    return AgentReport(evaluator=EVALUATOR, results=(measured,), notes=tuple(notes))


def _configured_sandbox() -> Sandbox:
    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.sandbox import get_sandbox  # noqa: PLC0415

    return get_sandbox(load_settings().run.sandbox)
