"""JavaScript mutation testing against real node:test in the bubblewrap sandbox."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.domain import Language, MutantResult, MutantStatus, RunOutcome
from agentic_testgen.evals import evaluate, mutation
from agentic_testgen.evals.mutation import TextMutant, text_mutants
from agentic_testgen.languages import RunOptions
from agentic_testgen.languages.javascript import JavaScriptAdapter
from agentic_testgen.sandbox import Sandbox
from tests.languages.javascript.conftest import js_source, js_tests

Mutate = Callable[..., RunOutcome]

KILLED, SURVIVED = MutantStatus.KILLED, MutantStatus.SURVIVED
TIMEOUT, NO_COVERAGE = MutantStatus.TIMEOUT, MutantStatus.NO_COVERAGE


def _run(
    sandbox: Sandbox,
    module_code: str,
    tests_code: str,
    *,
    module: str = "calc.js",
    tests: str = "test_calc.js",
    reruns: int = 1,
    max_mutants: int | None = None,
    seed: int = 0,
) -> RunOutcome:
    options = RunOptions(
        reruns=reruns,
        parallel=2,
        test_timeout_s=3.0,
        mutation=True,
        max_mutants=max_mutants,
        mutation_seed=seed,
    )
    return JavaScriptAdapter().run(
        js_source(module_code, module), js_tests(tests_code, tests), sandbox, options
    )


@pytest.fixture
def mutate(node_tools: Path, sandbox: Sandbox) -> Mutate:
    """Run a module and its tests (dedented) with mutation testing on, in the real sandbox."""

    def run(module_code: str, tests_code: str, **options: object) -> RunOutcome:
        return _run(sandbox, module_code, tests_code, **options)  # type: ignore[arg-type]

    return run


def by_place(outcome: RunOutcome) -> dict[tuple[int, str, str], MutantResult]:
    """Each mutant by (line, operator, mutated text)."""
    assert outcome.mutation is not None
    return {(m.line, m.operator, m.mutated): m for m in outcome.mutation.mutants}


def statuses(outcome: RunOutcome) -> dict[tuple[int, str, str], MutantStatus]:
    return {place: mutant.status for place, mutant in by_place(outcome).items()}


GRADE_CJS = """
function isAdult(age) {
  return age >= 18;
}

function total(prices) {
  let sum = 0;
  for (const price of prices) {
    sum += price;
  }
  return sum;
}

module.exports = { isAdult, total };
"""

GRADE_ESM = GRADE_CJS.replace("function ", "export function ").replace(
    "module.exports = { isAdult, total };", ""
)

WEAK = """
test('adults', () => {
  assert.strictEqual(isAdult(30), true);
  assert.strictEqual(isAdult(5), false);
});

test('totals', () => {
  assert.strictEqual(total([1, 2]), 3);
});
"""

STRONG = (
    WEAK
    + """
test('the boundary', () => {
  assert.strictEqual(isAdult(18), true);
  assert.strictEqual(isAdult(17), false);
});
"""
)

CJS_HEADER = """
const { test } = require('node:test');
const assert = require('node:assert');
const { isAdult, total } = require('./grade');
"""

ESM_HEADER = """
import { test } from 'node:test';
import assert from 'node:assert';
import { isAdult, total } from './grade.mjs';
"""

KINDS = {
    "commonjs": (GRADE_CJS, "grade.js", CJS_HEADER, "test_grade.js"),
    "es module": (GRADE_ESM, "grade.mjs", ESM_HEADER, "grade.test.mjs"),
}

# what the weak tests make of every mutant, counted by hand
WEAK_VERDICTS = {
    (2, "return-value", "return undefined;"): KILLED,
    (2, "boundary", "age > 18"): SURVIVED,  # nothing is 18
    (2, "number", "19"): SURVIVED,
    (6, "number", "1"): KILLED,
    (8, "augmented-assignment", "sum -= price"): KILLED,
    (10, "return-value", "return undefined;"): KILLED,
}


@pytest.mark.parametrize("kind", KINDS)
def test_weak_tests_leave_survivors_at_the_boundary_and_strong_tests_kill_them(
    mutate: Mutate, kind: str
) -> None:
    module_code, module, header, tests = KINDS[kind]
    weak = mutate(module_code, header + WEAK, module=module, tests=tests)
    assert weak.integrity.ok, weak.integrity
    assert statuses(weak) == WEAK_VERDICTS
    assert weak.mutation is not None
    assert weak.mutation.score == pytest.approx(4 / 6)  # killed / (killed + survived)
    boundary = by_place(weak)[(2, "boundary", "age > 18")]
    assert (boundary.original, boundary.tests_run, boundary.killed_by) == ("age >= 18", 1, None)
    assert not boundary.import_time and (boundary.end_line, boundary.end_col) == (2, 18)
    killed = by_place(weak)[(8, "augmented-assignment", "sum -= price")]
    assert killed.killed_by == f"{tests}::totals" and killed.duration_s > 0

    strong = mutate(module_code, header + STRONG, module=module, tests=tests)
    assert statuses(strong) == dict.fromkeys(WEAK_VERDICTS, KILLED)
    assert strong.mutation is not None and strong.mutation.score == 1.0
    # the boundary is judged by the two tests that ran its line, and killed by the second
    boundary = by_place(strong)[(2, "boundary", "age > 18")]
    assert (boundary.tests_run, boundary.killed_by) == (2, f"{tests}::the boundary")


LOOP = """
function countdown(n) {
  let steps = 0;
  while (n > 0) {
    n--;
    steps++;
  }
  return steps;
}

