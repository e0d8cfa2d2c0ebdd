"""The orchestrator: planner -> coder -> critic, round after round, within the budgets.

Written here rather than taken from an agent framework: the loop is the product's core, it is
short, and every step must be recorded (iterations, time, tokens, cost) for the evaluations.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import Language, RunOutcome, SourceUnit, TestOutcome
from agentic_testgen.generation._critic import (
    AnyTestFile,
    Review,
    empty_tests_for,
    kept_mutation_score,
    review,
)
from agentic_testgen.generation._finish import finish
from agentic_testgen.generation._measure import Measurements
from agentic_testgen.generation._planner import coverage_ratio, covered_by, plan
from agentic_testgen.generation._select import PYTHON_ONLY
from agentic_testgen.generation._share import Yields
from agentic_testgen.generation._test_file import TestFile
from agentic_testgen.generation._types import (
    AgentStats,
    GenerationError,
    GenerationOutcome,
    Goal,
    Plan,
)
from agentic_testgen.generation.coders import Coder, CoderContext, LLMCoder
from agentic_testgen.guardrails import check, new_canary
from agentic_testgen.languages import RunOptions
from agentic_testgen.observability.tracing import span
from agentic_testgen.sandbox import Sandbox

Progress = Callable[[str], None]
OUTPUT_GUARDRAILS = ("secrets", "pii", "injection")
REVIEW_SHARE = 0.25  # of --max-seconds, kept for reviewing and assembling what the coders wrote


@dataclass(frozen=True)
class Budget:
    """Limits per file: rounds, wall time, tokens and dollars."""

    max_iterations: int = 3
    max_seconds: float = 300.0
    max_tokens: int | None = None
    max_cost_usd: float | None = None


@contextmanager
def _agent_step(
    result: GenerationOutcome, agent: str, iteration: int, coder: str | None = None
) -> Iterator[None]:
    """One agent step: counted and timed in the outcome, traced as an `invoke_agent {agent}` span
    (OpenTelemetry GenAI agent conventions)."""
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": agent,
        "atg.iteration": iteration,
    }
    if coder is not None:
        attributes["atg.coder"] = coder
    started = time.monotonic()
    try:
        with span(f"invoke_agent {agent}", attributes):
            yield
    finally:
        stats = result.agents.setdefault(agent, AgentStats())
        stats.iterations += 1
        stats.seconds += time.monotonic() - started


def generate_tests(
    source: SourceUnit,
    coders: Sequence[Coder],
    sandbox: Sandbox,
    *,
    options: RunOptions,
    budget: Budget,
    on_progress: Progress | None = None,
    goal: Goal | None = None,
    measure_final: bool = False,
) -> GenerationOutcome:
    """Generate a test file for `source`: rounds of plan, propose, review, until the module is
    covered, the `goal` is met, a round adds nothing, or a budget runs out.

    Coders share the time by what each has delivered so far (`_share`), and no file is run
    twice (`_measure`). With `measure_final`, the file as written is measured with `options`
    themselves (mutation testing included when they ask for it) and that run is the outcome's
    `final_run`, so an evaluation of the file need not run it again.
    """
    run = _Generation(source, _for_language(source, coders), sandbox, options, budget,
                      on_progress or (lambda message: None), goal)  # fmt: skip
    if not run.coders:
        run.result.notes.append(f"no coder given writes {source.language.value} tests")
    for iteration in range(budget.max_iterations):
        with _agent_step(run.result, "planner", iteration):
            current = plan(source, run.outcome, run.counted)
        if not current.targets:
            run.say("every function is covered")
            break
        progress_made, reached = run.round(iteration, current)
        run.result.iterations = iteration + 1
        if reached:
            run.result.notes.append(run.goal_note())
            break
        if not progress_made:
            break
    run.conclude(measure_final)
    return run.result


class _Generation:
    """The state of one generation across rounds: the test file, the kept tests, the last
    review, the runs made and each coder's yield."""

    def __init__(  # noqa: PLR0917 - generate_tests' own arguments
        self,
        source: SourceUnit,
        coders: list[Coder],
        sandbox: Sandbox,
        options: RunOptions,
        budget: Budget,
        say: Progress,
        goal: Goal | None,
    ) -> None:
        self.source, self.coders, self.sandbox = source, coders, sandbox
        self.options, self.budget, self.say, self.goal = options, budget, say, goal
        self.started = time.monotonic()
        self.tests = empty_tests_for(source)
        self.kept: list[str] = []
        self.outcome: RunOutcome | None = None
        self.feedback: tuple[str, ...] = ()
        self.result = GenerationOutcome(code="", kept_tests=0, proposed_tests=0, coverage=0.0,
                                        pass_rate=0.0, iterations=0)  # fmt: skip
        self.review_options = RunOptions(
            reruns=options.reruns, parallel=options.parallel,
            test_timeout_s=options.test_timeout_s, limits=options.limits, mutation=False,
        )  # fmt: skip
        self.shared = _for_models(source, self.result)
        self.canary = new_canary()
        self.measure = Measurements()
        self.yields = Yields()
        self.idle: set[str] = set()

    def counted(self, nodeid: str) -> bool:  # the planner sees what the kept tests cover
        return self.tests.unit_of(nodeid) in self.kept

    def round(self, iteration: int, current: Plan) -> tuple[bool, bool]:
        """Ask each coder in turn; returns whether the kept tests changed and whether the
        goal was reached."""
        progress_made = False
        names = [coder.name for coder in self.coders]
        for coder in self.coders:
            # the critic's runs, the final review and the assembly come after the coders: they
            # keep a part of the budget, so the whole stays near --max-seconds
            spent = time.monotonic() - self.started
            remaining = self.budget.max_seconds * (1 - REVIEW_SHARE) - spent
            if remaining <= 0 or _over_budget(self.result, self.budget):
                self.result.notes.append("stopped by the budget")
                break
            # each coder still to run this round gets time by what it has delivered so far: a
            # slow tool that adds little must not spend the time of one that adds much
            left = 1 - coverage_ratio(self.outcome, self.counted) if self.outcome else 1.0
            share = self.yields.share(coder.name, remaining, names, left)
            if share <= 0:
                if coder.name not in self.idle:
                    self.idle.add(coder.name)
                    self.say(f"{coder.name}: no more time for what it adds")
                continue
            changed = self.ask(coder, iteration, current, share)
            if changed is None:
                continue
            progress_made |= changed
            # the next coder works on what is still uncovered
            with _agent_step(self.result, "planner", iteration):
                current = plan(self.source, self.outcome, self.counted)
            if not current.targets:
                break  # the kept tests cover everything: no need for the other coders
            # the goal is checked again only when the kept tests changed: the same tests
            # reach the same coverage and kill the same mutants
            if changed and self.goal is not None and self.outcome is not None and _goal_met(
                self.goal, self.source, self.tests, self.kept, self.outcome,
                sandbox=self.sandbox, options=self.options, measure=self.measure,
            ):  # fmt: skip
                return progress_made, True
        return progress_made, False

    def ask(self, coder: Coder, iteration: int, current: Plan, share: float) -> bool | None:
        """One coder's proposal and the critic's review of it; None when it proposed nothing,
        else whether the kept tests changed. The coder's yield is recorded either way."""
        context = CoderContext(
            source=self.shared if isinstance(coder, LLMCoder) else self.source,
            sandbox=self.sandbox, kept_tests=self.tests.render(self.kept) if self.kept else "",
            feedback=self.feedback, iteration=iteration, seconds=min(share, 120.0),
            canary=self.canary, options=self.review_options,
        )  # fmt: skip
        self.say(f"round {iteration + 1}: {coder.name} on {len(current.targets)} targets")
        started = time.monotonic()
        statements = self.tests.statements() if isinstance(self.tests, TestFile) else None
        new = _propose(coder, current, context, source=self.source, tests=self.tests,
                       result=self.result)  # fmt: skip
        if not new:
            self.yields.record(coder.name, 0, time.monotonic() - started)
            return None
        before = _items(self.outcome, self.counted)
        with _agent_step(self.result, "critic", iteration):
            verdict = review(
                self.source, self.tests, self.kept, self.sandbox, self.review_options,
                kill_mutants=self.options.mutation, measure=self.measure, last=self.outcome,
            )  # fmt: skip
        if not verdict.ran and statements is not None and isinstance(self.tests, TestFile):
            # nothing of the proposal stays: its imports and helpers go with its tests, so the
            # file is again the one last measured
            self.tests.restore(statements)
        _record_review(self.result, coder.name, verdict)
        changed = set(verdict.kept) != set(self.kept)
        self.kept = list(verdict.kept)
        # dropped tests go back as feedback, not as code
        self.tests.keep_only(self.kept)
        self.outcome = verdict.outcome
        self.feedback = tuple(verdict.feedback)
        gained = len(_items(self.outcome, self.counted) - before) + len(verdict.killers)
        # its own time and its review's: the critic runs what the coder wrote
        self.yields.record(coder.name, gained, time.monotonic() - started)
        self.say(f"critic kept {len(self.kept)} tests, dropped {len(verdict.dropped)}")
        return changed

    def goal_note(self) -> str:
        goal = self.goal or Goal()
        mutation = _asks_mutation(goal, self.options)
        return f"stopped at the goal: coverage {goal.coverage:.0%}" + (
            f", mutation score {goal.mutation_score or 0:.0%}" if mutation else ""
        )

    def conclude(self, measure_final: bool) -> None:
        """Write the kept tests as a file and measure it as written."""
        result, tests = self.result, self.tests
        if self.kept and self.source.language == Language.PYTHON:  # ruff, tables: Python's
            _summarize(result, tests, self.kept, self.outcome)
            # the assembled file is run as written, failing tests taken out: that is the final
            # review, and with `measure_final` the file's measurement
            final_options = self.options if measure_final else self.review_options
            with _agent_step(result, "critic", result.iterations):
                assembled = _assemble(result, self.source, self.sandbox, final_options,
                                      self.measure)  # fmt: skip
            if not assembled:
                self._final_review()
            if not measure_final:
                result.final_run = None  # a run with the review's options only
        elif self.kept:  # the file as written: the last review also ran the candidates
            self._final_review()
        else:
            _summarize(result, tests, self.kept, self.outcome)
        result.measured_runs = self.measure.made
        result.reused_runs = self.measure.reused

    def _final_review(self) -> None:
        with _agent_step(self.result, "critic", self.result.iterations):
            final = review(self.source, self.tests, self.kept, self.sandbox,
                           self.review_options, measure=self.measure)  # fmt: skip
        _record_drops(self.result, final.dropped, list(final.kept))
        self.kept, self.outcome = list(final.kept), final.outcome
        _summarize(self.result, self.tests, self.kept, self.outcome)


