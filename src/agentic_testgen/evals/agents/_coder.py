"""The coder evaluator: per coder, the share of its proposed tests that parse, resolve what they
use, use pytest correctly, call the plan's target and pass.

The set (`sets/coder/cases.jsonl`) names small modules (most are the planner set's) and one
target in each. A coder gets a plan of that one target (the planner's `Target` for it, as in a
first round: all of it uncovered) and a context like the orchestrator's (the sandbox, a time
budget, the critic's run options), and proposes a file once.

Each proposed test (a top-level `test*` function or `Test*` class, as the critic counts them)
is read statically (`_proposal`: `parses`, `imports_resolve`, `framework_ok`, `calls_target`)
and the file runs as proposed through the language adapter in the sandbox. `passes`: every run
of the test passed (a skip or an xfail does not, as for the critic). `calls_target` also holds
when the test's run executed a line of the target. The file is measured as the coder wrote it:
the orchestrator's repairs (imports it adds, statements the critic takes out) are not the
coder's.

Metrics: the five shares over every test the coder proposed on the set, `all_five` likewise,
and `modules`, the share of modules it proposed a test for. Score: the mean over modules of the
share of its tests that pass all five checks, a module it proposed nothing for counting 0, so
that perfect tests for one module of six score 1/6.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field

from agentic_testgen.domain import GeneratedTests, SourceUnit, TestOutcome, TestResult
from agentic_testgen.evals.agents import AgentReport, AgentResult, Progress
from agentic_testgen.evals.agents._proposal import ProposedTest, read_proposal
from agentic_testgen.evals.agents._sets import (
    check_files,
    check_unique,
    parse_manifest,
    read_manifest,
    read_set_file,
)
from agentic_testgen.evals.safety import SetError
from agentic_testgen.generation import Plan, Target, plan
from agentic_testgen.generation._critic import tests_file_name_for, unit_of
from agentic_testgen.generation._select import choose_coders
from agentic_testgen.generation._types import GenerationError
from agentic_testgen.generation.coders import CharacterizationCoder, Coder, CoderContext
from agentic_testgen.guardrails import new_canary
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import Sandbox

EVALUATOR = "coder"
THRESHOLD = 0.70
WHERE = "sets/coder/cases.jsonl"
# `--coder offline` on a Python module; `llm` (or provider/model) and `characterization` only
# when named
DEFAULT_CODERS = ("doctest", "crosshair", "pynguin", "ghostwriter")
CHECKS = ("parses", "imports_resolve", "framework_ok", "calls_target", "passes")
SECONDS = 30.0  # a coder's time per module (the orchestrator gives each coder up to 120 s)
OPTIONS = RunOptions(reruns=1, test_timeout_s=10.0, mutation=False)
MAX_REASON = 200


class CoderCase(BaseModel):
    """A module (a path under `sets/`) and the function or method the plan targets in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    module: str = Field(pattern=r"\.py$")
    target: str = Field(min_length=1)
    about: str = ""


def load_cases(text: str | None = None) -> list[CoderCase]:
    """The shipped coder set (or the manifest lines in `text`).

    Raises:
        SetError: one line naming `cases.jsonl:<line>`, the field and the problem.
    """
    numbered = parse_manifest(CoderCase, read_manifest(EVALUATOR) if text is None else text,
                              WHERE)  # fmt: skip
    check_unique(numbered, WHERE)
    for number, case in numbered:
        check_files(number, WHERE, {"module": case.module})
        if target_of(case) is None:
            raise SetError(f"{WHERE}:{number}: target: no function {case.target} in {case.module}")
    return [case for _, case in numbered]


def source_of(case: CoderCase) -> SourceUnit:
    """The case's module, alone (importable under its own name)."""
    path = PurePosixPath(case.module)
    return SourceUnit(path=path.name, code=read_set_file(case.module), module_name=path.stem)


def target_of(case: CoderCase) -> Target | None:
    """The planner's target for the case's function, all of it uncovered."""
    return next((t for t in plan(source_of(case)).targets if t.qualname == case.target), None)


@dataclass(frozen=True)
class TestVerdict:
    """One proposed test: the static checks and its run."""

    __test__ = False

    name: str
    parses: bool
    imports_resolve: bool
    framework_ok: bool
    calls_target: bool
    passes: bool
    problems: tuple[str, ...] = ()

    @property
    def all_five(self) -> bool:
        return all(getattr(self, check) for check in CHECKS)