function twice(x) {
  return x * 2;
}

function shout(text) {
  return text + '!';
}

module.exports = { countdown, twice, shout };
"""

LOOP_TESTS = """
const { test } = require('node:test');
const assert = require('node:assert');
const { countdown, twice } = require('./calc');

test('counts down', () => {
  assert.strictEqual(countdown(3), 3);
});

test('doubles', () => {
  assert.strictEqual(twice(4), 8);
});
"""


@pytest.fixture(scope="module")
def loop_outcome(node_tools: Path, sandbox: Sandbox) -> RunOutcome:
    return _run(sandbox, LOOP, LOOP_TESTS)


def test_an_endless_loop_mutant_times_out_and_the_later_mutants_still_run(
    loop_outcome: RunOutcome,
) -> None:
    found = by_place(loop_outcome)
    endless = found[(4, "augmented-assignment", "n++")]
    assert endless.status == TIMEOUT
    # its limit: 10 times what its test took, plus 1 s, counted from the first test's start
    assert endless.duration_s < 5.0
    later = [m for m in found.values() if m.id > endless.id and m.line < 14]
    assert later and all(m.status == KILLED for m in later), later
    assert loop_outcome.mutation is not None
    # timeouts count as killed; the mutants of shout are not counted
    assert loop_outcome.mutation.score == 1.0


def test_mutants_no_passing_test_ran_are_no_coverage_and_not_run(
    loop_outcome: RunOutcome,
) -> None:
    found = by_place(loop_outcome)
    unrun = {place: m for place, m in found.items() if place[0] == 15}
    assert {place[1] for place in unrun} == {"return-value", "arithmetic", "string"}
    assert all(m.status == NO_COVERAGE and m.tests_run == 0 for m in unrun.values())
    assert all(m.duration_s == 0.0 for m in unrun.values())


RATES = """
const RATE = 0.2;
const LABEL = 'vat';

function tax(amount) {
  return amount * RATE;
}

module.exports = { tax, RATE, LABEL };
"""

RATES_TESTS = """
const { test } = require('node:test');
const assert = require('node:assert');
const { tax } = require('./calc');

test('taxes', () => {
  assert.strictEqual(tax(100), 20);
});

test('taxes nothing', () => {
  assert.strictEqual(tax(0), 0);
});
"""


def test_module_level_mutants_run_against_every_passing_test(mutate: Mutate) -> None:
    outcome = mutate(RATES, RATES_TESTS)
    found = by_place(outcome)
    rate = found[(1, "number", "1.2")]
    label = found[(2, "string", "'XXvatXX'")]
    assert rate.import_time and label.import_time
    assert (rate.status, rate.tests_run, rate.killed_by) == (KILLED, 2, "test_calc.js::taxes")
    assert (label.status, label.tests_run) == (SURVIVED, 2)  # no test reads the label
    assert not found[(5, "arithmetic", "amount / RATE")].import_time


def test_sampling_is_deterministic_for_a_seed(mutate: Mutate) -> None:
    first = mutate(LOOP, LOOP_TESTS, max_mutants=3, seed=7)
    again = mutate(LOOP, LOOP_TESTS, max_mutants=3, seed=7)
    assert first.mutation is not None and again.mutation is not None
    assert first.mutation.sampled and first.mutation.seed == 7

    def chosen(outcome: RunOutcome) -> set[int]:
        assert outcome.mutation is not None
        return {m.id for m in outcome.mutation.mutants if m.status != MutantStatus.NOT_SAMPLED}

    expected = {m.id for m in random.Random(7).sample(text_mutants(LOOP, Language.JAVASCRIPT), 3)}
    assert chosen(first) == chosen(again) == expected
    assert len(first.mutation.mutants) == len(text_mutants(LOOP, Language.JAVASCRIPT))


STACK = """
class Stack {
  constructor() {
    this.items = [];
  }
  push(x) {
    this.items.push(x);
  }
  pop() {
    const spare = 0;
    return this.items.pop();
  }
  peek() {
    return this.items[this.items.length - 1];
  }
}

module.exports = { Stack };
"""

STACK_TESTS = """
const { test } = require('node:test');
const assert = require('node:assert');
const { Stack } = require('./calc');

const shared = new Stack();

test('pushes', () => {
  shared.push(1);
  shared.push(2);
});

test('pops what was pushed', () => {
  assert.strictEqual(shared.pop(), 2);
});