def _assemble(
    result: GenerationOutcome,
    source: SourceUnit,
    sandbox: Sandbox,
    options: RunOptions,
    measure: Measurements,
) -> bool:
    """Make the kept tests a file to commit, and report that file's own figures; False when
    the assembled file did not run (the kept tests are then written as kept)."""
    assembled, outcome = finish(source, result.code, sandbox, options, measure=measure)
    if outcome.collection_errors or not outcome.tests:
        result.notes.append("the assembled file did not run: the kept tests are written as kept")
        return False
    result.code = assembled.code
    result.final_run = outcome
    result.for_review = list(assembled.for_review)
    result.kept_tests = len(outcome.tests)
    for name, reason in assembled.dropped.items():
        result.notes.append(f"{name} left out of the file: {reason}")
        result.dropped[name] = reason
    for name in assembled.for_review:
        result.notes.append(
            f"{name} pins an exception raised in the standard library: review it "
            "(marked in the file)"
        )
    if outcome.coverage is not None:
        result.coverage = outcome.coverage.percent_covered / 100
    passed = sum(1 for t in outcome.tests if t.outcome == TestOutcome.PASSED)
    result.pass_rate = passed / len(outcome.tests)
    return True


def _asks_mutation(goal: Goal | None, options: RunOptions) -> bool:
    return goal is not None and goal.mutation_score is not None and options.mutation


