"""The critic: keep a proposed test only if it passes, is not flaky, and adds coverage.

It runs the kept tests and the new candidates together, once, in the sandbox (with reruns, so a
flaky test is seen; once more without them when tests were caught tampering with the harness,
whose evidence they spoil for the rest), then keeps greedily: the tests already kept first,
then each candidate in order of the new lines and branches it covers. What it drops goes back
to the coder with the reason. A file that fails to import loses only the statement it fails
on (found from the traceback's line), not every test in it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import Path

from agentic_testgen.domain import GeneratedTests, Language, RunOutcome, SourceUnit, TestOutcome
from agentic_testgen.evals.metrics._foreign import checks_of, parse
from agentic_testgen.generation._assemble import checks_something
from agentic_testgen.generation._foreign_file import ForeignTestFile
from agentic_testgen.generation._measure import Measurements
from agentic_testgen.generation._test_file import TestFile
from agentic_testgen.generation._test_file import unit_of as _unit_of
from agentic_testgen.guardrails import policy
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import Sandbox

MAX_IMPORT_REPAIRS = 3  # statements removed, one run each, before the file is given up


@dataclass(frozen=True)
class Review:
    """The critic's verdict on one round. `removed` names the statements that were taken out
    of the file because it failed to import on them, each with the error."""

    code: str
    kept: tuple[str, ...]
    dropped: dict[str, str]
    outcome: RunOutcome
    removed: tuple[str, ...] = ()
    policy: tuple[str, ...] = ()  # statements and tests refused for breaking the test policy
    killers: tuple[str, ...] = ()  # kept for a mutant no other kept test kills
    ran: bool = True  # False: every new test was refused unrun, and the last run stands

    @property
    def feedback(self) -> list[str]:
        return [f"{name}: {reason}" for name, reason in self.dropped.items()]


def unit_of(nodeid: str) -> str:
    """The top-level test function or class a (Python) node id belongs to."""
    return _unit_of(nodeid)


AnyTestFile = TestFile | ForeignTestFile


def empty_tests_for(source: SourceUnit) -> AnyTestFile:
    """An empty test file in the language of `source` (a Java one declares the class its file
    name says, in the package of the class under test)."""
    if source.language == Language.PYTHON:
        return TestFile()
    from agentic_testgen.generation.characterize._java import package_of  # noqa: PLC0415

    package = package_of(source) if source.language == Language.JAVA else ""
    class_name = Path(_file_name(source)).stem
    return ForeignTestFile(source.language, package=package, class_name=class_name)


def tests_file_name_for(source: SourceUnit) -> str:
    """The name the test file of `source` is run under."""
    return _file_name(source)


def _file_name(source: SourceUnit) -> str:
    if source.language == Language.PYTHON:
        return f"test_{source.module_name}.py"
    from agentic_testgen.generation.characterize import tests_file_name  # noqa: PLC0415

    return tests_file_name(source)


def _first_error_line(text: str | None) -> str:
    """pytest's first `E` line; for other runners, the failure's first line that is not a
    stack frame (with the line after it when it ends in a colon: `... strictly equal: 1 !== 2`)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    marked = [line for line in lines if line.startswith("E ")]
    if marked:
        return marked[0].removeprefix("E").strip()
    lines = [line for line in lines if not line.startswith("at ")]
    if not lines:
        return "failed"
    first = lines[0]
    if first.endswith(":") and len(lines) > 1:
        first = f"{first} {lines[1]}"
    return first[:200]


