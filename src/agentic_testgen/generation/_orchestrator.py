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
from agentic_testgen.generation._critic import AnyTestFile, Review, empty_tests_for, review
from agentic_testgen.generation._finish import finish
from agentic_testgen.generation._planner import plan
from agentic_testgen.generation._types import (
    AgentStats,
    GenerationError,
    GenerationOutcome,
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
) -> GenerationOutcome:
    """Generate a test file for `source`: rounds of plan, propose, review, until the module is
    covered, a round adds nothing, or a budget runs out."""
    say = on_progress or (lambda message: None)
    started = time.monotonic()
    tests = empty_tests_for(source)
    kept: list[str] = []
    outcome = None
    feedback: tuple[str, ...] = ()
    result = GenerationOutcome(code="", kept_tests=0, proposed_tests=0, coverage=0.0,
                               pass_rate=0.0, iterations=0)  # fmt: skip
    review_options = RunOptions(
        reruns=options.reruns, parallel=options.parallel, test_timeout_s=options.test_timeout_s,
        limits=options.limits, mutation=False,
    )  # fmt: skip
    shared = _for_models(source, result)
    canary = new_canary()

    def counted(nodeid: str) -> bool:  # the planner sees what the kept tests cover
        return tests.unit_of(nodeid) in kept

    for iteration in range(budget.max_iterations):
        with _agent_step(result, "planner", iteration):
            current = plan(source, outcome, counted)
        if not current.targets:
            say("every function is covered")
            break
        progress_made = False
        for position, coder in enumerate(coders):
            # the critic's runs, the final review and the assembly come after the coders: they
            # keep a part of the budget, so the whole stays near --max-seconds
            remaining = budget.max_seconds * (1 - REVIEW_SHARE) - (time.monotonic() - started)
            # each coder still to run this round gets its share: a slow first tool (CrossHair
            # on a big module) must not spend the others' time
            share = remaining / (len(coders) - position)
            if remaining <= 0 or _over_budget(result, budget):
                result.notes.append("stopped by the budget")
                break
            context = CoderContext(
                source=shared if isinstance(coder, LLMCoder) else source, sandbox=sandbox,
                kept_tests=tests.render(kept) if kept else "", feedback=feedback,
                iteration=iteration, seconds=min(share, 120.0), canary=canary,
                options=review_options,
            )  # fmt: skip
            say(f"round {iteration + 1}: {coder.name} on {len(current.targets)} targets")
            new = _propose(coder, current, context, source=source, tests=tests, result=result)
            if not new:
                continue
            with _agent_step(result, "critic", iteration):
                verdict = review(
                    source, tests, kept, sandbox, review_options, kill_mutants=options.mutation
                )
            _record_review(result, coder.name, verdict)
            progress_made |= len(verdict.kept) > len(kept) or set(verdict.kept) != set(kept)
            kept = list(verdict.kept)
            # dropped tests go back as feedback, not as code
            tests.keep_only(kept)
            outcome = verdict.outcome
            feedback = tuple(verdict.feedback)
            say(f"critic kept {len(kept)} tests, dropped {len(verdict.dropped)}")
            # the next coder works on what is still uncovered
            with _agent_step(result, "planner", iteration):
                current = plan(source, outcome, counted)
            if not current.targets:
                break  # the kept tests cover everything: no need for the other coders
        result.iterations = iteration + 1
        if not progress_made:
            break
    if kept:  # measure the file as written: the last review also ran the dropped candidates
        kept, outcome = _final_review(
            source, tests, kept, sandbox, options=review_options, result=result
        )
    _summarize(result, tests, kept, outcome)
    if kept and source.language == Language.PYTHON:  # ruff, parametrized tables: Python's
        with _agent_step(result, "critic", result.iterations):
            _assemble(result, source, sandbox, review_options)
    return result


def _assemble(
    result: GenerationOutcome, source: SourceUnit, sandbox: Sandbox, options: RunOptions
) -> None:
    """Make the kept tests a file to commit, and report that file's own figures."""
    assembled, outcome = finish(source, result.code, sandbox, options)
    if outcome.collection_errors or not outcome.tests:
        result.notes.append("the assembled file did not run: the kept tests are written as kept")
        return
    result.code = assembled.code
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


def _final_review(
    source: SourceUnit,
    tests: AnyTestFile,
    kept: list[str],
    sandbox: Sandbox,
    *,
    options: RunOptions,
    result: GenerationOutcome,
) -> tuple[list[str], RunOutcome]:
    with _agent_step(result, "critic", result.iterations):
        final = review(source, tests, kept, sandbox, options)
    _record_drops(result, final.dropped, list(final.kept))
    return list(final.kept), final.outcome


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


def _over_budget(result: GenerationOutcome, budget: Budget) -> bool:
    if budget.max_tokens is not None and result.tokens >= budget.max_tokens:
        return True
    return budget.max_cost_usd is not None and result.cost_usd >= budget.max_cost_usd