def _items(outcome: RunOutcome | None, counted: Callable[[str], bool]) -> set[object]:
    """The lines and branches the kept tests cover (what a coder's yield is counted in)."""
    if outcome is None:
        return set()
    lines, branches = covered_by(outcome, counted)
    return {*lines, *branches}


def _goal_met(
    goal: Goal,
    source: SourceUnit,
    tests: AnyTestFile,
    kept: list[str],
    outcome: RunOutcome,
    *,
    sandbox: Sandbox,
    options: RunOptions,
    measure: Measurements,
) -> bool:
    """Whether the kept tests reach the coverage goal and (when mutation testing is on, for
    Python) the mutation-score goal; the mutants run only once the coverage is there."""

    def counted(nodeid: str) -> bool:
        return tests.unit_of(nodeid) in kept

    if coverage_ratio(outcome, counted) < goal.coverage:
        return False
    if not _asks_mutation(goal, options):
        return True
    if not isinstance(tests, TestFile):
        return False  # the critic measures mutants of Python modules only
    score = kept_mutation_score(source, tests, kept, outcome, sandbox=sandbox,
                                options=options, measure=measure)  # fmt: skip
    return score is not None and score >= (goal.mutation_score or 0.0)


def _record_drops(result: GenerationOutcome, dropped: dict[str, str], kept: list[str]) -> None:
    """Keep the critic's latest reason for every test it dropped (and forget the reason of a
    test kept since), so what never reached the file can be told apart from what did."""
    for name in kept:
        result.dropped.pop(name, None)
    result.dropped.update(dropped)