@dataclass(frozen=True)
class ModuleRun:
    """One coder on one module: the tests it proposed (none: `failure` says why)."""

    case: str
    tests: tuple[TestVerdict, ...]
    failure: str = ""
    seconds: float = 0.0

    @property
    def share(self) -> float:
        """The share of its tests that pass all five checks (0 when it proposed none)."""
        return sum(t.all_five for t in self.tests) / len(self.tests) if self.tests else 0.0

    def as_dict(self) -> dict[str, object]:
        counts = {check: sum(getattr(t, check) for t in self.tests) for check in CHECKS}
        return {
            "tests": len(self.tests), **counts, "all_five": sum(t.all_five for t in self.tests),
            "failure": self.failure, "seconds": round(self.seconds, 1),
            "problems": {t.name: list(t.problems) for t in self.tests if t.problems},
        }  # fmt: skip


def judge(code: str, source: SourceUnit, target: Target, sandbox: Sandbox) -> list[TestVerdict]:
    """Check every test of the proposed file `code` and run it as written."""
    static = read_proposal(code, source, target.qualname)
    runs: dict[str, list[TestResult]] = {}
    failure = ""
    if static and all(test.parses for test in static):
        tests = GeneratedTests(code=code, filename=tests_file_name_for(source))
        outcome = get_adapter(source.language).run(source, tests, sandbox, OPTIONS)
        for result in outcome.tests:
            runs.setdefault(unit_of(result.nodeid), []).append(result)
        if outcome.collection_errors:
            failure = f"not collected: {_first_line(outcome.collection_errors[0].message)}"
    body = set(range(target.first_line + 1, target.last_line + 1)) or {target.first_line}
    return [_verdict(test, runs.get(test.name, []), body, failure) for test in static]


def _verdict(
    test: ProposedTest, results: list[TestResult], body: set[int], failure: str
) -> TestVerdict:
    passes = bool(results) and all(r.outcome == TestOutcome.PASSED for r in results)
    reached = any(body & set(r.lines) for r in results)
    problems = list(test.problems)
    if reached and not test.calls_target:  # it reaches the target some other way
        problems = [p for p in problems if not p.startswith("never names")]
    if not passes and results:
        failed = next((r for r in results if r.outcome != TestOutcome.PASSED), results[0])
        why = _error_line(failed.failure or "")
        problems.append(f"run: {failed.outcome.value}" + (f": {why}" if why else ""))
    elif not passes:
        problems.append(f"run: {failure or 'did not run'}")
    return TestVerdict(
        name=test.name, parses=test.parses, imports_resolve=test.imports_resolve,
        framework_ok=test.framework_ok, calls_target=test.calls_target or reached, passes=passes,
        problems=tuple(problems),
    )  # fmt: skip


def propose(coder: Coder, case: CoderCase, sandbox: Sandbox, seconds: float = SECONDS) -> ModuleRun:
    """Ask `coder` once for tests of the case's target; judge what it proposes."""
    started = time.perf_counter()
    source = source_of(case)
    target = target_of(case)
    if target is None:
        return ModuleRun(case.id, (), failure=f"no function {case.target} in {case.module}")
    context = CoderContext(
        source=source, sandbox=sandbox, seconds=seconds, canary=new_canary(), options=OPTIONS
    )
    try:
        candidate = coder.generate(Plan(targets=(target,)), context)
    except Exception as error:  # a coder that fails is measured, not a crash of the evaluation
        reason = _first_line(f"{type(error).__name__}: {error}")
        return ModuleRun(case.id, (), failure=reason, seconds=time.perf_counter() - started)
    if not candidate.code.strip():
        reason = _first_line(candidate.failure) or "proposed nothing"
        return ModuleRun(case.id, (), failure=reason, seconds=time.perf_counter() - started)
    tests = judge(candidate.code, source, target, sandbox)
    return ModuleRun(
        case.id, tuple(tests), failure=_first_line(candidate.failure),
        seconds=time.perf_counter() - started,
    )  # fmt: skip


