"""The JavaScript adapter against real node:test, V8 coverage and bubblewrap."""

from __future__ import annotations

import time
from pathlib import Path

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.domain import EvalResult, Language, TestOutcome
from agentic_testgen.evals import evaluate
from agentic_testgen.languages import get_adapter, language_for_path
from agentic_testgen.languages.javascript import JavaScriptAdapter
from agentic_testgen.sandbox import Sandbox
from tests.languages.javascript.conftest import RunJs, js_source, js_tests, outcomes, result

CALC = """
function add(a, b) {
  return a + b;
}

function sign(n) {
  if (n < 0) {
    return -1;
  }
  return n === 0 ? 0 : 1;
}

module.exports = { add, sign };
"""

CALC_TESTS = """
const { test, describe, it } = require('node:test');
const assert = require('node:assert');
const { add, sign } = require('./calc');

test('adds', () => {
  assert.strictEqual(add(2, 3), 5);
});

test('adds wrongly', () => {
  assert.strictEqual(add(2, 2), 5, 'two and two make five');
});

describe('sign', () => {
  it('of a negative number', () => {
    assert.strictEqual(sign(-4), -1);
  });
  it.skip('of zero, skipped', () => {
    assert.strictEqual(sign(0), 0);
  });
  it.todo('of NaN');
});

test('skips itself', (t) => {
  t.skip('not today');
});

test('never calls the module', () => {
  assert.ok(true);
});
"""


def test_each_test_gets_node_tests_own_verdict(run_js: RunJs) -> None:
    outcome = run_js(CALC, CALC_TESTS)
    assert outcomes(outcome) == {
        "adds": TestOutcome.PASSED,
        "adds wrongly": TestOutcome.FAILED,
        "sign > of a negative number": TestOutcome.PASSED,
        "sign > of zero, skipped": TestOutcome.SKIPPED,
        "sign > of NaN": TestOutcome.SKIPPED,
        "skips itself": TestOutcome.SKIPPED,
        "never calls the module": TestOutcome.PASSED,
    }
    assert result(outcome, "adds").nodeid == "test_calc.js::adds"
    failure = result(outcome, "adds wrongly").failure
    # where in the test file, then what went wrong
    assert failure == (
        "at test_calc.js:10:10\nAssertionError [ERR_ASSERTION]: two and two make five\n\n4 !== 5"
    )
    assert outcome.syntax_error is None and not outcome.collection_errors
    assert outcome.integrity.ok and outcome.mutation is None
    assert outcome.sandbox == "bwrap"


def test_each_test_records_the_module_lines_and_branches_it_ran(run_js: RunJs) -> None:
    outcome = run_js(CALC, CALC_TESTS)
    adds = result(outcome, "adds")
    assert adds.lines == (1, 2) and adds.reached_module  # a closing brace alone says nothing
    negative = result(outcome, "sign > of a negative number")
    assert negative.lines == (5, 6, 7)  # not the line after the early return
    assert negative.branches == ((5, 0),)  # the function's block (its if-block ran every time)
    never = result(outcome, "never calls the module")
    assert never.lines == () and never.branches == () and not never.reached_module
    assert result(outcome, "sign > of zero, skipped").lines == ()
    coverage = outcome.coverage
    assert coverage is not None
    assert set(adds.lines) | set(negative.lines) <= set(coverage.executed_lines)
    # c8 counts a line covered unless a never-run range spans all of it: line 9's `;` is
    # outside the range V8 marks unrun, so the line is covered and only its branch is missed
    assert 9 in coverage.executed_lines and (9, 0) in coverage.missing_branches
    assert set(negative.branches) <= set(coverage.executed_branches)