def review(
    source: SourceUnit,
    tests: AnyTestFile,
    kept_before: list[str],
    sandbox: Sandbox,
    options: RunOptions,
    *,
    kill_mutants: bool = False,
    measure: Measurements | None = None,
    last: RunOutcome | None = None,
) -> Review:
    """Run every unit of `tests` once and keep those that earn their place: new coverage, or
    (with `kill_mutants`) a mutant no kept test kills.

    `measure` holds the runs already made in this generation: a file (or a mutant run) that
    was measured before is not run again. `last` is the run the tests kept before were judged
    on: when every new test is refused before running (it breaks the test policy or checks
    nothing), nothing runs and that run stands (`ran` is False).

    When the file fails to import, the statement the traceback points at is taken out of
    `tests` (a test, a helper or an import; never a test kept before) and the file runs again.
    New tests caught tampering with the harness are taken out too, and the rest run again.
    """
    run_options = replace(options, mutation=False)
    measure = measure if measure is not None else Measurements()
    refused, refused_statements, unchecked = _refuse_unrun(tests, kept_before)
    policy = tuple(refused_statements) + tuple(f"{name}: {why}" for name, why in refused.items())
    if last is not None and all(name in kept_before for name in tests.units):
        # nothing new is left to judge (Hypothesis' ghostwriter writes fuzz tests without an
        # assertion on most modules): a run would only repeat what `last` measured
        return Review(
            code=tests.render(kept_before) if kept_before else "", kept=tuple(kept_before),
            dropped={**refused, **unchecked}, outcome=last, policy=policy, ran=False,
        )  # fmt: skip
    outcome, removed, unimportable = _run_importable(
        source, tests, kept_before, sandbox, run_options, measure=measure
    )
    tampered = _tampering(outcome, tests, kept_before)
    if tampered:
        # a test that switches tracing off (or otherwise reaches for the harness) spoils the
        # evidence of the tests that run after it: they are judged on a run without it
        for name in tampered:
            tests.remove("units", name)
        outcome, removed_again, unimportable_again = _run_importable(
            source, tests, kept_before, sandbox, run_options, measure=measure
        )
        removed += removed_again
        unimportable |= unimportable_again
        tampered |= _tampering(outcome, tests, kept_before)
    # the tests taken out of the file, with their reason (judged without a run of their own)
    unimportable = {**refused, **unchecked, **tampered, **unimportable}
    flaky = outcome.flaky_nodeids()
    verdicts: dict[str, str] = {**unimportable, **_unchecked(tests, kept_before)}
    coverage: dict[str, set[object]] = {}
    for test in outcome.tests:
        unit = tests.unit_of(test.nodeid)
        if unit in verdicts:
            pass  # judged before the run
        elif test.nodeid in flaky:
            # before the pass check: a test that failed once and passed on a rerun is flaky,
            # not failing (the first run is only one of its outcomes)
            verdicts[unit] = "flaky: its outcome changed across reruns"
        elif test.outcome != TestOutcome.PASSED:
            verdicts[unit] = f"{test.outcome.value}: {_first_error_line(test.failure)}"
        elif not test.reached_module:
            verdicts.setdefault(unit, "never calls the module under test")
        coverage.setdefault(unit, set()).update(test.lines, test.branches)
    for error in outcome.collection_errors:
        return Review(
            code=tests.render(kept_before) if kept_before else "",
            kept=tuple(kept_before),
            dropped={
                **unimportable,
                **{
                    name: f"the file does not import: {_first_error_line(error.message)}"
                    for name in tests.units
                    if name not in kept_before
                },
            },
            outcome=outcome,
            removed=tuple(removed),
            policy=policy,
        )
    kept, dropped = _choose(
        tests, kept_before, unimportable=unimportable, verdicts=verdicts, coverage=coverage,
        outcome=outcome,
    )  # fmt: skip
    no_gain = [n for n, reason in dropped.items() if reason.startswith("adds no coverage")]
    if no_gain and kept and kill_mutants and isinstance(tests, TestFile):
        killers = _mutant_killers(
            source, tests, kept, no_gain, outcome=outcome, sandbox=sandbox, options=run_options,
            measure=measure,
        )  # fmt: skip
        for name in killers:
            kept.append(name)
            del dropped[name]
    else:
        killers = []
    return Review(
        code=tests.render(kept), kept=tuple(kept), dropped=dropped, outcome=outcome,
        removed=tuple(removed), policy=policy, killers=tuple(killers),
    )  # fmt: skip


def _choose(
    tests: AnyTestFile,
    kept_before: list[str],
    *,
    unimportable: dict[str, str],
    verdicts: dict[str, str],
    coverage: dict[str, set[object]],
    outcome: RunOutcome,
) -> tuple[list[str], dict[str, str]]:
    """Greedy: the tests kept before, then each candidate by the coverage it adds."""
    covered: set[object] = set()
    kept: list[str] = []
    dropped: dict[str, str] = {}
    order = [n for n in kept_before if n in tests.units] + sorted(
        (n for n in [*tests.units, *unimportable] if n not in kept_before),
        key=lambda n: -len(coverage.get(n, set())),
    )
    for name in order:
        reason = verdicts.get(name) if name in coverage or name in verdicts else "not collected"
        gain = coverage.get(name, set()) - covered
        if reason:
            dropped[name] = reason
        elif not gain and name not in kept_before:
            dropped[name] = "adds no coverage the kept tests lack"
        else:
            kept.append(name)
            covered |= coverage.get(name, set())
    no_gain = [n for n, reason in dropped.items() if reason.startswith("adds no coverage")]
    if isinstance(tests, ForeignTestFile) and no_gain:
        for name in _other_sides(coverage, kept, no_gain, outcome):
            kept.append(name)
            del dropped[name]
    return kept, dropped