def coder_result(name: str, runs: Sequence[ModuleRun], seconds: float) -> AgentResult:
    """One coder's stored result from its runs on the set."""
    tests = [t for run in runs for t in run.tests]
    metrics = {
        check: round(sum(getattr(t, check) for t in tests) / len(tests), 4) if tests else 0.0
        for check in (*CHECKS, "all_five")
    }
    metrics["modules"] = round(sum(1 for r in runs if r.tests) / len(runs), 4) if runs else 0.0
    value = sum(run.share for run in runs) / len(runs) if runs else 0.0
    details: dict[str, object] = {
        "tests": len(tests),
        "modules": {run.case: run.as_dict() for run in runs},
    }
    if not tests:
        reasons = [run.failure for run in runs if run.failure]
        details["reason"] = reasons[0] if reasons else "proposed no test"
    return AgentResult(
        name=f"{EVALUATOR}/{name}", score=round(value, 4), threshold=THRESHOLD, metrics=metrics,
        details=details, seconds=seconds,
    )  # fmt: skip


def unavailable(name: str, reason: str) -> AgentResult:
    """A coder that cannot be built here (not installed, unknown): score 0, and why."""
    return AgentResult(
        name=f"{EVALUATOR}/{name}", score=0.0, threshold=THRESHOLD,
        metrics={check: 0.0 for check in (*CHECKS, "all_five", "modules")},
        details={"reason": _first_line(reason)},
    )  # fmt: skip


def build_coder(
    name: str, *, model: str | None = None, base_url: str | None = None, pynguin: str | None = None
) -> Coder:
    """The coder `--coder name` would run (one; `characterization` too).

    Raises:
        GenerationError: unknown, not installed, or a name for several coders.
    """
    if name == "characterization":
        return CharacterizationCoder()
    coders = choose_coders(name, model=model, base_url=base_url, pynguin=pynguin)
    if len(coders) != 1:
        raise GenerationError(f"{name} names {len(coders)} coders: name them one by one")
    return coders[0]


def evaluate_coders(
    coders: Sequence[str] | None,
    *,
    on_progress: Progress | None = None,
    cases: Sequence[CoderCase] | None = None,
    sandbox: Sandbox | None = None,
    seconds: float = SECONDS,
    model: str | None = None,
    base_url: str | None = None,
) -> AgentReport:
    """Each coder (default: the offline ones) on every case of the shipped set (or `cases`):
    one result per coder, `coder/<name>`. `model` and `base_url` are the LLM coder's."""
    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.sandbox import get_sandbox  # noqa: PLC0415

    settings = load_settings()
    cases = load_cases() if cases is None else cases
    sandbox = sandbox or get_sandbox(settings.run.sandbox)
    results = []
    for name in coders or DEFAULT_CODERS:
        started = time.perf_counter()
        try:
            coder = build_coder(name, model=model, base_url=base_url, pynguin=settings.pynguin)
        except GenerationError as error:
            if on_progress:
                on_progress(f"coder/{name}: unavailable: {_first_line(str(error))}")
            results.append(unavailable(name, str(error)))
            continue
        runs = []
        for case in cases:
            run = propose(coder, case, sandbox, seconds)
            runs.append(run)
            if on_progress:
                on_progress(_progress_line(name, run))
        results.append(coder_result(name, runs, time.perf_counter() - started))
    notes = (
        "score: the mean over modules of the share of a coder's tests passing all five checks "
        "(parses, imports_resolve, framework_ok, calls_target, passes); a module without any "
        "test counts 0",
    )
    return AgentReport(evaluator=EVALUATOR, results=tuple(results), notes=notes)


def _progress_line(name: str, run: ModuleRun) -> str:
    where = f"coder/{name}: {run.case}"
    if not run.tests:
        return f"{where}: no test ({run.failure}) in {run.seconds:.0f} s"
    good = sum(t.all_five for t in run.tests)
    return f"{where}: {len(run.tests)} tests, {good} pass all five, in {run.seconds:.0f} s"


def _error_line(failure: str) -> str:
    """pytest's first `E` line of a failure (else its last line)."""
    lines = [line.strip() for line in failure.splitlines() if line.strip()]
    marked = [line.removeprefix("E").strip() for line in lines if line.startswith("E ")]
    return _first_line(marked[0] if marked else lines[-1] if lines else "")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    return first if len(first) <= MAX_REASON else first[: MAX_REASON - 1] + "…"
