"""The static metrics on JavaScript and Java code, read through tree-sitter: hand-counted."""

from __future__ import annotations

import pytest

from agentic_testgen.domain import (
    GeneratedTests,
    Language,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.evals.metrics import (
    Assertions,
    Completeness,
    Determinism,
    Readability,
    _foreign,
)

JS_MODULE = """\
function clamp(x, lo, hi) {
  if (lo > hi) {
    throw new RangeError('lo > hi');
  }
  return Math.min(Math.max(x, lo), hi);
}
const double = (x) => x * 2;
class Stack {
  constructor() { this.items = []; }
  push(x) { this.items.push(x); }
  pop() {
    if (this.items.length === 0) throw new Error('empty');
    return this.items.pop();
  }
}
module.exports = { clamp, double, Stack };
"""

JS_TESTS = """\
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { clamp, double, Stack } = require('./clamp');

describe('clamp', () => {
  test('keeps values inside the range', () => {
    assert.equal(clamp(5, 0, 10), 5);
  });
  test('rejects an inverted range', () => {
    assert.throws(() => clamp(1, 2, -1), RangeError);
  });
});
test('doubles a number', () => { assert.ok(double(2)); });
test('works', () => { const s = new Stack(); assert.ok(s); });
test('calls without checking', () => { double(3); });
test('draws a random number', () => {
  assert.equal(typeof Math.random(), 'number');
});
test('draws a fixed number', (t) => {
  t.mock.method(Math, 'random', () => 0.5);
  assert.equal(Math.random(), 0.5);
});
"""

JAVA_MODULE = """\
package atg.examples;

public class Account {
    private long balance;

    public Account(long opening) {
        if (opening < 0) {
            throw new IllegalArgumentException("negative");
        }
        this.balance = opening;
    }

    public long balance() {
        return balance;
    }

    public void withdraw(long amount) {
        if (amount > balance) throw new IllegalStateException("overdrawn");
        balance -= amount;
    }
}
"""

JAVA_TESTS = """\
package atg.examples;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountTest {
    @Test
    void opensWithTheGivenBalance() {
        assertEquals(10, new Account(10).balance());
    }

    @Test
    void refusesANegativeOpening() {
        assertThrows(IllegalArgumentException.class, () -> new Account(-1));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "5, 5"})
    void withdrawsWithinTheBalance(long amount, long left) {
        Account account = new Account(10);
        account.withdraw(amount);
        check(account, 10 - amount);
    }

    @Test
    void test1() {
        assertNotNull(new Account(0));
    }

    @Test
    void usesTheClock() {
        long now = System.currentTimeMillis();
        assertTrue(now > 0);
    }

    private void check(Account account, long expected) {
        assertEquals(expected, account.balance());
    }
}
"""


def _unit(code: str, language: Language) -> SourceUnit:
    name = "clamp" if language == Language.JAVASCRIPT else "Account"
    return SourceUnit(path=name, code=code, module_name=name, language=language)


def _tests(code: str, filename: str) -> GeneratedTests:
    return GeneratedTests(code=code, filename=filename)


def test_javascript_tests_are_found_inside_their_suites() -> None:
    root = _foreign.parse(JS_TESTS, Language.JAVASCRIPT)
    assert root is not None
    names = [test.qualname for test in _foreign.tests_in(root, Language.JAVASCRIPT)]
    assert names == [
        "clamp > keeps values inside the range",
        "clamp > rejects an inverted range",
        "doubles a number",
        "works",
        "calls without checking",
        "draws a random number",
        "draws a fixed number",
    ]


def test_java_tests_are_the_annotated_methods_with_their_cases() -> None:
    root = _foreign.parse(JAVA_TESTS, Language.JAVA)
    assert root is not None
    found = {t.qualname: t.cases for t in _foreign.tests_in(root, Language.JAVA)}
    assert found == {
        "opensWithTheGivenBalance": 1,
        "refusesANegativeOpening": 1,
        "withdrawsWithinTheBalance": 2,
        "test1": 1,
        "usesTheClock": 1,
    }


def test_module_functions_and_their_own_statement_lines() -> None:
    js = _foreign.parse(JS_MODULE, Language.JAVASCRIPT)
    java = _foreign.parse(JAVA_MODULE, Language.JAVA)
    assert js is not None and java is not None
    assert _foreign.module_functions(js, Language.JAVASCRIPT) == {
        "clamp": {2, 3, 5},
        "double": {7},
        "Stack.constructor": {9},
        "Stack.push": {10},
        "Stack.pop": {12, 13},
    }
    assert _foreign.module_functions(java, Language.JAVA) == {
        "Account.Account": {7, 8, 10},
        "Account.balance": {14},
        "Account.withdraw": {18, 19},
    }


def test_assertions_count_value_and_trivial_checks() -> None:
    js = Assertions().compute(
        RunOutcome(), _unit(JS_MODULE, Language.JAVASCRIPT), _tests(JS_TESTS, "clamp.test.js")
    )
    # value, value, value (a call's truth), trivial (a bare name), none, value, value
    assert js.value == pytest.approx((5 + 0.25) / 7)
    assert js.details["tests_without_assertions"] == ["calls without checking"]
    assert js.details["tests_with_only_trivial_assertions"] == ["works"]
    java = Assertions().compute(
        RunOutcome(), _unit(JAVA_MODULE, Language.JAVA), _tests(JAVA_TESTS, "AccountTest.java")
    )
    # a helper's assertEquals counts for the parametrized test (2 cases); assertNotNull is trivial
    assert java.value == pytest.approx((1 + 1 + 2 + 0.25 + 1) / 6)
    assert java.details["tests_with_only_trivial_assertions"] == ["test1"]


def _passing(nodeid: str, lines: tuple[int, ...]) -> TestResult:
    return TestResult(nodeid=nodeid, outcome=TestOutcome.PASSED, duration_s=0.01, lines=lines)


def test_completeness_reads_functions_inputs_and_exceptions() -> None:
    outcome = RunOutcome(
        tests=(
            _passing("clamp.test.js::clamp > keeps values inside the range", (1, 2, 5)),
            _passing("clamp.test.js::doubles a number", (7,)),
        )
    )
    value = Completeness().compute(
        outcome, _unit(JS_MODULE, Language.JAVASCRIPT), _tests(JS_TESTS, "clamp.test.js")
    )
    details = value.details
    assert details["functions_exercised"] == ["clamp", "double"]
    assert details["boundary_kinds"] == ["negative", "zero"]
    assert details["exceptions_raised"] == ["Error", "RangeError"]
    assert details["exceptions_checked"] == ["RangeError"]
    expected = (0.70 * 2 / 5 + 0.15 * 2 / 3 + 0.15 * 0.5) / 1.0
    assert value.value == pytest.approx(expected)
    java = Completeness().compute(
        RunOutcome(tests=(_passing("AccountTest::opensWithTheGivenBalance()", (7, 10, 14)),)),
        _unit(JAVA_MODULE, Language.JAVA),
        _tests(JAVA_TESTS, "AccountTest.java"),
    )
    assert java.details["functions_exercised"] == ["Account.Account", "Account.balance"]
    assert java.details["boundary_kinds"] == ["negative", "zero"]
    assert java.details["exceptions_checked"] == ["IllegalArgumentException"]
    assert java.value == pytest.approx(0.70 * 2 / 3 + 0.15 * 2 / 3 + 0.15 * 0.5)


def test_determinism_flags_unpatched_chance_and_clock_calls() -> None:
    js_tests = [
        _passing(f"clamp.test.js::{name}", (1,))
        for name in ("doubles a number", "draws a random number", "draws a fixed number")
    ]
    js = Determinism().compute(
        RunOutcome(tests=tuple(js_tests)),
        _unit(JS_MODULE, Language.JAVASCRIPT),
        _tests(JS_TESTS, "clamp.test.js"),
    )
    assert js.details["tests_with_static_findings"] == ["draws a random number"]
    assert js.value == pytest.approx(1 - 0.5 / 3)
    java_tests = [
        _passing("AccountTest::usesTheClock()", (14,)),
        _passing("AccountTest::test1()", (7,)),
    ]
    flaky_rerun = {"AccountTest::test1()": TestOutcome.FAILED}
    java = Determinism().compute(
        RunOutcome(tests=tuple(java_tests), reruns=(flaky_rerun,)),
        _unit(JAVA_MODULE, Language.JAVA),
        _tests(JAVA_TESTS, "AccountTest.java"),
    )
    assert java.details["flaky_tests"] == ["AccountTest::test1()"]
    assert java.details["tests_with_static_findings"] == ["usesTheClock"]
    assert java.value == pytest.approx(1 - (1 + 0.5) / 2)


def test_readability_reads_titles_names_and_copies() -> None:
    js = Readability().compute(
        RunOutcome(), _unit(JS_MODULE, Language.JAVASCRIPT), _tests(JS_TESTS, "clamp.test.js")
    )
    assert js.details["generic_names"] == ["works"]
    java = Readability().compute(
        RunOutcome(), _unit(JAVA_MODULE, Language.JAVA), _tests(JAVA_TESTS, "AccountTest.java")
    )
    assert java.details["generic_names"] == ["test1"]
    copied = JAVA_TESTS.replace(
        "    @Test\n    void test1()",
        "    @Test\n    void opensWithAnotherBalance() {\n"
        "        assertEquals(20, new Account(20).balance());\n    }\n\n"
        "    @Test\n    void test1()",
    )
    again = Readability().compute(
        RunOutcome(), _unit(JAVA_MODULE, Language.JAVA), _tests(copied, "AccountTest.java")
    )
    assert again.details["duplicate_groups"] == [
        ["opensWithTheGivenBalance", "opensWithAnotherBalance"]
    ]


def test_code_that_does_not_parse_scores_zero() -> None:
    broken = _tests("test('x', () => { assert.equal(1, ; });", "x.test.js")
    value = Assertions().compute(RunOutcome(), _unit(JS_MODULE, Language.JAVASCRIPT), broken)
    assert value.value == 0.0
    assert value.details["reason"] == "the tests do not parse"