test('group', async (t) => {
  await t.test('peeks', () => {
    const stack = new Stack();
    stack.push(5);
    assert.strictEqual(stack.peek(), 5);
  });
  await t.test('always fails', () => {
    assert.fail('no');
  });
});
"""


def test_a_test_that_needs_an_earlier_test_is_judged_after_it(mutate: Mutate) -> None:
    outcome = mutate(STACK, STACK_TESTS)
    found = by_place(outcome)
    # `pops what was pushed` fails on the unchanged stack when it runs alone: its verdicts are
    # taken again with the tests that ran before it, so a mutant that changes nothing survives
    spare = found[(9, "number", "1")]
    assert (spare.status, spare.tests_run) == (SURVIVED, 1)
    pop = found[(10, "return-value", "return undefined;")]
    assert (pop.status, pop.killed_by) == (KILLED, "test_calc.js::pops what was pushed")
    # a passing subtest of a failing test judges the mutants it ran
    peek = found[(13, "arithmetic", "this.items.length + 1")]
    assert (peek.status, peek.killed_by) == (KILLED, "test_calc.js::group > peeks")
    assert outcome.mutation is not None
    assert (outcome.mutation.count(KILLED), outcome.mutation.count(SURVIVED)) == (5, 1)


FLAKY_TESTS = """
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { add, sub } = require('./calc');

test('adds', () => {
  assert.strictEqual(add(2, 3), 5);
});

test('subtracts once', () => {
  // passes the first time in a sandbox, fails every later time: flaky over the reruns
  const marker = path.join(os.tmpdir(), 'atg-flaky-marker');
  assert.ok(!fs.existsSync(marker));
  fs.writeFileSync(marker, '');
  assert.strictEqual(sub(5, 3), 2);
});
"""


def test_flaky_tests_judge_no_mutant(mutate: Mutate) -> None:
    module = """
    function add(a, b) {
      return a + b;
    }
    function sub(a, b) {
      return a - b;
    }
    module.exports = { add, sub };
    """
    outcome = mutate(module, FLAKY_TESTS, reruns=2)
    assert "test_calc.js::subtracts once" in outcome.flaky_nodeids()
    found = by_place(outcome)
    assert found[(2, "arithmetic", "a - b")].status == KILLED
    assert found[(5, "arithmetic", "a + b")].status == NO_COVERAGE


def test_a_mutant_that_does_not_compile_is_an_error(
    mutate: Mutate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No operator makes a mutant that does not parse from code that does (a swapped `??` is
    parenthesized); one made anyway, here added to the real ones, is an error, not a kill."""
    module = """
    export function pick(a, b, c) {
      return a ?? b ?? c;
    }
    """
    tests = """
    import { test } from 'node:test';
    import assert from 'node:assert';
    import { pick } from './calc.mjs';
    test('picks', () => {
      assert.strictEqual(pick(null, 2, 3), 2);
    });
    """
    real = mutation.text_mutants

    def with_a_broken_one(code: str, language: Language) -> list[TextMutant]:
        made = real(code, language)
        start = code.encode().index(b"a ?? b")
        line = code.encode()[:start].count(b"\n") + 1
        col = start - code.encode().rindex(b"\n", 0, start) - 1
        broken = replace(made[0], id=len(made) + 1, operator="boolean", start=start,
                         end=start + 6, original="a ?? b", mutated="a &&& b", line=line,
                         col=col, end_line=line, end_col=col + 6, import_time=False)  # fmt: skip
        return [*made, broken]

    monkeypatch.setattr(mutation, "text_mutants", with_a_broken_one)
    outcome = mutate(module, tests, module="calc.mjs", tests="test_calc.mjs")
    found = by_place(outcome)
    # the real ones parse: (null && 2) ?? 3 and (null ?? 2) && 3 are 3, not 2
    assert found[(2, "boolean", "(a && b)")].status == KILLED
    assert found[(2, "boolean", "(a ?? b) && c")].status == KILLED
    assert found[(2, "boolean", "a &&& b")].status == MutantStatus.ERROR
    assert found[(2, "return-value", "return undefined;")].status == KILLED
    assert outcome.mutation is not None
    assert any("do not compile" in note for note in outcome.mutation.notes)


def test_evaluate_gives_a_mutation_score_for_javascript(node_tools: Path, sandbox: Sandbox) -> None:
    module_code, module, header, tests = KINDS["commonjs"]
    settings = Settings(run=RunSettings(reruns=1, test_timeout_s=3.0, mutation=True))
    evaluated = evaluate(
        js_source(module_code, module), js_tests(header + WEAK, tests), settings, sandbox
    )
    metric = evaluated.metrics["mutation_score"]
    assert metric.value == pytest.approx(4 / 6)
    details = metric.details
    assert (details["killed"], details["survived"], details["mutants"]) == (4, 2, 6)
    assert {(m["line"], m["mutated"]) for m in details["surviving_mutants"]} == {
        (2, "age > 18"),
        (2, "19"),
    }
