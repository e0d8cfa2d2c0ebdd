"""Offline characterization tests for JavaScript and Java modules.

A probe calls what the module exports with boundary and type-derived inputs in the sandbox and
records what each call returned or threw; each call becomes a test asserting it. The candidate
file runs once through the language adapter (per-test coverage, reruns); tests that fail, flip
between runs or never reach the module are dropped, and the rest are chosen greedily by the
lines and branches each adds, so the file is small and every test earns its place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from agentic_testgen.domain import GeneratedTests, Language, RunOutcome, SourceUnit, TestOutcome
from agentic_testgen.evals.metrics._foreign import qualname_of
from agentic_testgen.generation.characterize import _java, _javascript
from agentic_testgen.generation.characterize._javascript import Case, ProbeError
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import Sandbox

MAX_TESTS = 60
SPREAD = 3  # extra tests per line whose branches may not all be taken (see _branch_spread)
RESTORE = 8  # tests added back per line the chosen tests covered less of (see _restore)


@dataclass(frozen=True)
class Characterization:
    """The chosen tests and how they were reached.

    Attributes:
        tests: the test file.
        proposed: tests the probe's calls made.
        kept: tests chosen.
        dropped: test title -> why it was left out (failed, flaky, never reached the module).
        candidate: the run of every proposed test.
        final: the run of the chosen tests (what the file scores).
    """

    tests: GeneratedTests
    proposed: int
    kept: int
    dropped: dict[str, str]
    candidate: RunOutcome
    final: RunOutcome


def _gain(
    outcome: RunOutcome, language: Language
) -> tuple[dict[str, set[tuple[object, ...]]], dict[str, str]]:
    """Per usable test (by title), the lines and branches it covers; why the others are not."""
    flaky = outcome.flaky_nodeids()
    usable: dict[str, set[tuple[object, ...]]] = {}
    dropped: dict[str, str] = {}
    for test in outcome.tests:
        title = qualname_of(test.nodeid, language)
        if test.outcome != TestOutcome.PASSED:
            dropped[title] = test.outcome.value
        elif test.nodeid in flaky:
            dropped[title] = "flaky"
        elif not test.reached_module:
            dropped[title] = "never reaches the module"
        else:
            usable[title] = {("line", n) for n in test.lines} | {
                ("branch", *b) for b in test.branches
            }
    return usable, dropped


def select(
    cases: list[Case], outcome: RunOutcome, language: Language, limit: int = MAX_TESTS
) -> list[Case]:
    """Greedy: the test adding the most uncovered lines and branches, until none adds any."""
    usable, _ = _gain(outcome, language)
    by_title = {case.title: case for case in cases}
    covered: set[tuple[object, ...]] = set()
    chosen: list[str] = []
    while len(chosen) < limit:
        best = max(
            (t for t in usable if t not in chosen and t in by_title),
            key=lambda t: (len(usable[t] - covered), -len(chosen)),
            default=None,
        )
        if best is None or not usable[best] - covered:
            break
        chosen.append(best)
        covered |= usable[best]
    chosen += _branch_spread(usable, chosen, outcome, limit, set(by_title))
    order = {case.title: index for index, case in enumerate(cases)}
    return [by_title[t] for t in sorted(chosen, key=order.__getitem__)]


def _branch_spread(
    usable: dict[str, set[tuple[object, ...]]],
    chosen: list[str],
    outcome: RunOutcome,
    limit: int,
    known: set[str],
) -> list[str]:
    """More tests on lines whose branches the chosen tests may not all take.

    A JaCoCo branch is known per test only as (line, index) with the covered ones first, so two
    tests taking different sides of one line look alike; where the candidate run took more of a
    line's branches than any chosen test shows, up to `SPREAD` more tests through that line are
    kept (those taking the most branches there first)."""
    if outcome.coverage is None:
        return []
    taken: dict[object, int] = {}
    for arc in outcome.coverage.executed_branches:
        taken[arc[0]] = taken.get(arc[0], 0) + 1

    def on_line(title: str, line: object) -> int:
        return sum(1 for item in usable[title] if item[0] == "branch" and item[1] == line)

    extra: list[str] = []
    for line, count in sorted(taken.items(), key=lambda item: str(item[0])):
        shown = max((on_line(t, line) for t in chosen + extra), default=0)
        if shown >= count:
            continue
        others = sorted(
            (t for t in usable if t in known and t not in chosen and t not in extra),
            key=lambda t: -on_line(t, line),
        )
        extra += [t for t in others if on_line(t, line)][:SPREAD]
        if len(chosen) + len(extra) >= limit:
            break
    return extra[: max(0, limit - len(chosen))]


def _reached(outcome: RunOutcome) -> int:
    """How many lines and branches of the module a run covered."""
    found = outcome.coverage
    return 0 if found is None else len(found.executed_lines) + len(found.executed_branches)


def _restore(
    cases: list[Case],
    chosen: list[Case],
    runs: tuple[RunOutcome, RunOutcome],
    language: Language,
    limit: int,
) -> list[Case]:
    """The chosen cases and, for each line the final run covered less of than the candidate
    run (a line not run, or fewer of its branches taken), up to `RESTORE` more tests through it;
    empty when nothing was lost. `runs` are the candidate run and the final one. Per-test
    branch data cannot always say which test takes which side (JaCoCo's), so a measured loss
    is what decides."""
    candidate, final = runs
    if candidate.coverage is None or final.coverage is None:
        return []

    def per_line(arcs: tuple[tuple[int, int], ...]) -> dict[int, int]:
        counts: dict[int, int] = {}
        for arc in arcs:
            counts[arc[0]] = counts.get(arc[0], 0) + 1
        return counts

    before = per_line(candidate.coverage.executed_branches)
    after = per_line(final.coverage.executed_branches)
    lost = set(candidate.coverage.executed_lines) - set(final.coverage.executed_lines)
    lost |= {line for line, count in before.items() if after.get(line, 0) < count}
    if not lost:
        return []
    usable, _ = _gain(candidate, language)
    titles = {case.title for case in chosen}
    extra: set[str] = set()
    for line in sorted(lost):
        through = sorted(
            (t for t in usable if t not in titles and t not in extra),
            key=lambda t: -sum(1 for item in usable[t] if item[1] == line),
        )
        extra |= {t for t in through[:RESTORE] if any(item[1] == line for item in usable[t])}
    room = max(0, limit - len(chosen))
    kept = [case for case in cases if case.title in extra][:room]
    if not kept:
        return []
    order = {case.title: index for index, case in enumerate(cases)}
    return sorted([*chosen, *kept], key=lambda case: order[case.title])


_WRITERS = {Language.JAVASCRIPT: _javascript, Language.JAVA: _java}


def _writer(language: Language) -> Any:
    try:
        return _WRITERS[language]
    except KeyError:
        raise ProbeError(f"no characterization probe for {language.value}") from None


def tests_file_name(source: SourceUnit) -> str:
    """Where characterization tests of `source` go, beside it: `clamp.test.js`,
    `roman.test.mjs`, `ClampCharacterizationTest.java`."""
    name: str = _writer(source.language).tests_file_name(source)
    return name


def characterize(
    source: SourceUnit,
    sandbox: Sandbox,
    options: RunOptions,
    *,
    seconds: float = 60.0,
    seed: int = 1,
    limit: int = MAX_TESTS,
) -> Characterization:
    """Characterization tests for a JavaScript or Java module, measured and chosen as above.

    Raises:
        ProbeError: the module cannot be loaded or probed.
    """
    language = source.language
    writer = _writer(language)
    report = writer.probe(source, sandbox, seconds=seconds, seed=seed)
    proposed = writer.cases(report)
    candidate_file = writer.render(source, proposed)
    run = replace(options, mutation=False, reruns=max(1, min(options.reruns, 2)))
    candidate = get_adapter(language).run(source, candidate_file, sandbox, run)
    chosen = select(proposed, candidate, language, limit)
    _, dropped = _gain(candidate, language)
    tests = writer.render(source, chosen)
    final = get_adapter(language).run(source, tests, sandbox, run) if chosen else candidate
    more = _restore(proposed, chosen, (candidate, final), language, limit)
    if more:
        # what the chosen tests lost of the candidate run's coverage, tests through it bring back
        widened = writer.render(source, more)
        again = get_adapter(language).run(source, widened, sandbox, run)
        if _reached(again) > _reached(final):
            chosen, tests, final = more, widened, again
    return Characterization(
        tests=tests,
        proposed=len(proposed),
        kept=len(chosen),
        dropped=dropped,
        candidate=candidate,
        final=final,
    )


__all__ = ["Characterization", "ProbeError", "characterize", "select", "tests_file_name"]