def test_a_flaky_test_changes_its_verdict_between_runs(run_js: RunJs) -> None:
    tests = """
    const { test } = require('node:test');
    const assert = require('node:assert');
    const fs = require('node:fs');
    const { add } = require('./calc');

    test('steady', () => assert.strictEqual(add(1, 1), 2));

    test('fails every other run', () => {
      let runs = 0;
      try { runs = Number(fs.readFileSync('runs.txt', 'utf8')); } catch {}
      fs.writeFileSync('runs.txt', String(runs + 1));
      assert.strictEqual(runs % 2, 0, `run ${runs}`);
    });
    """
    outcome = run_js(CALC, tests, reruns=3, parallel=1)
    flaky = "test_calc.js::fails every other run"
    assert outcome.flaky_nodeids() == {flaky}
    assert [rerun[flaky] for rerun in outcome.reruns] == [
        TestOutcome.FAILED,
        TestOutcome.PASSED,
        TestOutcome.FAILED,
    ]
    assert {rerun["test_calc.js::steady"] for rerun in outcome.reruns} == {TestOutcome.PASSED}


def test_tests_past_their_time_limit_time_out_and_the_rest_is_measured(run_js: RunJs) -> None:
    tests = """
    const { test } = require('node:test');
    const assert = require('node:assert');
    const { add, sign } = require('./calc');

    test('before', () => assert.strictEqual(add(1, 2), 3));
    test('awaits forever', async () => { await new Promise(() => {}); });
    test('loops forever', () => { while (true) {} });
    test('after', () => assert.strictEqual(sign(-1), -1));
    """
    start = time.monotonic()
    outcome = run_js(CALC, tests, timeout=1.0, reruns=2)
    took = time.monotonic() - start
    assert outcomes(outcome) == {
        "before": TestOutcome.PASSED,
        "awaits forever": TestOutcome.TIMEOUT,
        "loops forever": TestOutcome.TIMEOUT,
        "after": TestOutcome.PASSED,
    }
    assert "time limit of 1 s" in (result(outcome, "awaits forever").failure or "")
    assert "stopped" in (result(outcome, "loops forever").failure or "")
    assert any("loops forever: timeout" in note for note in outcome.notes)
    assert result(outcome, "after").lines == (5, 6, 7)
    assert len(outcome.reruns) == 2 and not outcome.flaky_nodeids()
    # each hang costs its limit once: the later runs do not run it again
    assert took < 12


def test_syntax_errors_are_reported_without_running_tests(run_js: RunJs) -> None:
    broken_tests = "const { test } = require('node:test');\ntest('x', () => {\n  let = ;\n});\n"
    outcome = run_js(CALC, broken_tests)
    assert outcome.syntax_error == "test_calc.js:3:9: SyntaxError: Unexpected token ';'"
    assert outcome.tests == () and outcome.coverage is None
    outcome = run_js("export const a = ;\n", "import { a } from './calc.mjs';\n", module="calc.mjs")
    assert outcome.syntax_error == "calc.mjs:1:18: SyntaxError: Unexpected token ';'"
    # an ES module in a .js file is checked as the module node would load it as
    outcome = run_js("import fs from 'node:fs';\nexport const a = ;\n", "require('./calc');\n")
    assert outcome.syntax_error == "calc.js:2:18: SyntaxError: Unexpected token ';'"


def test_es_modules_run_too(run_js: RunJs) -> None:
    module = """
    export const twice = (x) => x * 2;
    export default function half(x) {
      return x / 2;
    }
    """
    tests = """
    import { test } from 'node:test';
    import assert from 'node:assert/strict';
    import half, { twice } from './calc.mjs';

    test('twice', () => assert.equal(twice(4), 8));
    test('half', async () => assert.equal(half(4), 2));
    """
    outcome = run_js(module, tests, module="calc.mjs", tests="calc.test.mjs")
    assert outcomes(outcome) == {"twice": TestOutcome.PASSED, "half": TestOutcome.PASSED}
    assert result(outcome, "twice").nodeid == "calc.test.mjs::twice"
    assert result(outcome, "twice").lines == (1,)  # the arrow function on the export line
    assert result(outcome, "half").lines == (2, 3)
    # a .js file with import/export is loaded as an ES module, as node decides
    plain = run_js(module, tests.replace("calc.mjs", "calc.js"), tests="calc.test.js")
    assert set(outcomes(plain).values()) == {TestOutcome.PASSED}
    assert plain.coverage == outcome.coverage


def test_a_test_file_named_without_a_javascript_extension_runs_as_js(run_js: RunJs) -> None:
    outcome = run_js(CALC, CALC_TESTS, tests="test_generated.py")
    assert result(outcome, "adds").nodeid == "test_generated.js::adds"