def _other_sides(
    coverage: dict[str, set[object]], kept: list[str], candidates: list[str], outcome: RunOutcome
) -> list[str]:
    """Candidates that may take another side of a branch than the kept tests do.

    c8 and JaCoCo name a test's branches only by their index on the line (taken ones first),
    so two tests taking different sides of one `if` look alike. Where the run took more of a
    line's branches than any kept test shows, candidates through that line are kept (those
    taking most branches there first) until as many tests reach the line as the run took
    branches on it: enough for every side, and no more each round."""
    if outcome.coverage is None:
        return []
    taken: dict[object, int] = {}
    for arc in outcome.coverage.executed_branches:
        taken[arc[0]] = taken.get(arc[0], 0) + 1

    def on_line(unit: str, line: object) -> int:
        return sum(
            1 for item in coverage.get(unit, set()) if isinstance(item, tuple) and item[0] == line
        )

    extra: list[str] = []
    for line, count in sorted(taken.items(), key=lambda item: str(item[0])):
        reaching = [unit for unit in [*kept, *extra] if on_line(unit, line)]
        if max((on_line(unit, line) for unit in reaching), default=0) >= count:
            continue
        others = sorted(
            (unit for unit in candidates if unit not in extra and on_line(unit, line)),
            key=lambda unit: -on_line(unit, line),
        )
        extra += others[: max(0, count - len(reaching))]
    return extra


def _tampering(outcome: RunOutcome, tests: AnyTestFile, kept_before: list[str]) -> dict[str, str]:
    """New tests the run's integrity guard caught reaching for the harness (a finding without
    a test, such as forged coverage data, is held against every new test)."""
    found: dict[str, str] = {}
    for finding in outcome.integrity.findings:
        reason = f"tampers with the harness: {finding.detail}"
        named = [tests.unit_of(finding.test)] if finding.test else list(tests.units)
        for name in named:
            if name in tests.units and name not in kept_before:
                found.setdefault(name, reason)
    return found