def _summarize(
    result: GenerationOutcome, tests: AnyTestFile, kept: list[str], outcome: RunOutcome | None
) -> None:
    result.code = tests.render(kept) if kept else ""
    result.kept_tests = len(kept)
    if outcome is None or outcome.coverage is None:
        return
    result.coverage = outcome.coverage.percent_covered / 100
    kept_runs = [t for t in outcome.tests if tests.unit_of(t.nodeid) in kept]
    passed = sum(1 for t in kept_runs if t.outcome == TestOutcome.PASSED)
    result.pass_rate = passed / len(kept_runs) if kept_runs else 0.0


def _propose(
    coder: Coder,
    current: Plan,
    context: CoderContext,
    *,
    source: SourceUnit,
    tests: AnyTestFile,
    result: GenerationOutcome,
) -> list[str]:
    """Ask one coder; add what it proposes (unless a guardrail refuses it) to the test file.
    Returns the names of the new tests."""
    try:
        with _agent_step(result, "coder", context.iteration, coder.name), _tool_span(coder):
            candidate = coder.generate(current, context)
    except GenerationError as error:  # keep what was spent: the error carries every call made
        result.calls.extend(error.calls)
        raise GenerationError(str(error), tuple(result.calls)) from None
    result.calls.extend(candidate.calls)
    if candidate.failure:
        result.record_failure(coder.name, candidate.failure)
    if not candidate.code.strip():
        return []
    # the test policy is the critic's, test by test; here the whole answer is refused
    guard = check(candidate.code, "output", names=OUTPUT_GUARDRAILS, canary=context.canary)
    result.guardrails.extend(guard.records())
    if not guard.allowed:
        blocking = next(f for f in guard.findings if f.category != "pii")
        reason = {
            "secret": "they carry a credential",
            "injection": "the model repeated its hidden instructions (it followed an injection)",
        }[blocking.category]
        result.notes.append(f"{coder.name}: tests refused, {reason}")
        return []
    new = tests.add(candidate.code)
    tests.import_missing(source)
    result.proposed_tests += len(new)
    return list(new)


def _record_import_failure(result: GenerationOutcome, coder: str, verdict: Review) -> None:
    """A coder whose file failed to import: say on what (the critic already took out only the
    statements it failed on, or, when it could not find them, the coder's new tests)."""
    if verdict.removed:
        more = f" (and {len(verdict.removed) - 1} more)" if len(verdict.removed) > 1 else ""
        result.record_failure(coder, f"removed on import error: {verdict.removed[0]}{more}")
    whole = [r for r in verdict.dropped.values() if r.startswith("the file does not import")]
    if whole:
        result.record_failure(coder, f"{len(whole)} tests dropped, {whole[0]}")


def _record_review(result: GenerationOutcome, coder: str, verdict: Review) -> None:
    """What a review refused: statements the file failed to import on, and (one policy check
    per review) each test or statement that broke the test policy, with the rule."""
    _record_import_failure(result, coder, verdict)
    _record_drops(result, verdict.dropped, list(verdict.kept))
    result.guardrails.append({
        "type": "policy", "findings": len(verdict.policy), "severity": "high",
        "blocked": bool(verdict.policy),
    })  # fmt: skip
    for refusal in verdict.policy:
        result.notes.append(f"{coder}: {refusal}")


def _for_models(source: SourceUnit, result: GenerationOutcome) -> SourceUnit:
    """The module as a hosted model may see it: secrets, personal data and instructions to a
    model redacted (checked once per file; offline tools run on the module as it is, inside
    the sandbox)."""
    guard = check(source.code, "input", path=source.path)
    result.guardrails.extend(guard.records())
    injected = [f for f in guard.findings if f.category == "injection"]
    if injected:
        first = injected[0]
        where = f"line {first.line(source.code)}" if first.end > first.start else first.detail
        result.notes.append(
            f"the module holds instructions to a model ({first.kind}, {where}): "
            "they were removed from what the model sees"
        )
    return source.model_copy(update={"code": guard.redacted}) if guard.findings else source


def _tool_span(coder: Coder) -> AbstractContextManager[Any]:
    """Offline coders are tools the coder agent runs; a model's calls make their own spans."""
    if isinstance(coder, LLMCoder):
        return nullcontext()
    attributes = {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": coder.name}
    return span(f"execute_tool {coder.name}", attributes)


def _for_language(source: SourceUnit, coders: Sequence[Coder]) -> list[Coder]:
    """The coders that write tests in the module's language: the offline Python tools have
    nothing to say about a JavaScript or Java module (asked anyway, they spent seconds each
    starting up on it)."""
    if source.language == Language.PYTHON:
        return list(coders)
    return [coder for coder in coders if coder.name not in PYTHON_ONLY]


def _over_budget(result: GenerationOutcome, budget: Budget) -> bool:
    if budget.max_tokens is not None and result.tokens >= budget.max_tokens:
        return True
    return budget.max_cost_usd is not None and result.cost_usd >= budget.max_cost_usd