def test_a_test_file_that_cannot_load_is_a_collection_error(run_js: RunJs) -> None:
    outcome = run_js(CALC, "const { f } = require('./missing');\n")
    assert outcome.tests == ()
    (error,) = outcome.collection_errors
    assert "Cannot find module './missing'" in error.message
    assert outcome.coverage is None


def test_a_failing_suite_hook_is_reported_and_its_tests_are_errors(run_js: RunJs) -> None:
    tests = """
    const { describe, it, before } = require('node:test');
    describe('broken', () => {
      before(() => { throw new Error('no database'); });
      it('needs the database', () => {});
    });
    """
    outcome = run_js(CALC, tests)
    assert outcomes(outcome) == {"broken > needs the database": TestOutcome.ERROR}
    (error,) = outcome.collection_errors
    assert error.nodeid == "test_calc.js::broken" and "no database" in error.message


def test_a_secret_in_a_failure_message_is_scrubbed(run_js: RunJs) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    tests = f"""
    const {{ test }} = require('node:test');
    const assert = require('node:assert');
    test('leaks', () => assert.fail('token={token}'));
    """
    failure = result(run_js(CALC, tests), "leaks").failure or ""
    assert token not in failure and "REDACTED" in failure


def test_the_adapter_is_registered_for_javascript_files(tmp_path: Path) -> None:
    assert isinstance(get_adapter("javascript"), JavaScriptAdapter)
    for name in ("a.js", "a.mjs", "a.cjs"):
        assert language_for_path(Path(name)) == Language.JAVASCRIPT
    path = tmp_path / "slug.mjs"
    path.write_text("export const slug = (s) => s;\n")
    source = JavaScriptAdapter().read_source(path)
    assert (source.module_name, source.language, source.path) == (
        "slug",
        Language.JAVASCRIPT,
        str(path),
    )
    assert source.code == path.read_text()


def test_evaluate_scores_a_javascript_test_file(node_tools: Path, sandbox: Sandbox) -> None:
    settings = Settings(run=RunSettings(reruns=2, test_timeout_s=3.0, mutation=False))
    evaluated = evaluate(js_source(CALC), js_tests(CALC_TESTS), settings, sandbox)
    assert isinstance(evaluated, EvalResult)
    assert evaluated.language == Language.JAVASCRIPT and evaluated.sandbox == "bwrap"
    assert len(evaluated.tests) == 7
    assert evaluated.metrics["coverage"].details["num_statements"] == 12
    assert 0.0 < evaluated.metrics["pass_rate"].value < 1.0
    assert evaluated.integrity.ok


def test_concurrent_tests_and_repeated_names(run_js: RunJs) -> None:
    tests = """
    const { test, describe, it } = require('node:test');
    const { add } = require('./calc');
    describe('at once', { concurrency: true }, () => {
      it('waits then adds', async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        add(1, 1);
      });
      it('adds then waits', async () => {
        add(2, 2);
        await new Promise((resolve) => setTimeout(resolve, 80));
      });
      it('hangs', async () => { await new Promise(() => {}); });
    });
    test('same name', () => {});
    test('same name', () => add(0, 0));
    """
    outcome = run_js(CALC, tests, timeout=1.0, reruns=1)
    assert outcomes(outcome) == {
        "at once > waits then adds": TestOutcome.PASSED,
        "at once > adds then waits": TestOutcome.PASSED,
        "at once > hangs": TestOutcome.TIMEOUT,
        "same name": TestOutcome.PASSED,
        "same name [2]": TestOutcome.PASSED,
    }
    # the timed-out test is not run again; its concurrent siblings are not harmed by that
    assert outcome.reruns == ({test.nodeid: test.outcome for test in outcome.tests},)
    # what ran while tests ran at once belongs to each of them
    assert result(outcome, "at once > adds then waits").lines == (1, 2)
    assert result(outcome, "at once > waits then adds").lines == (1, 2)
    assert result(outcome, "same name").lines == ()
    assert result(outcome, "same name [2]").lines == (1, 2)