def _refuse_unrun(
    tests: AnyTestFile, kept_before: list[str]
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Take out of `tests` what is refused before anything runs: the tests that break the
    test policy (and the other statements that do), then those that check nothing. Returns
    both kinds of tests with their reason, and the other statements refused."""
    if not isinstance(tests, TestFile):
        return {}, [], {}  # the test policy reads Python; other tests meet it in the sandbox
    refused, statements = _break_policy(tests, kept_before)
    # a new Python test that checks nothing is dropped whatever it does: it is not run (a
    # property test without an assertion can be the slowest test of the file)
    unchecked = _unchecked(tests, kept_before)
    for name in unchecked:
        tests.remove("units", name)
    return refused, statements, unchecked


def _break_policy(tests: TestFile, kept_before: list[str]) -> tuple[dict[str, str], list[str]]:
    """Take out, before anything runs, the new statements that break the test policy (no
    sockets, processes, writes outside tmp_path, secrets, harness tampering, dynamic code).
    Returns the tests refused with the rule each breaks, and the other statements refused."""
    imports = "\n".join(ast.unparse(node) for node in tests.imports.values())
    header = imports.count("\n") + 1 if imports else 0
    statements: list[str] = []
    for section in ("imports", "helpers"):
        for key, node in list(getattr(tests, section).items()):
            found = policy.violations(ast.Module(body=[node], type_ignores=[]))
            if found:
                statements.append(f"`{key.splitlines()[0]}`: {policy.describe(found)}")
                tests.remove(section, key)
    units: dict[str, str] = {}
    for name, node in list(tests.units.items()):
        if name in kept_before:
            continue
        # with the file's imports, so that `import subprocess as sp; sp.run()` is seen
        found = [v for v in policy.violations(f"{imports}\n{ast.unparse(node)}") if v.line > header]
        if found:
            units[name] = policy.describe([replace(v, line=v.line - header) for v in found])
            tests.remove("units", name)
    return units, statements


def _unchecked(tests: AnyTestFile, kept_before: list[str]) -> dict[str, str]:
    """New tests that check nothing (no assertion, no `pytest.raises`; in JavaScript and Java
    no assert call on a value, no expected error): they are not kept."""
    if isinstance(tests, ForeignTestFile):
        return _unchecked_foreign(tests, kept_before)
    checking = {
        node.name
        for node in tests.helpers.values()
        if isinstance(node, ast.FunctionDef) and checks_something(node, set())
    }
    return {
        name: "checks nothing: no assertion"
        for name, statement in tests.units.items()
        if name not in kept_before and not checks_something(statement, checking)
    }


def _unchecked_foreign(tests: ForeignTestFile, kept_before: list[str]) -> dict[str, str]:
    root = parse(tests.render(), tests.language)
    if root is None:
        return {}
    checking: dict[str, int] = {}
    for test, checks in checks_of(root, tests.language).values():
        unit = (
            test.qualname.split(" > ", 1)[0]
            if tests.language == Language.JAVASCRIPT
            else (test.qualname)
        )
        checking[unit] = checking.get(unit, 0) + checks.value
    return {
        name: "checks nothing: no assertion"
        for name in tests.units
        if name not in kept_before and name in checking and not checking[name]
    }


def _run_importable(
    source: SourceUnit,
    tests: AnyTestFile,
    kept_before: list[str],
    sandbox: Sandbox,
    options: RunOptions,
    *,
    measure: Measurements,
) -> tuple[RunOutcome, list[str], dict[str, str]]:
    """Run the whole file; while it fails to import on a statement that is not a kept test,
    take that statement out and run again. Returns the last run, the statements taken out
    (`text: error`) and the tests among them with their reason."""
    removed: list[str] = []
    unimportable: dict[str, str] = {}
    for _ in range(MAX_IMPORT_REPAIRS + 1):
        candidate = GeneratedTests(code=tests.render(), filename=_file_name(source))
        outcome = measure.run(source, candidate, sandbox, options)
        if not outcome.collection_errors or len(removed) == MAX_IMPORT_REPAIRS:
            break
        message = outcome.collection_errors[0].message
        culprit = _failing_statement(tests, message, _file_name(source))
        if culprit is None or (culprit[0] == "units" and culprit[1] in kept_before):
            break
        section, key = culprit
        error = _first_error_line(message)
        if section == "units":
            unimportable[key] = f"fails when the file is imported: {error}"
            removed.append(f"{key}: {error}")
        else:
            first_line = key.splitlines()[0]
            removed.append(f"`{first_line}`: {error}")
        tests.remove(section, key)
    return outcome, removed, unimportable


def _failing_statement(tests: AnyTestFile, message: str, filename: str) -> tuple[str, str] | None:
    """The statement a collection error's traceback points at in the test file."""
    lines = re.findall(rf"(?:^|[\\/]){re.escape(filename)}:(\d+): in <module>", message, re.M)
    return tests.statement_at(int(lines[-1])) if lines else None


def _mutant_killers(
    source: SourceUnit,
    tests: TestFile,
    kept: list[str],
    candidates: list[str],
    *,
    outcome: RunOutcome,
    sandbox: Sandbox,
    options: RunOptions,
    measure: Measurements,
) -> list[str]:
    """Candidates that kill a mutant none of the kept tests kills (kept tests run first)."""
    from agentic_testgen.languages.python._adapter import PythonAdapter  # noqa: PLC0415
    from agentic_testgen.languages.python._mutation import run_mutants  # noqa: PLC0415

    code = GeneratedTests(code=tests.render([*kept, *candidates]), filename=_file_name(source))
    first = frozenset(t.nodeid for t in outcome.tests if _unit_of(t.nodeid) in kept)
    # what the kept tests were seen to kill before is not tried again: a candidate can only
    # earn its place on another mutant
    skip = measure.killed_by([_kill_key(tests, name) for name in kept])
    mutation = measure.mutants(
        source, code, options, first,
        lambda: run_mutants(
            source, code, outcome, sandbox, options=options, lay_out=PythonAdapter()._lay_out,
            first=first, skip=skip,
        ),
    )  # fmt: skip
    measure.record_kills(mutation, lambda nodeid: _kill_key(tests, _unit_of(nodeid)))
    killers = {_unit_of(m.killed_by) for m in mutation.mutants if m.killed_by}
    return [name for name in candidates if name in killers]


def _kill_key(tests: TestFile, name: str) -> str:
    """A test's identity for the mutants it kills: its text and the file's other statements
    (a new helper or import may change what it does)."""
    unit = tests.units.get(name)
    body = ast.unparse(unit) if unit is not None else name
    return "\n".join([*tests.imports, *tests.helpers, body])


def kept_mutation_score(
    source: SourceUnit,
    tests: TestFile,
    kept: list[str],
    outcome: RunOutcome,
    *,
    sandbox: Sandbox,
    options: RunOptions,
    measure: Measurements,
) -> float | None:
    """The mutation score of the kept tests (None: no mutant was covered), from `outcome`'s
    evidence of them; measured once per kept set."""
    from agentic_testgen.languages.python._adapter import PythonAdapter  # noqa: PLC0415
    from agentic_testgen.languages.python._mutation import run_mutants  # noqa: PLC0415

    run_options = replace(options, mutation=False)
    code = GeneratedTests(code=tests.render(kept), filename=_file_name(source))
    theirs = outcome.model_copy(
        update={"tests": tuple(t for t in outcome.tests if _unit_of(t.nodeid) in kept)}
    )
    mutation = measure.mutants(
        source, code, run_options, frozenset(),
        lambda: run_mutants(
            source, code, theirs, sandbox, options=run_options,
            lay_out=PythonAdapter()._lay_out,
        ),
    )  # fmt: skip
    measure.record_kills(mutation, lambda nodeid: _kill_key(tests, _unit_of(nodeid)))
    return mutation.score
